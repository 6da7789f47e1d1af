# SPDX-License-Identifier: EUPL-1.2
"""The demo city's casework (three months of signals from every source, at every outcome) and the
access-test world's signals. Everything is made by the services, with explicit times."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from omzien.accounts.models import Organisation
from omzien.accounts.roles import Role
from omzien.audit import events
from omzien.casework import services
from omzien.casework.models import Answer, Outcome, PhoneCall, ReporterRelation, Signal, Source, Urgency
from omzien.casework.room import PARTNER_ROLE, PHONE_LINE_ROLE
from omzien.casework.services import SignalData
from omzien.geo.models import Postcode
from omzien.residents.models import ResidentLink

PARTNERS = (
    ("Huisartsenpraktijk Overvecht", "huisartsenpraktijk"),
    ("Mitros", "woningcorporatie"),
    ("Politie Utrecht", "politie"),
    ("Apotheek Kanaleneiland", "apotheek"),
)
CONCERNS = (
    "De gordijnen blijven al dagen dicht en de post stapelt zich op.",
    "Mijn buurvrouw komt sinds het overlijden van haar man bijna niet meer buiten.",
    "Meneer belt vaak aan bij de buren omdat hij niemand heeft om mee te praten.",
    "Mevrouw vergeet afspraken en eet volgens mij niet goed.",
    "Mijn vader zit de hele dag alleen thuis en zegt dat niemand hem nog nodig heeft.",
    "Huurder reageert niet op brieven; bij huisbezoek leek hij erg somber en eenzaam.",
    "Patiënt komt elke week voor kleine klachten; lijkt vooral behoefte aan contact te hebben.",
    "Bij een melding over geluidsoverlast bleek mevrouw verward en alleen.",
)
OUTCOME_CYCLE = (
    Outcome.NO_ACTION, Outcome.NEW_CASE, Outcome.ADDED_TO_CASE, Outcome.FORWARDED_TEAM, Outcome.NEW_CASE,
    Outcome.FORWARDED_VEILIG_THUIS, Outcome.NO_ACTION, Outcome.FORWARDED_CRISIS,
)  # fmt: skip
SOURCES = (Source.PUBLIC_FORM, Source.PARTNER, Source.PARTNER_API, Source.SOCIAL_BROKER, Source.VOLUNTEER)


def _actor(user: Any) -> events.Actor:
    return events.actor_for_user(user, channel="demo")


def casework_demo_seed(ctx: Any) -> None:
    """Partners with a demo login, the phone line's volunteer, three months of signals and calls, and a
    year of cases (``demo_cases``).

    Leaves ``ctx.extra["casework_signals"]`` and ``ctx.extra["casework_cases"]`` (how many were made).
    """
    from omzien.accounts.demo import demo_user_create

    rng, fake, now = ctx.rng, ctx.fake, ctx.now
    for name, kind in PARTNERS:
        ctx.organisations[name] = Organisation.objects.create(name=name, kind=kind, description="Partner in de zorg voor bewoners.")
    partner = demo_user_create(ctx, PARTNER_ROLE, "demo-partner", ctx.organisations[PARTNERS[0][0]])
    helpline = Organisation.objects.filter(kind=Organisation.Kind.HELPLINE).order_by("pk").first()
    phone_volunteer = ctx.users.get(PHONE_LINE_ROLE) or demo_user_create(ctx, PHONE_LINE_ROLE, "demo-luisterlijn", helpline)
    token, _key = services.token_issue(organisation=ctx.organisations["Mitros"], name="Mitros huurdersysteem", acting_user=None)

    teams = list(Organisation.objects.filter(kind=Organisation.Kind.NEIGHBOURHOOD_TEAM).order_by("name"))
    # "Known to another team: call them" needs the team's number (demo numbers, not real ones).
    for number, team in enumerate(teams):
        if not team.phone:
            team.phone = f"030-000 {number:02d} 00"
            team.save(update_fields=["phone"])
    own_team = ctx.users[Role.NEIGHBOURHOOD_PROFESSIONAL.value].organisation
    members: dict[int, list[Any]] = {}
    for team in teams:
        members[team.pk] = list(team.members.filter(groups__name=Role.NEIGHBOURHOOD_PROFESSIONAL.value).order_by("pk"))
    postcodes: dict[int, list[str]] = {}
    for code, team_id in Postcode.objects.filter(
        code__regex=r"^\d{4}[A-Z]{2}$", neighbourhood__responsible_organisations__kind=Organisation.Kind.NEIGHBOURHOOD_TEAM
    ).values_list("code", "neighbourhood__responsible_organisations"):  # fmt: skip
        postcodes.setdefault(team_id, []).append(code)
    clients: dict[int, list[Any]] = {}
    for link in ResidentLink.objects.filter(kind=ResidentLink.Kind.CASE, ended_at__isnull=True).select_related("resident")[:2000]:
        clients.setdefault(link.organisation_id, []).append(link.resident)
    reporters = {
        Source.PARTNER: (partner, ctx.organisations[PARTNERS[0][0]]),
        Source.SOCIAL_BROKER: (ctx.users.get(Role.SOCIAL_BROKER.value), None),
        Source.VOLUNTEER: (ctx.users.get(Role.VOLUNTEER.value), None),
    }
    made = 0
    start = now - timedelta(days=91)
    # The demo professional's team gets most signals, so the demo queue is full; every team gets some.
    plan = [(own_team, 90)] + [(team, 6) for team in teams if team.pk != own_team.pk]
    for team, count in plan:
        if not postcodes.get(team.pk) or not members.get(team.pk):
            continue
        for index in range(count):
            received = start + timedelta(days=91 * index / count, hours=rng.randrange(8, 18))
            received = min(received, now - timedelta(hours=1))
            source = SOURCES[index % len(SOURCES)]
            duplicate_of = None
            team_clients = clients.get(team.pk, [])
            outcome = OUTCOME_CYCLE[index % len(OUTCOME_CYCLE)]
            if outcome == Outcome.ADDED_TO_CASE and team_clients:
                duplicate_of = rng.choice(team_clients)
            data = SignalData(
                first_name=duplicate_of.first_name if duplicate_of else fake.first_name(),
                last_name=duplicate_of.last_name if duplicate_of else fake.last_name(),
                date_of_birth=duplicate_of.date_of_birth if duplicate_of else fake.date_of_birth(minimum_age=60, maximum_age=95),
                street=fake.street_name(), house_number=str(rng.randrange(1, 200)),
                postcode=duplicate_of.postcode if duplicate_of and duplicate_of.postcode else rng.choice(postcodes[team.pk]),
                phone=fake.phone_number(), concern=rng.choice(CONCERNS),
                resident_knows=rng.choice(Answer.values), resident_agrees=rng.choice(Answer.values),
                urgency=Urgency.URGENT if index % 7 == 0 else Urgency.NORMAL,
                reporter_relation=ReporterRelation.PROFESSIONAL if source in (Source.PARTNER, Source.PARTNER_API)
                else rng.choice([ReporterRelation.NEIGHBOUR, ReporterRelation.RELATIVE, ReporterRelation.FRIEND]),
                reporter_name=fake.name(), reporter_phone=fake.phone_number(),
                reporter_email=fake.email() if index % 3 == 0 else "", wants_closing_message=index % 3 == 0,
            )  # fmt: skip
            reporter, organisation = reporters.get(source, (None, None))
            if source == Source.PARTNER_API:
                organisation = token.organisation
            try:
                signal = services.signal_create(
                    data=data, source=source, actor=_actor(reporter), reported_by=reporter,
                    reporter_organisation=organisation, received_at=received,
                    team=team if duplicate_of and duplicate_of.postcode else None,
                )  # fmt: skip
            except services.SignalError:
                continue
            made += 1
            _triage(signal, outcome, index, received, now, members[team.pk], teams, duplicate_of, rng)
    made += _phone_line(ctx, phone_volunteer, start, now, rng, fake, postcodes, own_team)
    _self_test_times()
    ctx.extra["casework_signals"] = made
    from omzien.casework.demo_cases import casework_year_seed

    ctx.extra["casework_cases"] = casework_year_seed(ctx)


def _triage(signal: Signal, outcome: str, index: int, received: datetime, now: datetime, members: list[Any],
            teams: list[Organisation], resident: Any, rng: Any) -> None:  # fmt: skip
    """Older signals decided (every outcome in turn), recent ones new or assigned; some left overdue."""
    age = now - received
    if age < timedelta(days=2) and index % 2 == 0:
        return  # new, nobody took it yet
    triager = members[index % len(members)]
    actor = _actor(triager)
    assigned_at = received + timedelta(hours=rng.randrange(1, 20))
    signal = services.signal_assign(signal=signal, assignee=triager, acting_user=triager, actor=actor, at=min(assigned_at, now))
    if index % 6 == 0:
        services.signal_note_add(signal=signal, text="Gebeld met de melder; bewoner morgen bezoeken.", acting_user=triager,
                                 actor=actor, at=min(assigned_at + timedelta(hours=2), now))  # fmt: skip
    # The last fortnight partly still open (some of those past their deadline).
    if age < timedelta(days=14) and index % 3 != 0:
        return
    decided_at = min(received + timedelta(days=rng.randrange(1, 6), hours=2), now)
    kwargs: dict[str, Any] = {}
    if outcome == Outcome.NEW_CASE:
        kwargs["consent_method"] = "phone"
    elif outcome == Outcome.ADDED_TO_CASE:
        if resident is None:
            outcome = Outcome.NO_ACTION
        else:
            kwargs["resident"] = resident
    elif outcome == Outcome.FORWARDED_TEAM:
        kwargs["forward_team"] = next(t for t in teams if t.pk != signal.team_id)
        kwargs["reason"] = "Bewoner woont sinds kort in een andere wijk."
    elif outcome == Outcome.FORWARDED_VEILIG_THUIS:
        kwargs["meldcode"] = {"step1": True, "step2": True, "step3": True, "step4": True, "step5": True}
        kwargs["reason"] = "Signalen van ouderenmishandeling door een huisgenoot."
    elif outcome == Outcome.FORWARDED_CRISIS:
        kwargs["meldcode"] = {"step1": True, "step5": True}
        kwargs["reason"] = "Acute verwardheid; crisisdienst ingeschakeld."
    if outcome == Outcome.NO_ACTION:
        kwargs["reason"] = "Bewoner heeft al voldoende contact met familie en wil geen hulp."
    services.signal_decide(signal=signal, outcome=outcome, acting_user=triager, actor=actor, at=decided_at, **kwargs)


def _phone_line(ctx: Any, volunteer: Any, start: datetime, now: datetime, rng: Any, fake: Any,
                postcodes: dict[int, list[str]], team: Organisation) -> int:  # fmt: skip
    """Three months of calls, most anonymous; with consent some became a signal. Returns the signals made."""
    if volunteer is None or volunteer.organisation is None:
        return 0
    made = 0
    topics, advice = PhoneCall.Topic.values, PhoneCall.Advice.values
    for index in range(180):
        started = start + timedelta(hours=12 * index + rng.randrange(0, 8), minutes=rng.randrange(60))
        if started > now - timedelta(hours=1):
            break
        consent = index % 12 == 0 and postcodes.get(team.pk)
        data = SignalData(
            first_name=fake.first_name(), last_name=fake.last_name(), postcode=rng.choice(postcodes[team.pk]),
            phone=fake.phone_number(), concern="Beller voelt zich erg alleen sinds de verhuizing en wil graag iemand spreken.",
            resident_knows=Answer.YES, resident_agrees=Answer.YES, reporter_relation=ReporterRelation.SELF,
        ) if consent else None  # fmt: skip
        services.call_log(
            volunteer=volunteer, started_at=started, duration_minutes=rng.randrange(3, 60),
            topic=topics[index % len(topics)], loneliness_mentioned=index % 2 == 0,
            advice=advice[index % len(advice)] if not consent else PhoneCall.Advice.NEIGHBOURHOOD_TEAM,
            actor=_actor(volunteer), signal_data=data, logged_at=started + timedelta(minutes=70),
        )  # fmt: skip
        made += 1 if data else 0
    return made


def _self_test_times() -> None:
    """The wellbeing demo's contact requests got their history times after they were made: follow them."""
    for signal in Signal.objects.filter(contact_request__isnull=False).select_related("contact_request"):
        if signal.contact_request is None:
            continue
        received = signal.contact_request.created_at
        Signal.objects.filter(pk=signal.pk).update(received_at=received, deadline=services.deadline_for(received, signal.urgency))


def casework_test_world(world: Any) -> None:
    """A GP practice with its partner professional, the phone line and its volunteer, a signal for team A
    (reported by the GP practice) and one for team B, a partner key and one of its uses.

    ``world.extra["casework"]``: signal_a, signal_b, token, call.
    """
    gp = Organisation.objects.create(name="Huisartsenpraktijk A", kind="huisartsenpraktijk")
    line = Organisation.objects.create(name="De Luisterlijn", kind=Organisation.Kind.HELPLINE)
    world.organisations["gp_a"], world.organisations["phone_line"] = gp, line
    partner = world.add_user(PARTNER_ROLE, "gp_a")
    volunteer = world.add_user(PHONE_LINE_ROLE, "phone_line")
    received = timezone.now() - timedelta(days=1)

    def signal(team: str, last_name: str, reporter: Any = None, organisation: Any = None) -> Signal:
        return services.signal_create(
            data=SignalData(first_name="Alida", last_name=last_name, postcode="3561AB", house_number="77",
                            concern="Komt niet meer buiten.", reporter_name="Dokter A", reporter_relation="professional"),
            source=Source.PARTNER if reporter else Source.PUBLIC_FORM, actor=_actor(reporter), reported_by=reporter,
            reporter_organisation=organisation, received_at=received, team=world.organisations[team],
        )  # fmt: skip

    signal_a = signal("team_a", "Aaldering", partner, gp)
    signal_b = signal("team_b", "Bakker")
    token, _key = services.token_issue(organisation=gp, name="HIS", acting_user=None)
    use = services.token_use_log(token=token, method="GET", path="/api/casework/signals/", status=401, client_ip=None)
    call = services.call_log(volunteer=volunteer, started_at=received, duration_minutes=12, topic="loneliness",
                             loneliness_mentioned=True, advice="listening", actor=_actor(volunteer))  # fmt: skip
    world.extra["casework"] = {"signal_a": signal_a, "signal_b": signal_b, "token": token, "call": call}
    _test_world_cases(world)
    from omzien.casework.models import PartnerToken, Route, RouteTable, TokenUse

    world.extra.setdefault("admin_objects", {}).update({
        PartnerToken: token, TokenUse: use, Route: Route.objects.get(code="buddy"),
        RouteTable: services.route_table_copy(table=RouteTable.objects.get(version=1)),  # a draft: deletable
    })  # fmt: skip


def _test_world_cases(world: Any) -> None:
    """Team A's case of resident_a (intake, advice, a visiting-service referral to the coordinator's
    organisation, a route started 100 days ago with its 3-month follow-up and a personal link), a new case
    without intake at team A, and team B's case of resident_b.

    ``world.extra["casework"]``: case_a, case_new, case_b, referral_a, follow_up_a, link_token.
    """
    from omzien.casework.services.cases import IntakeData, TieData
    from omzien.residents.models import Resident
    from omzien.residents.services import link_open
    from omzien.wellbeing.services import measurement_record

    professional = world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
    team_a, team_b = world.organisations["team_a"], world.organisations["team_b"]
    now = timezone.now()
    past = now - timedelta(days=100)
    resident = world.residents["a"]
    case_a = services.case_open(resident=resident, team=team_a, acting_user=professional, at=past)
    measurement = measurement_record(
        actor=_actor(professional), acting_user=professional, resident=resident, instrument_code="djg11",
        answers=[-1, 1, 1, -1, 1, 1, -1, -1, 1, 0, -1], context="intake", mode="conversation", at=past,
    )  # fmt: skip
    services.intake_record(
        case=case_a, acting_user=professional, measurement=measurement, at=past,
        data=IntakeData(goals="Weer onder de mensen komen.", interests="tuinieren", barriers=["mobility"]),
        ties=[TieData("dochter", "family", "monthly", "more"), TieData("buurman", "neighbour", "weekly")],
    )  # fmt: skip
    services.route_advice_decide(case=case_a, chosen=["visiting_service", "buddy"], acting_user=professional, at=past)
    humanitas = world.organisations["humanitas"]
    buddy = services.referral_send(case=case_a, route="buddy", target_organisation=humanitas, acting_user=professional,
                                   consent_method="verbal", at=past)  # fmt: skip
    services.referral_status_set(referral=buddy, status="started", at=past + timedelta(days=3), acting_user=professional)
    referral_a = services.referral_send(case=case_a, route="visiting_service", target_organisation=humanitas,
                                        acting_user=professional, consent_method="verbal")  # fmt: skip
    services.follow_ups_create(now=now)
    follow_up_a = case_a.follow_ups.get()
    newcomer = Resident.objects.create(first_name="Nieuw", last_name="Intakeman", postcode="3561AB",
                                       neighbourhood=resident.neighbourhood)  # fmt: skip
    case_new = services.case_open(resident=newcomer, team=team_a, acting_user=professional)
    # Known to team A (registered there) without a case: the page that opens one without a signal.
    walk_in = Resident.objects.create(first_name="Binnen", last_name="Loper", postcode="3561AB",
                                      neighbourhood=resident.neighbourhood)  # fmt: skip
    link_open(resident=walk_in, kind=ResidentLink.Kind.CASE, organisation=team_a, source="residents.Resident")
    other = world.other_team_user
    case_b = services.case_open(resident=world.residents["b"], team=team_b, acting_user=other, at=past)
    services.intake_record(case=case_b, acting_user=other, data=IntakeData(goals="Iemand om mee te praten."), ties=[], at=past)
    phone_line = services.referral_send(case=case_b, route="phone_line", target_name="De Luisterlijn", acting_user=other,
                                        consent_method="verbal", at=past)  # fmt: skip
    services.referral_status_set(referral=phone_line, status="started", at=past, acting_user=other)
    services.follow_ups_create(now=now)
    # The personal link of team B's follow-up: the walker's team A professional can never replace it.
    token = services.follow_up_link_create(follow_up=case_b.follow_ups.get(), acting_user=other)
    world.extra["casework"].update({
        "case_a": case_a, "case_new": case_new, "case_b": case_b, "walk_in": walk_in, "referral_a": referral_a,
        "follow_up_a": follow_up_a, "link_token": token,
    })  # fmt: skip

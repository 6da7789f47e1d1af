# SPDX-License-Identifier: EUPL-1.2
"""The volunteer centre in the demo city, and its objects in the access-test world.

Demo: the letter's organisations with about 1,500 volunteers at every stage of intake (VOGs of every
age, so some are due), trainings of the volunteer centre with past and future sessions, vacancies,
and 200 informal carers at Steunpunt Mantelzorg. Deterministic from the seed; bulk inserts only,
so the seed stays fast. The demo volunteer has an attended training (a certificate to download);
the demo resident also volunteers (one person, two roles).
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from omzien.accounts.models import Organisation
from omzien.activities.models import Term
from omzien.geo.models import District, Postcode
from omzien.volunteers.models import (
    Carer,
    CheckIn,
    Diet,
    Intake,
    IntakeStep,
    MatchRequest,
    Pair,
    Proposal,
    Reference,
    RespiteRequest,
    Training,
    TrainingRegistration,
    TrainingSession,
    Vacancy,
    VogRecord,
    Volunteer,
    WorkKind,
)
from omzien.volunteers.profile import ALL_SLOTS
from omzien.volunteers.selectors import add_months

VOLUNTEERS = 1500
CARERS = 200
# Where the demo's volunteers work (share of the 1,500), and the language their people speak.
ORGANISATIONS: list[tuple[str, float, tuple[str, ...], tuple[str, ...]]] = [
    ("Humanitas", 0.20, ("visits", "buddy"), ()),
    ("Rode Kruis", 0.14, ("visits", "practical"), ()),
    ("U Centraal", 0.12, ("activities", "network_coach"), ()),
    ("Handje Helpen", 0.12, ("buddy", "practical", "respite"), ()),
    ("Stichting Present", 0.10, ("practical",), ()),
    ("Hulp in de praktijk", 0.08, ("practical",), ()),
    ("CSP 't Zonnetje", 0.07, ("visits",), ("yue", "cmn")),  # Chinese elderly (the letter)
    ("Stichting MORIA", 0.07, ("visits",), ("srn",)),  # Surinamese elderly (the letter)
    ("Vrijwilligerscentrale Utrecht", 0.10, ("activities", "meal_host", "respite"), ()),
]
STAGES = [
    (Intake.Stage.REGISTERED, 0.08), (Intake.Stage.INTERVIEW_PLANNED, 0.05), (Intake.Stage.INTERVIEWED, 0.05),
    (Intake.Stage.SCREENING, 0.07), (Intake.Stage.ACTIVE, 0.65), (Intake.Stage.STOPPED, 0.08),
    (Intake.Stage.DECLINED, 0.02),
]  # fmt: skip
PATH: list[str] = [Intake.Stage.REGISTERED, Intake.Stage.INTERVIEW_PLANNED, Intake.Stage.INTERVIEWED, Intake.Stage.SCREENING,
        Intake.Stage.ACTIVE]  # fmt: skip
TRAININGS = [
    ("Vrijwilligerscentrale Utrecht", "Eenzaamheid herkennen",
     "Hoe herken je eenzaamheid, en hoe maak je het bespreekbaar? Eén avond met oefeningen."),
    ("Vrijwilligerscentrale Utrecht", "Omgaan met dementie",
     "Wat dementie met iemand doet, en hoe je contact houdt. Twee uur, met een ervaringsdeskundige."),
    ("Vrijwilligerscentrale Utrecht", "Luisteren", "Echt luisteren: vragen stellen, stiltes laten vallen, samenvatten."),
    ("Vrijwilligerscentrale Utrecht", "Grenzen stellen als vrijwilliger", "Wat doe je wel en niet, en bij wie meld je zorgen?"),
    ("Humanitas", "Maatjescursus", "De basis voor nieuwe maatjes en bezoekvrijwilligers van Humanitas."),
    ("Rode Kruis", "Eerste hulp bij ouderen", "Vallen, verslikken, onwel worden: wat doe je tot de hulp er is?"),
]  # fmt: skip
VACANCIES = [
    ("Humanitas", "Bezoekvrijwilliger voor een oudere in de wijk", "visits", "2 uur per week"),
    ("Humanitas", "Maatje voor iemand die eenzaam is", "buddy", "2 tot 3 uur per week"),
    ("Rode Kruis", "Vrijwilliger Burenhulp", "practical", "1 à 2 keer per maand"),
    ("Rode Kruis", "Bezoekvrijwilliger Rode Kruis", "visits", "wekelijks een middag"),
    ("U Centraal", "Gastvrouw of gastheer buurtcentrum", "activities", "een dagdeel per week"),
    ("U Centraal", "Netwerkcoach", "network_coach", "2 uur per week, half jaar"),
    ("Handje Helpen", "Maatje voor een gezin", "buddy", "2 uur per week"),
    ("Handje Helpen", "Respijtvrijwilliger: even de zorg overnemen", "respite", "een dagdeel per week"),
    ("Stichting Present", "Klussen met een groep", "practical", "een zaterdag per kwartaal"),
    ("Hulp in de praktijk", "Chauffeur voor ouderen", "practical", "flexibel"),
    ("CSP 't Zonnetje", "Bezoekvrijwilliger die Kantonees spreekt", "visits", "wekelijks"),
    ("CSP 't Zonnetje", "Bezoekvrijwilliger die Mandarijn spreekt", "visits", "wekelijks"),
    ("Stichting MORIA", "Bezoekvrijwilliger voor Surinaamse ouderen", "visits", "wekelijks"),
    ("Vrijwilligerscentrale Utrecht", "Gastgezin Eet Mee", "meal_host", "eens per maand koken"),
    ("Vrijwilligerscentrale Utrecht", "Helpen bij activiteiten in de buurt", "activities", "flexibel"),
]  # fmt: skip


def _weighted(rng: Any, options: list[tuple[Any, float]]) -> Any:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def _mask(rng: Any, slots: int) -> int:
    mask = 0
    for _i in range(slots):
        mask |= 1 << rng.randrange(21)
    return mask or 1


def demo_volunteers_seed(ctx: Any) -> None:
    """Add the volunteer centre to the demo city (see the module docstring)."""
    rng, fake, now = ctx.rng, ctx.fake, ctx.now
    organisations: dict[str, Organisation] = {name: ctx.organisations[name] for name, *_r in ORGANISATIONS if name in ctx.organisations}
    if not organisations:
        return
    postcodes = list(Postcode.objects.filter(lat__isnull=False, code__regex=r"^\d{4}[A-Z]{2}$").values_list(
        "code", "neighbourhood_id", "lat", "lon")[:4000])  # fmt: skip
    if not postcodes:
        postcodes = list(Postcode.objects.filter(lat__isnull=False).values_list("code", "neighbourhood_id", "lat", "lon"))
    interests = list(Term.objects.filter(vocabulary=Term.Vocabulary.INTEREST).values_list("pk", flat=True))
    coordinator_of = _coordinators(ctx, organisations)

    # Volunteers and their intakes.
    volunteers: list[Volunteer] = []
    plans: list[tuple[Organisation, str, tuple[str, ...], datetime]] = []
    weights = [(name, share) for name, share, *_r in ORGANISATIONS if name in organisations]
    specifics = {name: (kinds, languages) for name, _s, kinds, languages in ORGANISATIONS}
    for _n in range(VOLUNTEERS):
        name = _weighted(rng, weights)
        kinds, languages = specifics[name]
        code, buurt, lat, lon = rng.choice(postcodes) if postcodes else ("", None, None, None)
        first, last = fake.first_name(), fake.last_name()
        spoken = ["nl", *languages[: rng.randint(1, len(languages))]] if languages else ["nl"]
        if rng.random() < 0.2:
            spoken.append(rng.choice(["en", "ar", "tr", "ber", "pap", "pl", "es"]))
        work = sorted({rng.choice(kinds), *(rng.sample(kinds, 1))})
        started = now - timedelta(days=rng.randint(3, 1500))
        volunteers.append(Volunteer(
            first_name=first, last_name=last, email=f"{first}.{last}.{len(volunteers)}@demo.omzien.localhost".lower().replace(" ", ""),
            phone=f"06-{rng.randint(10000000, 99999999)}", postcode=code, neighbourhood_id=buurt, lat=lat, lon=lon,
            date_of_birth=(now - timedelta(days=365 * rng.randint(18, 80) + rng.randint(0, 364))).date(),
            work_kinds=work, availability=_mask(rng, rng.randint(2, 8)), languages=spoken,
            max_travel_km=rng.choice([1, 2, 3, 3, 5, 10]), gender=rng.choice(["woman", "woman", "man", "man", "other", ""]),
            gender_preference=rng.choice(["", "", "", "women", "men"]),
            guests_per_meal=rng.randint(1, 4) if "meal_host" in work else None,
            diets=rng.sample([d.value for d in Diet], rng.randint(0, 2)) if "meal_host" in work else [],
            created_at=started,
        ))  # fmt: skip
        plans.append((organisations[name], _weighted(rng, STAGES), tuple(work), started))
    volunteers = Volunteer.objects.bulk_create(volunteers, batch_size=500)
    Volunteer.interests.through.objects.bulk_create([
        Volunteer.interests.through(volunteer_id=v.pk, term_id=term)
        for v in volunteers for term in (rng.sample(interests, min(len(interests), rng.randint(1, 3))) if interests else [])
    ], batch_size=1000)  # fmt: skip

    vacancies = _vacancies(ctx, organisations, postcodes)
    by_org_kind: dict[tuple[int, str], Vacancy] = {(v.organisation_id, v.work_kind): v for v in vacancies}
    intakes: list[Intake] = []
    for volunteer, (organisation, stage, kinds_chosen, started) in zip(volunteers, plans, strict=True):
        recent = (now - started).days < 120
        vacancy = by_org_kind.get((organisation.pk, kinds_chosen[0])) if recent and rng.random() < 0.4 else None
        changed = started + timedelta(days=min(rng.randint(1, 60), max((now - started).days - 1, 1)))
        intakes.append(Intake(
            volunteer=volunteer, organisation=organisation, vacancy=vacancy, stage=stage,
            stage_changed_at=changed if stage != Intake.Stage.REGISTERED else started, started_at=started,
            via=Intake.Via.VACANCY if vacancy else Intake.Via.SIGNUP,
            extra_support_note="Heeft baat bij een vaste contactpersoon en korte, duidelijke afspraken." if rng.random() < 0.04 else "",
        ))  # fmt: skip
    intakes = Intake.objects.bulk_create(intakes, batch_size=500)
    steps, references, vogs = [], [], []
    for intake in intakes:
        coordinator = coordinator_of.get(intake.organisation_id)
        reached = PATH[: PATH.index(intake.stage) + 1] if intake.stage in PATH else [*PATH[: rng.randint(1, 5)], intake.stage]
        span = max((intake.stage_changed_at - intake.started_at).total_seconds(), 1.0)
        for index, stage in enumerate(reached):
            at = intake.started_at + timedelta(seconds=span * index / max(len(reached) - 1, 1))
            steps.append(IntakeStep(intake=intake, stage=stage, at=at, by=coordinator if index else None))
        if Intake.Stage.SCREENING in reached:
            references.append(Reference(
                intake=intake, name=fake.name(), relation=rng.choice(["oud-collega", "buurvrouw", "trainer sportclub", "vriend"]),
                phone=f"06-{rng.randint(10000000, 99999999)}",
                outcome=Reference.Outcome.POSITIVE if intake.stage != Intake.Stage.SCREENING or rng.random() < 0.5 else Reference.Outcome.PENDING,
                recorded_by=coordinator, recorded_at=intake.started_at + timedelta(days=20),
            ))  # fmt: skip
            requested = (intake.started_at + timedelta(days=21)).date()
            if intake.stage == Intake.Stage.SCREENING and rng.random() < 0.6:
                vogs.append(VogRecord(volunteer=intake.volunteer, organisation=intake.organisation, requested_on=requested))
            else:
                # VOGs of every age: some young, some near their organisation's maximum, some too old.
                issued = min(requested + timedelta(days=rng.randint(7, 28)), now.date() - timedelta(days=1))
                if intake.stage == Intake.Stage.ACTIVE and rng.random() < 0.25:
                    issued = now.date() - timedelta(days=rng.randint(30 * 31, 30 * 38))
                vogs.append(VogRecord(volunteer=intake.volunteer, organisation=intake.organisation,
                                      requested_on=min(requested, issued), issued_on=issued, checked_by=coordinator,
                                      checked_at=datetime.combine(issued, datetime.min.time(), tzinfo=now.tzinfo)))  # fmt: skip
    IntakeStep.objects.bulk_create(steps, batch_size=1000)
    Reference.objects.bulk_create(references, batch_size=1000)
    VogRecord.objects.bulk_create(vogs, batch_size=1000)

    active = [i.volunteer for i in intakes if i.stage == Intake.Stage.ACTIVE]
    own = _demo_volunteer(ctx, organisations, coordinator_of)
    _trainings(ctx, organisations, [own, *active] if own else active, own)
    _carers(ctx, postcodes)
    _resident_volunteers(ctx, organisations)
    from omzien.volunteers.demo_pairs import demo_pairs_seed

    pairs = demo_pairs_seed(ctx, organisations, coordinator_of, postcodes, interests, own)
    ctx.extra["volunteers"] = {"volunteers": len(volunteers) + (1 if own else 0), "carers": CARERS, **pairs}


def _coordinators(ctx: Any, organisations: dict[str, Organisation]) -> dict[int, Any]:
    """A coordinator for each volunteer organisation (the demo's own for Humanitas), and one at the carer support point."""
    from omzien.accounts.demo import demo_user_create
    from omzien.accounts.models import User

    found: dict[int, Any] = {}
    names = [*organisations, "Steunpunt Mantelzorg", "Eet Mee"]
    for name in names:
        organisation = organisations.get(name) or ctx.organisations.get(name)
        if organisation is None:
            continue
        existing = User.objects.filter(organisation=organisation, groups__name="coordinator").order_by("pk").first()
        if existing is None:
            slug = "".join(ch for ch in name.lower().replace(" ", "-") if ch.isalnum() or ch == "-")
            username = "demo-mantelzorg" if name == "Steunpunt Mantelzorg" else f"demo-coordinator-{slug}"
            existing = demo_user_create(ctx, "coordinator", username, organisation)
        found[organisation.pk] = existing
    return found


def _vacancies(ctx: Any, organisations: dict[str, Organisation], postcodes: list[Any]) -> list[Vacancy]:
    rng, now = ctx.rng, ctx.now
    districts = {d.pk: d for d in District.objects.all()}
    buurt_district = dict(Postcode.objects.filter(code__in=[p[0] for p in postcodes[:200]]).values_list("code", "neighbourhood__district_id"))
    rows = []
    for index, (name, title, kind, hours) in enumerate(VACANCIES):
        if name not in organisations:
            continue
        code, _buurt, lat, lon = postcodes[index * 7 % len(postcodes)] if postcodes and index % 3 else ("", None, None, None)
        languages = {"CSP 't Zonnetje": ["yue"] if "Kantonees" in title else ["cmn"], "Stichting MORIA": ["srn", "nl"]}.get(name, [])
        rows.append(Vacancy(
            organisation=organisations[name], title=title, work_kind=kind, hours=hours, languages=languages,
            description=f"{title}. {organisations[name].description} Je krijgt een kennismakingsgesprek, een training en "
                        "een vaste contactpersoon. Een VOG vragen we voor je aan en betalen we.",
            postcode=code, lat=lat, lon=lon, district=districts.get(buurt_district.get(code, 0)) if code else None,
            availability=_mask(rng, 4), needs_vog=kind in {WorkKind.VISITS, WorkKind.BUDDY, WorkKind.RESPITE, WorkKind.MEAL_HOST},
            is_published=True, created_at=now - timedelta(days=rng.randint(1, 120)),
        ))  # fmt: skip
    return Vacancy.objects.bulk_create(rows)


def _demo_volunteer(ctx: Any, organisations: dict[str, Organisation], coordinator_of: dict[int, Any]) -> Volunteer | None:
    """The demo volunteer's own profile: active at Humanitas with a checked VOG."""
    user = ctx.users.get("volunteer")
    humanitas = organisations.get("Humanitas")
    if user is None or humanitas is None:
        return None
    now = ctx.now
    started = now - timedelta(days=400)
    volunteer = Volunteer.objects.create(
        user=user, first_name=user.first_name, last_name=user.last_name, email=user.email, postcode="3561AB",
        work_kinds=["visits", "buddy"], availability=0b010_010_000_010_000_010_000, languages=["nl", "en"], created_at=started,
        max_pairs=2,  # a pair running and a question to answer (demo_pairs._own_pairs)
    )  # fmt: skip
    intake = Intake.objects.create(volunteer=volunteer, organisation=humanitas, stage=Intake.Stage.ACTIVE,
                                   stage_changed_at=started + timedelta(days=40), started_at=started, via=Intake.Via.SIGNUP)  # fmt: skip
    IntakeStep.objects.bulk_create([IntakeStep(intake=intake, stage=s, at=started + timedelta(days=10 * i)) for i, s in enumerate(PATH)])
    issued = (started + timedelta(days=30)).date()
    VogRecord.objects.create(volunteer=volunteer, organisation=humanitas, requested_on=issued - timedelta(days=14),
                             issued_on=issued, checked_by=coordinator_of.get(humanitas.pk), checked_at=started + timedelta(days=30))  # fmt: skip
    return volunteer


def _trainings(ctx: Any, organisations: dict[str, Organisation], active: list[Volunteer], own: Volunteer | None) -> None:
    """Each training has two past sessions (attendance recorded) and three to come (some places taken)."""
    rng, now = ctx.rng, ctx.now
    centre = organisations.get("Vrijwilligerscentrale Utrecht") or next(iter(organisations.values()))
    trainings = Training.objects.bulk_create([
        Training(organisation=organisations.get(name, centre), title=title, description=description)
        for name, title, description in TRAININGS
    ])  # fmt: skip
    places = ("Vrijwilligerscentrale, Oudegracht", "Wijkcentrum Overvecht", "Buurtcentrum Kanaleneiland", "Wijkcentrum Leidsche Rijn")
    sessions: list[TrainingSession] = []
    for training in trainings:
        for offset in (-70, -21, 9, 30, 58):
            day = (now + timedelta(days=offset + rng.randint(0, 4))).replace(hour=19, minute=0, second=0, microsecond=0)
            sessions.append(TrainingSession(training=training, starts_at=day, ends_at=day + timedelta(hours=2, minutes=30),
                                            location=rng.choice(places), capacity=rng.choice([12, 15, 16, 20])))  # fmt: skip
    sessions = TrainingSession.objects.bulk_create(sessions)
    registrations: list[TrainingRegistration] = []
    taken: Counter[int] = Counter()
    coordinator = ctx.users.get("coordinator")
    for session in sessions:
        past = session.starts_at < now
        count = session.capacity - rng.randint(0, 3) if past else rng.randint(0, session.capacity - 1)
        people = rng.sample(active, min(count, len(active)))
        if own is not None and own in people:
            people.remove(own)
        for volunteer in people:
            registrations.append(TrainingRegistration(
                session=session, volunteer=volunteer, registered_at=session.starts_at - timedelta(days=rng.randint(3, 30)),
                attended=(rng.random() < 0.9) if past else None,
                attendance_recorded_by=coordinator if past else None, attendance_recorded_at=session.ends_at if past else None,
            ))  # fmt: skip
            taken[session.pk] += 1
    if own is not None:
        # The demo volunteer took "Eenzaamheid herkennen" (certificate ready) and is registered for a coming session.
        first = next(s for s in sessions if s.training_id == trainings[0].pk and s.starts_at < now)
        coming = next(s for s in sessions if s.training_id == trainings[1].pk and s.starts_at > now)
        for session, attended in ((first, True), (coming, None)):
            if taken[session.pk] >= session.capacity:
                continue
            registrations.append(TrainingRegistration(
                session=session, volunteer=own, registered_at=session.starts_at - timedelta(days=10), attended=attended,
                attendance_recorded_by=coordinator if attended else None, attendance_recorded_at=session.ends_at if attended else None,
            ))  # fmt: skip
            taken[session.pk] += 1
    TrainingRegistration.objects.bulk_create(registrations, batch_size=1000)
    for session in sessions:
        session.places_taken = taken[session.pk]
    TrainingSession.objects.bulk_update(sessions, ["places_taken"])


def _carers(ctx: Any, postcodes: list[Any]) -> None:
    """200 informal carers at Steunpunt Mantelzorg; about one in five asked for respite."""
    point = ctx.organisations.get("Steunpunt Mantelzorg")
    if point is None or not postcodes:
        return
    rng, fake, now = ctx.rng, ctx.fake, ctx.now
    cares = [c.value for c in Carer.CaresFor]
    descriptions = ["mijn moeder heeft dementie", "mijn partner is ernstig ziek", "mijn zoon heeft een verstandelijke beperking",
                    "mijn vader is slechtziend en valt vaak", "mijn buurman heeft niemand anders", ""]  # fmt: skip
    carers: list[Carer] = []
    for _n in range(CARERS):
        code, buurt, _lat, _lon = rng.choice(postcodes)
        first, last = fake.first_name(), fake.last_name()
        carers.append(Carer(
            organisation=point, first_name=first, last_name=last, email=f"{first}.{last}.{len(carers)}@demo.omzien.localhost".lower().replace(" ", ""),
            phone=f"06-{rng.randint(10000000, 99999999)}", postcode=code, neighbourhood_id=buurt,
            cares_for=rng.choice(cares), care_description=rng.choice(descriptions), hours_per_week=rng.choice([4, 8, 12, 16, 20, 30, 40]),
            burden=rng.choices([1, 2, 3, 4, 5], weights=[10, 30, 30, 20, 10])[0],
            consent_text="Ik vind het goed dat Steunpunt Mantelzorg deze gegevens bewaart om mij te steunen.",
            registered_at=now - timedelta(days=rng.randint(1, 900)),
        ))  # fmt: skip
    carers = Carer.objects.bulk_create(carers)
    requests = [
        RespiteRequest(
            carer=carer, availability=_mask(rng, 3), hours_per_week=rng.choice([2, 3, 4]), languages=["nl"],
            note="Graag iemand die rustig is en van wandelen houdt.", created_at=carer.registered_at + timedelta(days=7),
            status=rng.choice([RespiteRequest.Status.OPEN, RespiteRequest.Status.OPEN, RespiteRequest.Status.MATCHED]),
        )
        for carer in carers
        if carer.burden >= 3 and rng.random() < 0.4
    ]  # fmt: skip
    RespiteRequest.objects.bulk_create(requests)


def _resident_volunteers(ctx: Any, organisations: dict[str, Organisation]) -> None:
    """The demo resident also volunteers at Handje Helpen: one account, two roles."""
    user = ctx.users.get("resident")
    organisation = organisations.get("Handje Helpen")
    if user is None or organisation is None:
        return
    now = ctx.now
    volunteer = Volunteer.objects.create(
        user=user, first_name=user.first_name, last_name=user.last_name, email=user.email, work_kinds=["practical"],
        availability=ALL_SLOTS & 0b111_000_000_000, languages=["nl"], created_at=now - timedelta(days=90),
    )  # fmt: skip
    intake = Intake.objects.create(volunteer=volunteer, organisation=organisation, stage=Intake.Stage.ACTIVE, via=Intake.Via.SIGNUP,
                                   started_at=now - timedelta(days=90), stage_changed_at=now - timedelta(days=60),
                                   extra_support_note="Werkt graag samen met een vaste maatje; korte klussen.")  # fmt: skip
    IntakeStep.objects.create(intake=intake, stage=Intake.Stage.ACTIVE, at=now - timedelta(days=60))
    user.groups.add(Group.objects.get(name="volunteer"))


# --- The access-test world -------------------------------------------------------------------------------


def volunteers_test_world(world: Any) -> None:
    """The volunteer persona's own profile at Humanitas (the coordinator's organisation), another
    organisation's volunteer, a vacancy, a training with a past (attended) and two future sessions, a carer."""
    now = timezone.now()
    humanitas, rode_kruis = world.organisations["humanitas"], world.organisations["rode_kruis"]
    user = world.users["volunteer"]

    def profile(first: str, organisation: Organisation, account: Any = None) -> Volunteer:
        volunteer = Volunteer.objects.create(user=account, first_name=first, last_name="Vrijwilliger",
                                             email=f"{first.lower()}@example.nl", postcode="3561AB", work_kinds=["visits"],
                                             availability=0b111, languages=["nl"], created_at=now)  # fmt: skip
        intake = Intake.objects.create(volunteer=volunteer, organisation=organisation, stage=Intake.Stage.ACTIVE,
                                       stage_changed_at=now, started_at=now, via=Intake.Via.SIGNUP,
                                       extra_support_note="Geheime steunnotitie")  # fmt: skip
        IntakeStep.objects.create(intake=intake, stage=intake.stage, at=now)
        return volunteer

    own = profile("Vera", humanitas, user)
    other = profile("Otto", rode_kruis)
    # Vera's VOG is due in ten days, so the coordinator's overview names her (and logs it).
    issued = add_months(timezone.localdate(), -36) + timedelta(days=10)
    VogRecord.objects.create(volunteer=own, organisation=humanitas, requested_on=issued - timedelta(days=14),
                             issued_on=issued, checked_at=now)  # fmt: skip
    training = Training.objects.create(organisation=humanitas, title="Eenzaamheid herkennen", description="Eén avond.")

    def session(days: int) -> TrainingSession:
        starts = now + timedelta(days=days)
        return TrainingSession.objects.create(training=training, starts_at=starts, ends_at=starts + timedelta(hours=2),
                                              location="Wijkcentrum", capacity=10)  # fmt: skip

    past, future, later = session(-7), session(7), session(14)
    attended = TrainingRegistration.objects.create(session=past, volunteer=own, registered_at=now - timedelta(days=10),
                                                   attended=True, attendance_recorded_at=now)  # fmt: skip
    registration = TrainingRegistration.objects.create(session=later, volunteer=own, registered_at=now)
    TrainingSession.objects.filter(pk__in=[past.pk, later.pk]).update(places_taken=1)
    vacancy = Vacancy.objects.create(organisation=humanitas, title="Bezoekvrijwilliger", description="Bezoek een oudere.",
                                     work_kind="visits", hours="2 uur per week", created_at=now)  # fmt: skip
    carer = Carer.objects.create(organisation=humanitas, first_name="Carla", last_name="Mantelzorger", postcode="3561AB",
                                 cares_for="parent", hours_per_week=20, burden=4, consent_text="test", registered_at=now)  # fmt: skip
    world.extra["volunteers"] = {
        "volunteer": own, "other_volunteer": other, "vacancy": vacancy, "session": future, "past_session": past,
        "attended": attended, "registration": registration, "carer": carer,
    }  # fmt: skip
    world.extra["volunteers"].update(_pairs_test_world(world, own, other))


def _pairs_test_world(world: Any, own: Volunteer, other: Volunteer) -> dict[str, Any]:
    """Requests, a proposal, pairs and a check-in: resident_a with Vera at Humanitas (the volunteer persona's
    own pair), resident_b with Otto at Rode Kruis (another volunteer's resident, which nobody else reaches)."""
    now = timezone.now()
    humanitas, rode_kruis = world.organisations["humanitas"], world.organisations["rode_kruis"]
    resident_a, resident_b = world.residents["a"], world.residents["b"]

    def request(resident: Any, organisation: Organisation, kind: str) -> MatchRequest:
        return MatchRequest.objects.create(
            organisation=organisation, resident=resident, kind=kind, source=MatchRequest.Source.COORDINATOR,
            postcode="3561AB", lat=52.10, lon=5.12, languages=["nl"], keep_in_mind="Houdt van schaken",
            created_at=now - timedelta(days=90),
        )  # fmt: skip

    visit = request(resident_a, humanitas, "visit")
    proposal = Proposal.objects.create(request=visit, volunteer=own, round=uuid.uuid4(), weight=1.2, km=0.8,
                                       parts={"distance": 0.6, "interests": 0.4, "language": 0.2}, created_at=now)  # fmt: skip
    buddy = request(resident_a, humanitas, "buddy")
    started = timezone.localdate() - timedelta(days=60)
    pair = Pair.objects.create(request=buddy, volunteer=own, organisation=humanitas, kind="buddy", stage=Pair.Stage.ACTIVE,
                               volunteer_answer="yes", resident_answer="yes", asked_at=now - timedelta(days=70),
                               introduction_on=started, started_on=started)  # fmt: skip
    check_in = CheckIn.objects.create(pair=pair, moment="6w", due_on=started + timedelta(days=42))
    others = request(resident_b, rode_kruis, "visit")
    other_pair = Pair.objects.create(request=others, volunteer=other, organisation=rode_kruis, kind="visit",
                                     stage=Pair.Stage.ACTIVE, volunteer_answer="yes", resident_answer="yes",
                                     asked_at=now - timedelta(days=30), started_on=timezone.localdate() - timedelta(days=20))  # fmt: skip
    # The meal-host persona's household at Eet Mee, with resident_a as a guest.
    eet_mee = world.organisations["eet_mee"]
    host = Volunteer.objects.create(user=world.users["meal_host"], first_name="Gerda", last_name="Gastvrouw",
                                    email="gerda@example.nl", postcode="3561AB", work_kinds=["meal_host"], guests_per_meal=2,
                                    diets=["halal"], availability=0b111, languages=["nl"], created_at=now)  # fmt: skip
    Intake.objects.create(volunteer=host, organisation=eet_mee, stage=Intake.Stage.ACTIVE, stage_changed_at=now,
                          started_at=now, via=Intake.Via.SIGNUP)  # fmt: skip
    meal = request(resident_a, eet_mee, "eet_mee")
    host_pair = Pair.objects.create(request=meal, volunteer=host, organisation=eet_mee, kind="eet_mee", stage=Pair.Stage.ACTIVE,
                                    volunteer_answer="yes", resident_answer="yes", asked_at=now - timedelta(days=30),
                                    started_on=timezone.localdate() - timedelta(days=20), meal_rhythm="weekly", meal_day=2)  # fmt: skip
    return {"match_request": visit, "proposal": proposal, "pair": pair, "check_in": check_in, "other_pair": other_pair,
            "host_pair": host_pair}  # fmt: skip

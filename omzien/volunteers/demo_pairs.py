# SPDX-License-Identifier: EUPL-1.2
"""The demo city's matches: 40 Eet Mee host households, 600 pairs with three years of history (so the
durability curves are real ones, with pairs still running and pairs that ended for every reason),
check-ins and logged visits, and requests still waiting. Written in bulk (the seed must stay fast);
the demo volunteer has a running pair and a question to answer in their portal."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

from omzien.accounts.models import Organisation
from omzien.residents.models import ResidentLink
from omzien.volunteers.models import (
    CheckIn,
    Contact,
    Diet,
    Intake,
    IntakeStep,
    MatchRequest,
    Pair,
    PairStep,
    VogRecord,
    Volunteer,
)
from omzien.volunteers.selectors import add_months

HOSTS = 40
PAIRS = 600
OPEN_REQUESTS = 150
# Organisation, kind of match, the volunteers' work, share of the pairs, median months a pair lasts.
ROUTES: list[tuple[str, str, str, float, float]] = [
    ("Humanitas", "visit", "visits", 0.22, 14), ("Humanitas", "buddy", "buddy", 0.14, 10),
    ("Rode Kruis", "visit", "visits", 0.10, 12), ("U Centraal", "network_coach", "network_coach", 0.08, 6),
    ("Handje Helpen", "buddy", "buddy", 0.08, 9), ("Handje Helpen", "respite", "respite", 0.05, 8),
    ("CSP 't Zonnetje", "visit", "visits", 0.06, 20), ("Stichting MORIA", "visit", "visits", 0.06, 18),
    ("Eet Mee", "eet_mee", "meal_host", 0.21, 16),
]  # fmt: skip
END_REASONS = [("goal_reached", 0.25), ("mismatch", 0.2), ("volunteer_stopped", 0.25), ("moved", 0.15), ("passed_away", 0.1),
               ("other", 0.05)]  # fmt: skip
MOMENTS = (("6w", 0, 42), ("3m", 3, 0), ("6m", 6, 0), ("12m", 12, 0))


def _hosts(ctx: Any, eet_mee: Organisation, postcodes: list[Any], interests: list[int], coordinator: Any) -> list[Volunteer]:
    rng, fake, now = ctx.rng, ctx.fake, ctx.now
    hosts = []
    for n in range(HOSTS):
        code, buurt, lat, lon = rng.choice(postcodes)
        first, last = fake.first_name(), fake.last_name()
        hosts.append(Volunteer(
            first_name=first, last_name=last, email=f"gastgezin.{n}@demo.omzien.localhost", phone=f"06-{rng.randint(10000000, 99999999)}",
            postcode=code, neighbourhood_id=buurt, lat=lat, lon=lon, work_kinds=["meal_host"], availability=(0b110 << (3 * rng.randint(0, 6))),
            languages=["nl"] + (["ar"] if rng.random() < 0.1 else []) + (["tr"] if rng.random() < 0.1 else []),
            max_travel_km=rng.choice([2, 3, 5]), guests_per_meal=rng.choice([1, 2, 2, 3, 4]),
            diets=rng.sample([d.value for d in Diet], rng.randint(0, 3)), created_at=now - timedelta(days=rng.randint(400, 1400)),
            motivation="Wij koken graag voor iemand uit de buurt.",
        ))  # fmt: skip
    # The demo host (demo-gastgezin) runs the first household.
    account = ctx.users.get("meal_host")
    if account is not None:
        hosts[0].user, hosts[0].first_name, hosts[0].last_name = account, account.first_name, account.last_name
        hosts[0].guests_per_meal = 4
    hosts = Volunteer.objects.bulk_create(hosts)
    intakes = Intake.objects.bulk_create([
        Intake(volunteer=h, organisation=eet_mee, stage=Intake.Stage.ACTIVE, stage_changed_at=h.created_at + timedelta(days=30),
               started_at=h.created_at, via=Intake.Via.SIGNUP) for h in hosts
    ])  # fmt: skip
    IntakeStep.objects.bulk_create([IntakeStep(intake=i, stage=i.stage, at=i.stage_changed_at, by=coordinator) for i in intakes])
    VogRecord.objects.bulk_create([
        VogRecord(volunteer=h, organisation=eet_mee, requested_on=(now - timedelta(days=400)).date(),
                  issued_on=(now - timedelta(days=380 - rng.randint(0, 300))).date(), checked_by=coordinator, checked_at=now - timedelta(days=370))
        for h in hosts
    ])  # fmt: skip
    Volunteer.interests.through.objects.bulk_create([
        Volunteer.interests.through(volunteer_id=h.pk, term_id=t) for h in hosts for t in rng.sample(interests, min(2, len(interests)))
    ])  # fmt: skip
    return hosts


def _weighted(rng: Any, options: list[tuple[Any, float]]) -> Any:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


def demo_pairs_seed(ctx: Any, organisations: dict[str, Organisation], coordinator_of: dict[int, Any], postcodes: list[Any],
                    interests: list[int], own: Volunteer | None) -> dict[str, int]:  # fmt: skip
    """Hosts, pairs with their history, check-ins, logged visits and open requests; returns counts."""
    rng, now = ctx.rng, ctx.now
    today = now.date()
    eet_mee = ctx.organisations.get("Eet Mee")
    residents = [r for r in ctx.residents if r.postcode][:4000]
    if not residents or not postcodes:
        return {}
    place = {code: (buurt, lat, lon) for code, buurt, lat, lon in postcodes}
    hosts = _hosts(ctx, eet_mee, postcodes, interests, coordinator_of.get(eet_mee.pk)) if eet_mee else []
    every = {**organisations, **({"Eet Mee": eet_mee} if eet_mee else {})}
    # The active volunteers of each organisation and work.
    pool: dict[tuple[int, str], list[Volunteer]] = {}
    for intake in Intake.objects.filter(stage=Intake.Stage.ACTIVE).select_related("volunteer").only(
            "organisation_id", "volunteer__id", "volunteer__work_kinds", "volunteer__max_pairs", "volunteer__guests_per_meal"):  # fmt: skip
        for work in intake.volunteer.work_kinds:
            pool.setdefault((intake.organisation_id, work), []).append(intake.volunteer)
    routes = [(every[o], kind, work, median) for o, kind, work, _share, median in ROUTES if o in every]
    weights = [share for o, _k, _w, share, _m in ROUTES if o in every]
    # Current pairs per volunteer, never more than their places. The demo volunteer's and the demo host's own story
    # (_own_pairs: a pair running and a question to answer) takes two of theirs.
    current: dict[int, int] = {story.pk: 2 for story in (own, hosts[0] if hosts and hosts[0].user_id else None) if story}
    requests: list[MatchRequest] = []
    pairs: list[Pair] = []
    rng.shuffle(residents)
    people = itertools.cycle(residents)  # a small test city has fewer residents than requests

    def request_for(organisation: Organisation, kind: str, created: datetime, status: str) -> MatchRequest | None:
        resident = next(people, None)
        if resident is None:
            return None
        buurt, lat, lon = place.get(resident.postcode) or rng.choice(postcodes)[1:]
        return MatchRequest(
            organisation=organisation, resident=resident, kind=kind, source=rng.choice(["referral", "resident", "coordinator"]),
            status=status, need=rng.choice([1, 2, 2, 3]), postcode=resident.postcode, neighbourhood_id=buurt, lat=lat, lon=lon,
            languages=list(resident.languages or ["nl"]), interests=rng.sample(interests, min(len(interests), rng.randint(0, 2))),
            availability=rng.getrandbits(21), diets=rng.sample(["halal", "vegetarian", "diabetic"], rng.randint(0, 1)) if kind == "eet_mee" else [],
            max_km=rng.choice([2, 3, 5]), keep_in_mind=rng.choice(["", "Hoort slecht; spreek rustig.", "Houdt van wandelen en de krant.",
                                                                    "Heeft een hond.", "Slecht ter been; graag thuis afspreken."]),
            created_at=created,
        )  # fmt: skip

    for _n in range(PAIRS):
        index = rng.choices(range(len(routes)), weights=weights)[0]
        organisation, kind, work, median = routes[index]
        candidates = hosts if kind == "eet_mee" else pool.get((organisation.pk, work), [])
        if not candidates:
            continue
        started = today - timedelta(days=rng.randint(1, 3 * 365))
        wait = rng.randint(5, 75)
        created = datetime.combine(started - timedelta(days=wait + 10), datetime.min.time(), tzinfo=now.tzinfo)
        # Weibull-like durations: a pair's chance to end falls the longer it lasts (shape 0.8).
        lasts = int(median * 30.4 * (rng.weibullvariate(1.0, 0.8) / 0.63))
        ends = started + timedelta(days=max(lasts, 7))
        ended = ends <= today
        volunteer = rng.choice(candidates)
        places = volunteer.places_for(kind)
        if not ended and current.get(volunteer.pk, 0) >= places:
            free = [v for v in candidates if current.get(v.pk, 0) < v.places_for(kind)]
            if not free:
                continue
            volunteer = rng.choice(free)
        if not ended:
            current[volunteer.pk] = current.get(volunteer.pk, 0) + 1
        request = request_for(organisation, kind, created, MatchRequest.Status.OPEN if ended and rng.random() < 0.3 else
                              (MatchRequest.Status.CLOSED if ended else MatchRequest.Status.MATCHED))  # fmt: skip
        if request is None:
            break
        reason = _weighted(rng, END_REASONS) if ended else ""
        if ended and request.status == MatchRequest.Status.OPEN and reason in ("moved", "passed_away", "goal_reached"):
            request.status = MatchRequest.Status.CLOSED
        requests.append(request)
        pairs.append(Pair(
            request=request, volunteer=volunteer, organisation=organisation, kind=kind,
            stage=Pair.Stage.ENDED if ended else Pair.Stage.ACTIVE, volunteer_answer="yes", resident_answer="yes",
            asked_at=created + timedelta(days=wait), introduction_on=started, started_on=started,
            ended_on=ends if ended else None, end_reason=reason,
            meal_rhythm=rng.choice(["weekly", "fortnightly", "monthly"]) if kind == "eet_mee" else "",
            meal_day=rng.randint(0, 6) if kind == "eet_mee" else None,
        ))  # fmt: skip
    for organisation, kind, _work, _median in routes:
        for _n in range(OPEN_REQUESTS // len(routes)):
            request = request_for(organisation, kind, now - timedelta(days=rng.randint(1, 120)), MatchRequest.Status.OPEN)
            if request is not None:
                requests.append(request)
    requests = MatchRequest.objects.bulk_create(requests, batch_size=1000)
    for pair in pairs:
        pair.request_id = pair.request.pk
    pairs = Pair.objects.bulk_create(pairs, batch_size=1000)
    # The organisation sees the people of its open and running requests (a request or referral link).
    ResidentLink.objects.bulk_create([
        ResidentLink(resident=r.resident, kind="request", organisation_id=r.organisation_id, source=f"volunteers.MatchRequest:{r.pk}")
        for r in requests if r.status != MatchRequest.Status.CLOSED
    ], batch_size=1000)  # fmt: skip
    _history(ctx, pairs, coordinator_of, today)
    if own is not None:
        _own_pairs(ctx, own, residents[-2:], place, postcodes)
    if hosts and hosts[0].user_id:
        _own_pairs(ctx, hosts[0], residents[-4:-2], place, postcodes, kinds=("eet_mee", "eet_mee"))
    return {"pairs": len(pairs), "match_requests": len(requests), "hosts": len(hosts)}


def _history(ctx: Any, pairs: list[Pair], coordinator_of: dict[int, Any], today: date) -> None:
    """Each pair's steps, its check-ins (most filled in; some recent ones still due) and a few visits."""
    rng = ctx.rng
    steps, check_ins, contacts = [], [], []
    for pair in pairs:
        by = coordinator_of.get(pair.organisation_id)
        started = pair.started_on
        assert started is not None
        at = datetime.combine(started, datetime.min.time(), tzinfo=ctx.now.tzinfo)
        steps += [PairStep(pair=pair, stage="asked", what="proposal accepted", at=pair.asked_at, by=by),
                  PairStep(pair=pair, stage="introduction", what="both said yes", at=pair.asked_at + timedelta(days=3), by=by),
                  PairStep(pair=pair, stage="active", what="introduction held; active", at=at, by=by)]  # fmt: skip
        last = pair.ended_on or today
        if pair.ended_on:
            steps.append(PairStep(pair=pair, stage="ended", what=f"ended: {pair.end_reason}", at=at + timedelta(days=(last - started).days), by=by))
        for moment, months, days in MOMENTS:
            due = add_months(started, months) + timedelta(days=days)
            if due > last:
                break
            done = rng.random() < (0.55 if (today - due).days < 30 and not pair.ended_on else 0.9)
            check_ins.append(CheckIn(
                pair=pair, moment=moment, due_on=due, done_by=by if done else None,
                done_at=datetime.combine(due + timedelta(days=rng.randint(0, 10)), datetime.min.time(), tzinfo=ctx.now.tzinfo) if done else None,
                still_meeting=True if done else None, times_a_month=rng.choice([1, 2, 4]) if done else None,
                resident_going=rng.choice([3, 4, 4, 5]) if done else None, volunteer_going=rng.choice([3, 4, 5]) if done else None,
            ))  # fmt: skip
        for _k in range(rng.randint(0, 4)):
            on = started + timedelta(days=rng.randint(0, max((last - started).days, 0)))
            contacts.append(Contact(pair=pair, on=on, minutes=rng.choice([60, 90, 120, 150]), logged_by=None,
                                    logged_at=datetime.combine(on, datetime.min.time(), tzinfo=ctx.now.tzinfo)))  # fmt: skip
    PairStep.objects.bulk_create(steps, batch_size=2000)
    CheckIn.objects.bulk_create(check_ins, batch_size=2000)
    Contact.objects.bulk_create(contacts, batch_size=2000)


def _own_pairs(ctx: Any, own: Volunteer, residents: list[Any], place: dict[str, Any], postcodes: list[Any],
               kinds: tuple[str, str] = ("buddy", "visit")) -> None:  # fmt: skip
    """The demo volunteer (or host): a pair running for three months, and a new question to answer."""
    now, today = ctx.now, ctx.now.date()
    humanitas = own.intakes.first().organisation  # type: ignore[union-attr]
    for resident, kind, stage in ((residents[0], kinds[0], Pair.Stage.ACTIVE), (residents[1], kinds[1], Pair.Stage.ASKED)):
        buurt, lat, lon = place.get(resident.postcode) or postcodes[0][1:]
        request = MatchRequest.objects.create(
            organisation=humanitas, resident=resident, kind=kind, source="referral", status=MatchRequest.Status.MATCHED,
            postcode=resident.postcode, neighbourhood_id=buurt, lat=lat, lon=lon, languages=list(resident.languages or ["nl"]),
            keep_in_mind="Houdt van schaken en de krant.", created_at=now - timedelta(days=120 if stage == "active" else 10),
        )  # fmt: skip
        ResidentLink.objects.create(resident=resident, kind="request", organisation=humanitas, source=f"volunteers.MatchRequest:{request.pk}")
        started = today - timedelta(days=95)
        pair = Pair.objects.create(
            request=request, volunteer=own, organisation=humanitas, kind=kind, stage=stage, asked_at=now - timedelta(days=5 if stage == "asked" else 105),
            volunteer_answer="yes" if stage == "active" else "", resident_answer="yes",
            introduction_on=started if stage == "active" else None, started_on=started if stage == "active" else None,
            meal_rhythm="fortnightly" if kind == "eet_mee" and stage == "active" else "",
        )  # fmt: skip
        if stage == Pair.Stage.ACTIVE and own.user_id:
            pair.link = ResidentLink.objects.create(resident=resident, kind="match", organisation=humanitas, user_id=own.user_id,
                                                    source=f"volunteers.Pair:{pair.pk}")  # fmt: skip
            pair.save(update_fields=["link"])
            CheckIn.objects.create(pair=pair, moment="6w", due_on=started + timedelta(days=42))
            CheckIn.objects.create(pair=pair, moment="3m", due_on=add_months(started, 3))

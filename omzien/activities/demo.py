# SPDX-License-Identifier: EUPL-1.2
"""The demo sociale kaart: about 300 activities in the 10 wijken, about 6,000 places, nine in ten taken.

Deterministic from a seed; bulk inserts. Popular activities are full with a waiting list. Every
registered or waiting resident gets the registration link and the sharing consent a real
registration would make, so the providers' pages behave as in production.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from omzien import policy
from omzien.accounts.models import Organisation
from omzien.activities import search_index
from omzien.activities.models import (
    Activity,
    Attendance,
    Location,
    Registration,
    Schedule,
    Term,
    WaitingListEntry,
)
from omzien.activities.schedules import Slot, sessions_between
from omzien.geo.models import District, Postcode
from omzien.residents.models import ConsentEvent, ConsentMethod, ConsentPurpose, Resident, ResidentLink

# (title, provider, interests, target groups, languages, access, typical places)
KINDS: list[tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], str, int]] = [
    ("Huiskamer in de wijk", "AxionContinu", ("ontmoeten",), ("65-plus",), ("nl",), "walk_in", 18),
    ("Koffieochtend", "U Centraal", ("ontmoeten",), ("iedereen",), ("nl",), "walk_in", 25),
    ("Seniorensoos", "AxionContinu", ("spelletjes", "ontmoeten"), ("65-plus",), ("nl",), "walk_in", 30),
    ("Wandelgroep", "U Centraal", ("wandelen", "bewegen"), ("iedereen",), ("nl",), "walk_in", 15),
    ("Kookclub", "U Centraal", ("koken", "samen-eten"), ("iedereen",), ("nl", "ar", "tr"), "walk_in", 12),
    ("Samen eten", "AxionContinu", ("samen-eten",), ("65-plus",), ("nl",), "walk_in", 24),
    ("Digicafé", "Digiwijs", ("digitaal",), ("65-plus",), ("nl",), "walk_in", 10),
    ("Tablet- en telefoonhulp", "Digiwijs", ("digitaal",), ("iedereen",), ("nl", "en"), "walk_in", 8),
    ("Bewegen voor ouderen", "AxionContinu", ("bewegen",), ("65-plus",), ("nl",), "walk_in", 16),
    ("Zingen in de buurt", "U Centraal", ("muziek",), ("iedereen",), ("nl",), "walk_in", 25),
    ("Handwerkclub", "U Centraal", ("handwerken", "creatief"), ("iedereen",), ("nl", "tr"), "walk_in", 12),
    ("Moestuin", "De Nieuwe Jutter", ("tuinieren", "klussen"), ("psychische-kwetsbaarheid",), ("nl",), "indication", 10),
    ("Werkplaats", "De Nieuwe Jutter", ("klussen",), ("psychische-kwetsbaarheid", "beperking"), ("nl",), "indication", 12),
    ("Dagbesteding ouderen", "AxionContinu", ("ontmoeten", "creatief"), ("dementie", "65-plus"), ("nl",), "indication", 14),
    ("Taalcafé", "U Centraal", ("taal", "ontmoeten"), ("nieuwkomers",), ("nl", "ar", "en"), "walk_in", 15),
    ("Chinese ouderensoos", "AxionContinu", ("ontmoeten", "spelletjes"), ("chineessprekende-ouderen",), ("zh", "nl"), "walk_in", 20),
    ("Surinaamse ouderenmiddag", "U Centraal", ("ontmoeten", "muziek"), ("surinaamse-ouderen",), ("nl", "srn"), "walk_in", 20),
    ("Mantelzorgcafé", "U Centraal", ("ontmoeten",), ("mantelzorgers",), ("nl",), "walk_in", 15),
    ("Schilderen en tekenen", "AxionContinu", ("creatief",), ("iedereen",), ("nl",), "walk_in", 10),
    ("Leesclub", "U Centraal", ("lezen",), ("iedereen",), ("nl",), "walk_in", 10),
]  # fmt: skip
PLACES = ("Buurtcentrum", "Wijkcentrum", "Buurthuis", "Huiskamer", "Ontmoetingscentrum")
STARTS = [time(9, 30), time(10), time(10, 30), time(13, 30), time(14), time(15), time(19)]


def demo_activities_seed(*, seed: int = 344, activities: int = 300) -> int:
    """Create the demo activities with registrations and waiting lists; return how many activities."""
    if Activity.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    now = timezone.now()
    providers = {o.name: o for o in Organisation.objects.filter(name__in={k[1] for k in KINDS})}
    terms = {(t.vocabulary, t.code): t for t in Term.objects.all()}
    districts = list(District.objects.order_by("code"))
    weights = [d.population or 1 for d in districts]
    postcodes: dict[int, list[Postcode]] = defaultdict(list)
    for postcode in Postcode.objects.filter(code__regex=r"^\d{4}[A-Z]{2}$", lat__isnull=False).select_related(
        "neighbourhood"
    ):
        postcodes[postcode.neighbourhood.district_id].append(postcode)

    capacities = []
    plans = []
    for index in range(activities):
        district = rng.choices(districts, weights)[0] if index >= len(districts) else districts[index]
        kind = KINDS[index % len(KINDS)] if index < len(KINDS) else rng.choice(KINDS)
        plans.append((district, kind))
        capacities.append(max(4, int(rng.gauss(kind[6], kind[6] * 0.25))))
    # Scale to the city's figure (6,000 in the demo), keeping every activity at 4 places or more.
    target = policy.get("activities.places_start")
    factor = target / sum(capacities)
    capacities = [max(4, round(c * factor)) for c in capacities]
    capacities[-1] += target - sum(capacities)

    locations: dict[int, list[Location]] = defaultdict(list)
    created: list[Activity] = []
    for index, ((district, kind), capacity) in enumerate(zip(plans, capacities, strict=True)):
        title, provider_name, interests, groups, languages, access, _typical = kind
        provider = providers.get(provider_name) or next(iter(providers.values()))
        pool = locations[district.pk]
        if pool and rng.random() < 0.6:
            location = rng.choice(pool)
        else:
            spot = rng.choice(postcodes[district.pk])
            location = Location.objects.create(
                organisation=provider, name=f"{rng.choice(PLACES)} {spot.neighbourhood.name}",
                street=f"{spot.neighbourhood.name}plein {rng.randrange(1, 60)}", postcode=spot.code,
                neighbourhood=spot.neighbourhood, lat=spot.lat, lon=spot.lon,
                wheelchair_accessible=rng.random() < 0.8, hearing_loop=rng.random() < 0.3,
            )  # fmt: skip
            pool.append(location)
        stale = rng.random() < 0.07
        created.append(
            Activity(
                organisation=provider,
                location=location,
                title=f"{title} {location.neighbourhood.name}",  # type: ignore[union-attr]
                description=_description(title, location.name),
                capacity=capacity,
                languages=list(languages),
                access=access,
                cost_eur=rng.choice([0, 0, 0, 1, 2.5, 3.5]) if access == "walk_in" else 0,
                contact_phone=f"030-{rng.randrange(2000000, 2999999)}",
                last_confirmed_at=now
                - timedelta(days=rng.randrange(200, 400) if stale else rng.randrange(1, 150)),
            )  # fmt: skip
        )
        del index
    Activity.objects.bulk_create(created, batch_size=500)
    through_interests: list[Any] = []
    through_groups: list[Any] = []
    schedules: list[Schedule] = []
    for activity, (_district, kind) in zip(created, plans, strict=True):
        through_interests.extend(
            Activity.interests.through(activity=activity, term=terms[("interest", code)]) for code in kind[2]
        )
        through_groups.extend(
            Activity.target_groups.through(activity=activity, term=terms[("target_group", code)])
            for code in kind[3]
        )
        days = rng.sample(range(5) if rng.random() < 0.9 else range(7), k=rng.choice([1, 1, 2, 2, 3]))
        start = rng.choice(STARTS)
        for day in days:
            end = (datetime.combine(now.date(), start) + timedelta(hours=rng.choice([1.5, 2, 3]))).time()
            schedules.append(Schedule(activity=activity, weekday=day, starts_at=start, ends_at=end))
    Activity.interests.through.objects.bulk_create(through_interests)
    Activity.target_groups.through.objects.bulk_create(through_groups)
    Schedule.objects.bulk_create(schedules)
    search_index.refresh([a.pk for a in created])
    _participants(rng, created, now)
    return len(created)


def _description(title: str, place: str) -> str:
    return (
        f"{title} in {place}. Iedereen is welkom: kom langs voor gezelschap, een kop koffie en een praatje. "
        "Vrijwilligers en een beroepskracht zijn er om u te ontvangen."
    )


def _participants(rng: random.Random, activities: list[Activity], now: datetime) -> None:
    """Fill about nine in ten places; popular activities are full and get a waiting list."""
    residents_by_district: dict[int, list[Resident]] = defaultdict(list)
    for person in Resident.objects.select_related("neighbourhood").order_by("pk"):
        if person.neighbourhood is not None:
            residents_by_district[person.neighbourhood.district_id].append(person)
    everyone = [p for group in residents_by_district.values() for p in group]
    demo_resident = Resident.objects.filter(user__isnull=False).order_by("pk").first()
    registrations: list[Registration] = []
    waiting: list[WaitingListEntry] = []
    shared: set[tuple[int, int]] = set(
        ResidentLink.objects.filter(kind=ResidentLink.Kind.REGISTRATION, ended_at=None).values_list(
            "resident_id", "organisation_id"
        )
    )
    new_links: list[ResidentLink] = []
    consents: list[ConsentEvent] = []
    recorder = activities[0].organisation.members.first()

    def share(person: Resident, activity: Activity) -> None:
        key = (person.pk, activity.organisation_id)
        if key in shared:
            return
        shared.add(key)
        new_links.append(ResidentLink(resident=person, kind=ResidentLink.Kind.REGISTRATION,
                                      organisation_id=activity.organisation_id, source="demo"))  # fmt: skip
        if recorder is not None:
            consents.append(ConsentEvent(resident=person, purpose=ConsentPurpose.SHARING, given=True,
                                         organisation_id=activity.organisation_id, method=ConsentMethod.DIGITAL,
                                         recorded_by=recorder))  # fmt: skip

    for index, activity in enumerate(activities):
        district_id = activity.location.neighbourhood.district_id  # type: ignore[union-attr]
        local = residents_by_district.get(district_id) or everyone
        full = index % 8 == 0  # the popular ones
        taken = (
            activity.capacity
            if full
            else min(activity.capacity, round(activity.capacity * rng.uniform(0.78, 1.0)))
        )
        chosen = rng.sample(local, k=min(len(local), taken + (rng.randrange(2, 9) if full else 0)))
        for person in chosen[:taken]:
            registrations.append(Registration(activity=activity, resident=person, via=Registration.Via.DEMO))
            share(person, activity)
        for person in chosen[taken:]:
            waiting.append(WaitingListEntry(activity=activity, resident=person, need=rng.choice([1, 1, 2, 2, 3]),
                                            joined_at=now - timedelta(days=rng.randrange(1, 120))))  # fmt: skip
            share(person, activity)
        activity.places_taken = min(taken, len(chosen))
    # The demo resident takes part in one activity and waits for a full one.
    if demo_resident is not None:
        first_open = next(a for a in activities if a.places_taken < a.capacity)
        first_full = next(a for a in activities if a.places_taken >= a.capacity)
        registrations.append(
            Registration(activity=first_open, resident=demo_resident, via=Registration.Via.DEMO)
        )
        first_open.places_taken += 1
        waiting.append(WaitingListEntry(activity=first_full, resident=demo_resident, need=2,
                                        joined_at=now - timedelta(days=20)))  # fmt: skip
        share(demo_resident, first_open)
        share(demo_resident, first_full)
    Activity.objects.bulk_update(activities, ["places_taken"], batch_size=500)
    Registration.objects.bulk_create(registrations, batch_size=2000)
    WaitingListEntry.objects.bulk_create(waiting, batch_size=2000)
    ResidentLink.objects.bulk_create(new_links, batch_size=2000)
    ConsentEvent.objects.bulk_create(consents, batch_size=2000)
    _attendance(rng, activities, now)


def _attendance(rng: random.Random, activities: list[Activity], now: datetime) -> None:
    """Four weeks of attendance: most participants come most weeks."""
    today = timezone.localdate(now)
    slots = defaultdict(list)
    for schedule in Schedule.objects.filter(activity__in=activities):
        slots[schedule.activity_id].append(Slot(schedule.weekday, schedule.starts_at, schedule.ends_at))
    rows: list[Attendance] = []
    for registration in Registration.objects.filter(activity__in=activities).only("pk", "activity_id"):
        habit = rng.uniform(0.5, 0.95)
        days = sessions_between(
            slots[registration.activity_id], today - timedelta(days=27), today - timedelta(days=1)
        )
        rows.extend(
            Attendance(registration_id=registration.pk, session_date=day, present=rng.random() < habit)
            for day in days
        )
    Attendance.objects.bulk_create(rows, batch_size=5000)

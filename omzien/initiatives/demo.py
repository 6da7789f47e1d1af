# SPDX-License-Identifier: EUPL-1.2
"""The initiatives room's part of the demo city and of the access-test world.

Demo: a social broker per wijk (the existing demo-makelaar serves Overvecht), a fund budget per wijk,
about sixty initiatives in every stage (some published in the sociale kaart and asking for volunteers
through those rooms' services), twenty community centres with rooms and opening hours, a month of
bookings (two weeks back, two ahead) and two weeks of visitor counts, key figures with contacts.
Bulk inserts with explicit times, except what goes through other rooms' services.
"""

from __future__ import annotations

import io
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from omzien.accounts.roles import Role
from omzien.activities.schedules import Slot
from omzien.audit.events import Actor
from omzien.geo.models import District, Postcode
from omzien.initiatives.models import (
    Booking,
    BrokerArea,
    Budget,
    Centre,
    CentreRoom,
    ContactMoment,
    Initiative,
    InitiativeEvent,
    InitiativePhoto,
    KeyFigure,
    OpeningHours,
    PartOfDay,
    Status,
    VisitorCount,
)

SYSTEM = Actor(display="demo", role="system", channel="demo")
IDEAS = [
    ("Soep op woensdag", "Elke woensdag koken we soep en eten we samen in de buurtkamer.", "buren die alleen wonen"),
    ("Wandelgroep", "Een uur wandelen door de wijk, daarna koffie.", "iedereen die graag buiten is"),
    ("Repair Café", "Vrijwilligers repareren kapotte spullen; bezoekers drinken koffie en praten.", "alle buurtbewoners"),
    ("Samen eten", "Een driegangenmenu voor een kleine prijs, gekookt door buurtbewoners.", "ouderen en alleenstaanden"),
    ("Moestuin", "Een gemeenschappelijke moestuin waar buren samen zaaien en oogsten.", "buren zonder tuin"),
    ("Koffieochtend", "Elke dinsdagochtend koffie en een praatje.", "oudere buurtbewoners"),
    ("Breiclub", "Samen breien en haken, voor wie het kan en wie het wil leren.", "iedereen"),
    ("Taalcafé", "Nederlands oefenen in een ontspannen gesprek.", "nieuwe Utrechters"),
    ("Spelletjesmiddag", "Rummikub, klaverjassen en sjoelen.", "senioren"),
    ("Zingen in de buurt", "Een buurtkoor zonder auditie.", "iedereen die graag zingt"),
    ("Computerhulp 65+", "Hulp bij de telefoon, de tablet en DigiD.", "65-plussers"),
    ("Fietsmaatjes", "Samen fietsen op een duofiets.", "ouderen die niet meer alleen fietsen"),
]
CENTRE_KINDS = ("Buurthuis", "Wijkcentrum")
ROOMS = (("Grote zaal", 80, True, True, False), ("Ontmoetingsruimte", 30, True, False, True),
         ("Keuken", 12, True, False, True), ("Vergaderkamer", 10, False, True, False))  # fmt: skip
SLOTS = ((time(10), time(12)), (time(14), time(16)), (time(19), time(21)))
# How many initiatives of each stage (about sixty in all).
STAGES = ((Status.RECEIVED, 10), (Status.IN_CONVERSATION, 9), (Status.GRANTED, 9), (Status.DECLINED, 7),
          (Status.RUNNING, 16), (Status.EVALUATED, 9))  # fmt: skip
# Their roles in the wijk in Dutch, as a broker writes them (the demo's users work in Dutch).
KEY_FIGURES = (("person", "leidt de vrouwengroep van de moskee"), ("person", "huismeester van de flats"),
               ("organisation", "de basisschool"), ("person", "voorzitter van de bewonerscommissie"),
               ("organisation", "de diaconie van de kerk"))  # fmt: skip


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _postcodes(district: District, rng: Any, count: int) -> list[Postcode]:
    found = list(Postcode.objects.filter(neighbourhood__district=district, code__regex=r"^\d{4}[A-Z]{2}$")
                 .select_related("neighbourhood").order_by("code")[:200])  # fmt: skip
    return [rng.choice(found) for _ in range(count)] if found else []


def initiatives_demo_seed(ctx: Any) -> None:
    """Brokers, budgets, centres with a month of bookings, sixty initiatives, key figures (see the module)."""
    from omzien.accounts.demo import demo_user_create

    rng, fake, now = ctx.rng, ctx.fake, ctx.now
    today = timezone.localdate(now)
    districts = list(District.objects.order_by("code"))
    if not districts:
        return
    organisation = ctx.organisations.get("U Centraal")
    brokers: dict[int, Any] = {}
    first = ctx.users.get(Role.SOCIAL_BROKER.value)
    for district in districts:
        if district.name == "Overvecht" and first is not None:
            brokers[district.pk] = first
        else:
            slug = district.name.lower().replace(" ", "-")
            brokers[district.pk] = demo_user_create(ctx, Role.SOCIAL_BROKER.value, f"demo-makelaar-{slug}", organisation)
    if first is not None and not any(user == first for user in brokers.values()):
        brokers[districts[0].pk] = first
    BrokerArea.objects.bulk_create(BrokerArea(user=user, district_id=pk) for pk, user in brokers.items())
    Budget.objects.bulk_create(
        Budget(district=district, year=year, amount=Decimal(rng.choice([30000, 40000, 50000])))
        for district in districts for year in (today.year - 1, today.year)
    )  # fmt: skip
    centres = _centres(districts, rng, fake)
    _bookings(centres, rng, today, now, organisation)
    _initiatives(ctx, districts, brokers, centres, rng, fake, now)
    _network(districts, brokers, rng, fake, now)
    ctx.extra["initiatives_centres"] = len(centres)


def _centres(districts: list[District], rng: Any, fake: Any) -> list[Centre]:
    centres: list[Centre] = []
    for district in districts:
        for kind, postcode in zip(CENTRE_KINDS, _postcodes(district, rng, 2), strict=False):
            centres.append(Centre(
                name=f"{kind} {postcode.neighbourhood.name}", district=district, neighbourhood=postcode.neighbourhood,
                street=f"{fake.street_name()} {rng.randint(1, 120)}", postcode=postcode.code, lat=postcode.lat,
                lon=postcode.lon, phone=f"030-{rng.randint(2000000, 2999999)}",
                description="Koffie-inloop, eettafel, taalles, spelmiddagen en ruimte voor bewonersinitiatieven.",
            ))  # fmt: skip
    seen: set[str] = set()
    centres = [c for c in centres if not (c.name in seen or seen.add(c.name))]  # type: ignore[func-returns-value]
    Centre.objects.bulk_create(centres)
    OpeningHours.objects.bulk_create(
        [OpeningHours(centre=c, weekday=day, opens=time(9), closes=time(22)) for c in centres for day in range(5)]
        + [OpeningHours(centre=c, weekday=5, opens=time(10), closes=time(17)) for c in centres]
    )  # fmt: skip
    CentreRoom.objects.bulk_create(
        CentreRoom(centre=c, name=name, capacity=capacity, wheelchair_accessible=wheelchair, hearing_loop=loop, kitchen=kitchen)
        for c in centres for name, capacity, wheelchair, loop, kitchen in ROOMS[: rng.randint(2, 4)]
    )  # fmt: skip
    return centres


def _bookings(centres: list[Centre], rng: Any, today: date, now: datetime, organisation: Any) -> None:
    """Two weeks back and two weeks ahead, on weekdays, in fixed slots (so they never overlap)."""
    rows = []
    groups = ("Taalcafé", "Koffie-inloop", "Eettafel", "Yoga 60+", "Huiswerkbegeleiding", "Bewonersoverleg", "Breiclub")
    rooms = list(CentreRoom.objects.filter(centre__in=centres))
    for offset in range(-14, 15):
        day = today + timedelta(days=offset)
        if day.weekday() > 4:
            continue
        for room in rooms:
            for starts, ends in SLOTS:
                if rng.random() < 0.35:
                    title = rng.choice(groups)
                    rows.append(Booking(room=room, starts_at=_aware(day, starts), ends_at=_aware(day, ends), title=title,
                                        booked_for=title if rng.random() < 0.5 else (organisation.name if organisation else title),
                                        expected_visitors=min(room.capacity, rng.randint(5, 25)), booked_at=now - timedelta(days=20)))  # fmt: skip
    Booking.objects.bulk_create(rows)
    counted = [today - timedelta(days=offset) for offset in range(1, 15)]
    counts = [
        VisitorCount(centre=centre, day=day, part=part, visitors=rng.randint(5, 60))
        for centre in centres for day in counted if day.weekday() <= 5 for part in PartOfDay
    ]  # fmt: skip
    VisitorCount.objects.bulk_create(counts)


def _initiatives(ctx: Any, districts: list[District], brokers: dict[int, Any], centres: list[Centre], rng: Any,
                 fake: Any, now: datetime) -> None:  # fmt: skip
    from omzien.initiatives.policies import DECISION_WEEKS, policy_value

    weeks = int(policy_value(DECISION_WEEKS))
    made, events = [], []
    number = 0
    for status, count in STAGES:
        for _i in range(count):
            number += 1
            district = districts[number % len(districts)]
            place = _postcodes(district, rng, 1)
            if not place:
                continue
            title, idea, for_whom = IDEAS[number % len(IDEAS)]
            received = now - timedelta(days=rng.randint(3, 40) if status in (Status.RECEIVED, Status.IN_CONVERSATION) else rng.randint(60, 300))
            decided = received + timedelta(days=rng.randint(10, 40)) if status not in (Status.RECEIVED, Status.IN_CONVERSATION) else None
            if decided and decided.year != now.year:
                decided = now - timedelta(days=rng.randint(1, 30))
            asked = Decimal(rng.choice([250, 400, 600, 800, 1200, 1500, 2500]))
            granted = asked if status in (Status.GRANTED, Status.RUNNING, Status.EVALUATED) else None
            evaluated = status == Status.EVALUATED
            made.append(Initiative(
                reference=f"BI-{number:06X}", title=f"{title} {place[0].neighbourhood.name}", idea=idea, for_whom=for_whom,
                where=f"{CENTRE_KINDS[number % 2]} {place[0].neighbourhood.name}", when="Elke week",
                expected_participants=rng.randint(8, 40), volunteers_needed=rng.randint(0, 4), budget_requested=asked,
                contact_name=fake.name(), contact_email=f"initiatief{number}@example.nl", contact_phone=f"06-{rng.randint(10000000, 99999999)}",
                postcode=place[0].code, neighbourhood=place[0].neighbourhood, district=district, status=status,
                received_at=received, decision_due=timezone.localdate(received) + timedelta(weeks=weeks),
                broker=brokers[district.pk] if status != Status.RECEIVED else None,
                decided_at=decided, decided_by=brokers[district.pk] if decided else None, amount_granted=granted,
                conditions="Open voor alle buurtbewoners; bewaar de bonnetjes." if granted else "",
                decline_reason="Het initiatief is commercieel; het fonds steunt activiteiten zonder winstoogmerk." if status == Status.DECLINED else "",
                started_at=decided + timedelta(days=14) if decided and status in (Status.RUNNING, Status.EVALUATED) else None,
                evaluated_at=now - timedelta(days=rng.randint(1, 20)) if evaluated else None,
                participants_reached=rng.randint(8, 60) if evaluated else None,
                went_well="Veel nieuwe gezichten; buren kennen elkaar nu." if evaluated else "",
                settled_amount=(granted - Decimal(rng.choice([0, 0, 50, 120]))) if evaluated and granted and number % 3 else None,
                settled_at=now - timedelta(days=1) if evaluated and number % 3 else None,
            ))  # fmt: skip
    Initiative.objects.bulk_create(made)
    for item in made:
        events.append(InitiativeEvent(initiative=item, kind=InitiativeEvent.Kind.RECEIVED, status=Status.RECEIVED, at=item.received_at))
        if item.status != Status.RECEIVED:
            events.append(InitiativeEvent(initiative=item, kind=InitiativeEvent.Kind.STATUS, status=Status.IN_CONVERSATION,
                                          at=item.received_at + timedelta(days=2), actor=item.broker))  # fmt: skip
        if item.decided_at:
            decision = Status.DECLINED if item.status == Status.DECLINED else Status.GRANTED
            events.append(InitiativeEvent(initiative=item, kind=InitiativeEvent.Kind.STATUS, status=decision, at=item.decided_at,
                                          actor=item.broker, text=item.conditions or item.decline_reason))  # fmt: skip
        if item.started_at:
            events.append(InitiativeEvent(initiative=item, kind=InitiativeEvent.Kind.STATUS, status=Status.RUNNING,
                                          at=item.started_at, actor=item.broker))  # fmt: skip
    InitiativeEvent.objects.bulk_create(events)
    _publish_some([i for i in made if i.status == Status.RUNNING][:6], centres)


def _publish_some(running: list[Initiative], centres: list[Centre]) -> None:
    """Some running initiatives meet weekly in the sociale kaart, two ask for volunteers (through those rooms)."""
    from omzien.initiatives.services import PublishData, activity_publish, volunteers_ask

    by_district = {c.district_id: c for c in centres}
    for index, initiative in enumerate(running):
        broker = initiative.broker
        if broker is None or broker.organisation_id is None:
            continue
        activity_publish(initiative=initiative, acting_user=broker, actor=SYSTEM, data=PublishData(
            title=initiative.title, description=initiative.idea, capacity=max(10, initiative.expected_participants),
            slots=[Slot(weekday=index % 5, starts_at=time(14 + index % 4), ends_at=time(16 + index % 4))],
            centre=by_district.get(initiative.district_id),
        ))  # fmt: skip
        if index < 2:
            volunteers_ask(initiative=initiative, acting_user=broker, actor=SYSTEM, title=f"Vrijwilligers voor {initiative.title}",
                           description="Help mee met koken, ontvangen en opruimen.", hours="2 uur per week")  # fmt: skip


def _network(districts: list[District], brokers: dict[int, Any], rng: Any, fake: Any, now: datetime) -> None:
    figures = [
        KeyFigure(district=district, kind=kind, name=fake.name() if kind == "person" else f"Organisatie {district.name} {n}",
                  role=role, phone=f"06-{rng.randint(10000000, 99999999)}", added_by=brokers[district.pk],
                  added_at=now - timedelta(days=120))
        for district in districts for n, (kind, role) in enumerate(KEY_FIGURES)
    ]  # fmt: skip
    KeyFigure.objects.bulk_create(figures)
    ContactMoment.objects.bulk_create(
        ContactMoment(key_figure=figure, on=timezone.localdate(now) - timedelta(days=rng.randint(1, 90)),
                      summary="Gesproken over eenzame buren in de flat en wat de buurt kan doen.",
                      agreements="Volgende maand samen een koffieochtend organiseren.", by=figure.added_by, recorded_at=now)
        for figure in figures for _n in range(rng.randint(0, 2))
    )  # fmt: skip


# --- The access-test world ---------------------------------------------------------------------------------

APPLICANT_MARKER = "Annegien Aanvraagster"


def tiny_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


def initiatives_test_world(world: Any) -> None:
    """The broker (U Centraal) serves Overvecht: initiative A is theirs; initiative B lies in Zuid (another
    broker's). A centre in Overvecht with a room and a booking nobody of the personas made, a key figure."""
    from omzien.accounts.models import User
    from omzien.geo.models import Neighbourhood

    broker = world.user(Role.SOCIAL_BROKER)
    overvecht = District.objects.get(code="WK034403")
    zuid = District.objects.create(code="WK034407", name="Zuid", municipality=overvecht.municipality)
    lunetten = Neighbourhood.objects.create(code="BU03440730", name="Lunetten-Noord", district=zuid)
    buurt = Neighbourhood.objects.get(code="BU03440321")
    Postcode.objects.get_or_create(code="3561", defaults={"neighbourhood": buurt})
    Postcode.objects.get_or_create(code="3524", defaults={"neighbourhood": lunetten})
    BrokerArea.objects.create(user=broker, district=overvecht)
    other = User.objects.create_user(username="makelaar-zuid", password="x-" + uuid.uuid4().hex, organisation=broker.organisation)
    BrokerArea.objects.create(user=other, district=zuid)
    now = timezone.now()
    budget = Budget.objects.create(district=overvecht, year=timezone.localdate().year, amount=Decimal("5000"))

    def initiative(reference: str, district: District, neighbourhood: Any, postcode: str, name: str) -> Initiative:
        return Initiative.objects.create(
            reference=reference, title=f"Soep op woensdag {reference}", idea="Samen soep eten.", for_whom="buren",
            where="Buurthuis", when="woensdag", expected_participants=12, volunteers_needed=2,
            budget_requested=Decimal("400"), contact_name=name, contact_email=f"{reference.lower()}@example.nl",
            contact_phone="06-11112222", postcode=postcode, neighbourhood=neighbourhood, district=district,
            received_at=now, decision_due=timezone.localdate() + timedelta(weeks=8),
        )  # fmt: skip

    initiative_a = initiative("BI-AAAAAA", overvecht, buurt, "3561", APPLICANT_MARKER)
    initiative_b = initiative("BI-BBBBBB", zuid, lunetten, "3524", "Bram Buiten-Wijk")
    granted = initiative("BI-CCCCCC", overvecht, buurt, "3561", APPLICANT_MARKER)
    Initiative.objects.filter(pk=granted.pk).update(status=Status.GRANTED, decided_at=now, decided_by=broker,
                                                   amount_granted=Decimal("300"), conditions="Bonnetjes bewaren")  # fmt: skip
    granted.refresh_from_db()
    photo = InitiativePhoto.objects.create(initiative=initiative_a, image=tiny_jpeg(), width=8, height=6, caption="Soep",
                                           consent_given=True, uploaded_at=now)  # fmt: skip
    centre = Centre.objects.create(name="Buurthuis De Dreef", street="Dreef 1", postcode="3561AB", district=overvecht,
                                   neighbourhood=buurt, description="Koffie-inloop")  # fmt: skip
    room = CentreRoom.objects.create(centre=centre, name="Grote zaal", capacity=60, wheelchair_accessible=True)
    tomorrow = timezone.localdate() + timedelta(days=1)
    booking = Booking.objects.create(room=room, starts_at=_aware(tomorrow, time(10)), ends_at=_aware(tomorrow, time(12)),
                                     title="Taalcafé", booked_for="Taalcafé Overvecht", booked_at=now)  # fmt: skip
    figure = KeyFigure.objects.create(district=overvecht, kind="person", name="Karim Sleutelfiguur", role="caretaker",
                                      phone="06-33334444", added_by=broker, added_at=now)  # fmt: skip
    world.extra["initiatives"] = {
        "initiative_a": initiative_a, "initiative_b": initiative_b, "granted": granted, "photo": photo, "centre": centre, "room": room,
        "booking": booking, "key_figure": figure, "other_broker": other, "budget": budget,
    }  # fmt: skip
    world.extra.setdefault("admin_objects", {}).update({Budget: budget, Centre: centre, BrokerArea: BrokerArea.objects.first()})

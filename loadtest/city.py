# SPDX-License-Identifier: EUPL-1.2
"""The load test's city (issue 26): the demo city, grown to 100,000 residents, 20,000 open cases and
1,000,000 access-log entries on PostgreSQL.

The demo city (``demo_city_seed``: roles, organisations, activities, the demo users the load test logs in
as) comes first; then residents are added with ``COPY`` (a few seconds for 100,000), each in a buurt with a
postcode of it; open cases, each with the resident's link to the buurtteam responsible for that buurt (a
quarter of the demo professional's team's cases are the demo professional's own); and the access log, chained
as ``omzien.audit.events`` chains it (real hashes, so ``omzien audit verify`` checks a million entries) and
written with ``COPY``. Needs ``OMZIEN_DEMO=true`` and an empty PostgreSQL database::

    python -m loadtest city --residents 100000 --open-cases 20000 --access-log 1000000
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

FIRST = ["Anna", "Bram", "Cor", "Daan", "Emma", "Fatima", "Gerrit", "Hanneke", "Ilse", "Jan", "Khadija", "Lotte",
         "Mohammed", "Noor", "Oscar", "Petra", "Rik", "Sanne", "Tineke", "Youssef"]  # fmt: skip
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
        "Vos", "Peters", "Hendriks", "El Amrani", "Yilmaz", "van Dijk", "Kok", "Dekker", "Brouwer", "Koster"]  # fmt: skip


def _copy(model: Any, objects: Iterable[Any]) -> int:
    """Write the model instances with PostgreSQL's COPY (no primary keys returned); return how many."""
    from django.db import connection

    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type().endswith("AutoField"))
    ]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
            count += 1
    return count


def _residents(total: int, rng: random.Random) -> int:
    from omzien.geo.models import Postcode
    from omzien.residents.models import Resident

    missing = total - Resident.objects.count()
    if missing <= 0:
        return 0
    places = list(
        Postcode.objects.filter(neighbourhood__isnull=False).values_list("code", "neighbourhood_id")
    )
    today = datetime.now(tz=UTC).date()

    def made() -> Iterable[Resident]:
        for i in range(missing):
            code, buurt = places[i % len(places)]
            yield Resident(
                first_name=rng.choice(FIRST), last_name=rng.choice(LAST), postcode=code, neighbourhood_id=buurt,
                date_of_birth=today - timedelta(days=rng.randrange(18 * 365, 95 * 365)), city="Utrecht",
                street=f"Loadteststraat {i % 400 + 1}",
            )  # fmt: skip

    return _copy(Resident, made())


def _open_cases(total: int, rng: random.Random) -> int:
    from django.utils import timezone

    from omzien.accounts.models import Organisation, User
    from omzien.accounts.roles import role_decls
    from omzien.casework.models import Case, Stage
    from omzien.residents.models import Resident, ResidentLink

    missing = total - Case.objects.filter(closed_at__isnull=True).count()
    if missing <= 0:
        return 0
    team_of: dict[int, int] = {}
    for organisation in Organisation.objects.filter(
        kind=Organisation.Kind.NEIGHBOURHOOD_TEAM
    ).prefetch_related("neighbourhoods"):
        for neighbourhood in organisation.neighbourhoods.all():
            team_of.setdefault(neighbourhood.pk, organisation.pk)
    professional = User.objects.get(username=role_decls()["neighbourhood_professional"].demo_username)
    demo_team_id = professional.organisation_id
    candidates = (
        Resident.objects.filter(cases__isnull=True, neighbourhood_id__in=list(team_of))
        .order_by("-pk")
        .values_list("pk", "neighbourhood_id")[:missing]
    )
    now = timezone.now()
    residents = list(candidates)
    links = ResidentLink.objects.bulk_create(
        [ResidentLink(resident_id=pk, kind="case", organisation_id=team_of[buurt], source="loadtest") for pk, buurt in residents],
        batch_size=5000,
    )  # fmt: skip
    stages = (Stage.INTAKE, Stage.ADVICE, Stage.REFERRED, Stage.FOLLOW_UP, Stage.FOLLOW_UP)
    today = now.date()
    cases = []
    for index, ((pk, buurt), link) in enumerate(zip(residents, links, strict=True)):
        team = team_of[buurt]
        stage = stages[index % len(stages)]
        cases.append(Case(
            resident_id=pk, team_id=team, link=link, stage=stage, opened_at=now - timedelta(days=index % 300),
            professional=professional if team == demo_team_id and index % 4 == 0 else None,
            intake_due=today + timedelta(days=index % 20 - 10), next_due=today + timedelta(days=index % 90 - 30),
            last_score=None if stage == Stage.INTAKE else rng.randrange(0, 12),
            last_category="" if stage == Stage.INTAKE else "moderate",
            last_measured_at=None if stage == Stage.INTAKE else now - timedelta(days=index % 200),
        ))  # fmt: skip
    Case.objects.bulk_create(cases, batch_size=5000)
    return len(cases)


def _access_log(total: int, rng: random.Random) -> int:
    """Entries after chain 1's head until the log holds ``total``, hashed and linked as ``record`` does."""
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    from omzien.audit.events import entry_hash
    from omzien.audit.models import AccessLogEntry, AuditChainHead
    from omzien.residents.models import Resident

    missing = total - AccessLogEntry.objects.count()
    if missing <= 0:
        return 0
    AuditChainHead.objects.get_or_create(pk=1)
    head = AuditChainHead.objects.get(pk=1)
    position, previous = head.last_position, head.last_hash
    sequence = AccessLogEntry.objects.aggregate(Max("sequence"))["sequence__max"] or 0
    pseudo_ids = list(Resident.objects.order_by("?").values_list("pseudo_id", flat=True)[:20_000])
    actors = [(uuid.uuid4(), f"medewerker{n}") for n in range(200)]
    now = timezone.now()
    start = now - timedelta(days=365)
    step = timedelta(days=365) / missing

    from psycopg.types.json import Jsonb

    columns = [str(f.column) for f in AccessLogEntry._meta.concrete_fields]
    with (
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY audit_accesslogentry ({', '.join(columns)}) FROM STDIN"  # noqa: S608 - the model's own columns
        ) as copy,
    ):
        for i in range(missing):
            position, sequence = position + 1, sequence + 1
            actor_id, actor = actors[i % len(actors)]
            values: dict[str, Any] = {
                "id": uuid.uuid4(), "sequence": sequence, "chain": 1, "chain_position": position,
                "occurred_at": start + step * i, "action": "read" if i % 5 else "list", "outcome": "success",
                "http_status": None, "actor_user_id": actor_id, "actor_display": actor,
                "actor_role": "neighbourhood_professional", "actor_organisation_id": None,
                "actor_organisation_name": "Buurtteam", "on_behalf_of_user_id": None, "purpose": "case_work",
                "legal_basis_or_consent_id": "", "subject_resident_pseudo_id": rng.choice(pseudo_ids),
                "object_type": "resident", "object_id": str(i), "fields": ["first_name", "last_name"],
                "changes": {}, "source_system": "loadtest/web", "client_ip": "127.0.0.1", "request_id": "",
                "break_glass": False, "break_glass_reason": "", "prev_hash": previous,
            }  # fmt: skip
            values["entry_hash"] = previous = entry_hash(values)
            values["fields"], values["changes"] = Jsonb(values["fields"]), Jsonb(values["changes"])
            copy.write_row([values[column] for column in columns])
    written = missing
    AuditChainHead.objects.filter(pk=1).update(
        last_position=position, last_sequence=sequence, last_hash=previous
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval('audit_entry_sequence', %s)", [sequence])
    return written


def build(*, residents: int, open_cases: int, access_log: int, demo_residents: int = 8000) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection, transaction

    from omzien.core.demo_city import demo_city_seed

    if connection.vendor != "postgresql" or not settings.OMZIEN_DEMO:
        raise SystemExit("the load-test city is for a throw-away PostgreSQL database with OMZIEN_DEMO=true")
    rng = random.Random(26)  # noqa: S311 - synthetic data
    figures: dict[str, Any] = {}
    started = time.perf_counter()
    demo_city_seed(residents=min(demo_residents, residents))
    figures["demo_city_s"] = round(time.perf_counter() - started, 1)
    for name, step, size in (("residents", _residents, residents), ("open_cases", _open_cases, open_cases),
                             ("access_log", _access_log, access_log)):  # fmt: skip
        started = time.perf_counter()
        with transaction.atomic():
            figures[f"{name}_added"] = step(size, rng)
        figures[f"{name}_s"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return figures

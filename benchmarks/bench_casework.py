# SPDX-License-Identifier: EUPL-1.2
"""The buurtteam's signal queue, worklist and case list on a big city (issues #18 and #19): 100,000
residents, 20,000 open signals and 20,000 open cases, 1,000,000 access-log entries.

Scale 1.0 builds that in one database (bulk inserts; the access log's rows are chained as
``audit.events`` would, so appending goes on from the last one). A professional of the team with the
most signals then opens the queue (every view: open, new, overdue, assigned to me, and a deep page)
and one signal (with its duplicate check across all teams) through the whole Django stack (test
client: middleware, view, template; no network). Figures: server time p50/p95 per page and the
number of queries, for this team and for a team with only three open signals: the query count must
not depend on the rows shown. Correctness: the page lists the team's open signals in deadline order,
25 to a page, and its counts equal the database's.

Run it on PostgreSQL (``DATABASE_URL=postgres://… python -m benchmarks casework``): a throw-away
``test_…`` database is created and dropped. Targets: team queue, worklist and case list p95 ≤ 150 ms
(issue #19: the professional's worklist, own and team, and the case list, first and a deep page), with
the same number of queries for a team with three cases. CPU time per request is reported beside the wall
time (the machine is shared).
"""

from __future__ import annotations

import gc
import os
import random
import re
import statistics
import time
import uuid
from datetime import date, datetime, timedelta
from typing import Any

NEEDS_DATABASE = True
TARGET_QUEUE_P95_MS = 150.0
ROW = re.compile(r'data-signal="(ZM-[0-9A-F]+)"')


def _uninstrumented_templates() -> None:
    from django.template.base import Template
    from django.test import utils

    saved = getattr(utils._TestState, "saved_data", None)
    if saved is not None and hasattr(saved, "template_render"):
        Template._render = saved.template_render  # type: ignore[attr-defined]


def _access_log(count: int, rng: random.Random, pseudo_ids: list[uuid.UUID]) -> None:
    """``count`` access-log entries after the existing ones, with the chain head at the last one.

    On PostgreSQL the rows are made by the server (``generate_series``): a million rows in seconds
    rather than minutes. Their hashes are stand-ins (the benchmark reads the log, it does not verify
    it); on SQLite (the 1% smoke run) they are chained as ``audit.events`` would.
    """
    from django.db import connection, models
    from django.utils import timezone

    from omzien.audit.events import entry_hash
    from omzien.audit.models import AccessLogEntry, AuditChainHead

    head = AuditChainHead.objects.filter(pk=1).first()
    start, previous = (head.last_position, head.last_hash) if head else (0, "0" * 64)
    base = (
        AccessLogEntry.objects.aggregate(models.Max("sequence"))["sequence__max"] or 0
    )  # numbers go on after it
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO audit_accesslogentry (id, sequence, chain, chain_position, occurred_at, action, outcome,
                    http_status, actor_user_id, actor_display, actor_role, actor_organisation_id, actor_organisation_name,
                    on_behalf_of_user_id, purpose, legal_basis_or_consent_id, subject_resident_pseudo_id,
                    object_type, object_id, fields, source_system, client_ip, request_id, break_glass,
                    break_glass_reason, prev_hash, entry_hash, changes)
                SELECT gen_random_uuid(), %(base)s + i, 1, %(start)s + i, now() - make_interval(secs => %(count)s - i),
                    'read', 'success', NULL, NULL, 'bench', 'neighbourhood_professional', NULL, '', NULL, 'bench', '',
                    ids[1 + i %% array_length(ids, 1)], 'resident', i::text, '["first_name"]'::jsonb, 'bench/web',
                    NULL, '', false, '', md5((i - 1)::text) || md5('p' || (i - 1)::text), md5(i::text) || md5('p' || i::text), '{}'::jsonb
                FROM generate_series(1, %(count)s) AS i,
                     (SELECT array_agg(pseudo_id) AS ids FROM (SELECT pseudo_id FROM residents_resident LIMIT 5000) r) a
                """,
                {"start": start, "count": count, "base": base},
            )
            cursor.execute("SELECT md5(%s::text) || md5('p' || %s::text)", [count, count])
            previous = cursor.fetchone()[0]
            cursor.execute("SELECT setval('audit_entry_sequence', %s)", [base + count])
        AuditChainHead.objects.update_or_create(pk=1, defaults={
            "last_position": start + count, "last_sequence": base + count, "last_hash": previous})  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    now = timezone.now()
    batch: list[AccessLogEntry] = []
    for position in range(start + 1, start + count + 1):
        sequence = base + position - start
        values: dict[str, Any] = {
            "id": uuid.uuid4(), "sequence": sequence, "chain": 1, "chain_position": position,
            "occurred_at": now - timedelta(seconds=start + count - position),
            "action": "read", "outcome": "success", "http_status": None, "actor_user_id": None,
            "actor_display": "bench", "actor_role": "neighbourhood_professional", "actor_organisation_id": None,
            "actor_organisation_name": "", "on_behalf_of_user_id": None, "purpose": "bench",
            "legal_basis_or_consent_id": "", "subject_resident_pseudo_id": rng.choice(pseudo_ids),
            "object_type": "resident", "object_id": str(position), "fields": ["first_name"],
            "source_system": "bench/web", "client_ip": None, "request_id": "", "break_glass": False,
            "break_glass_reason": "", "prev_hash": previous,
        }  # fmt: skip
        values["entry_hash"] = previous = entry_hash(values)
        batch.append(AccessLogEntry(**values))
        if len(batch) == 10_000:
            AccessLogEntry.objects.bulk_create(batch)
            batch = []
    AccessLogEntry.objects.bulk_create(batch)
    AuditChainHead.objects.update_or_create(pk=1, defaults={
        "last_position": start + count, "last_sequence": base + count, "last_hash": previous})  # fmt: skip


def _build(scale: float, rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from omzien.accounts.models import Organisation, User
    from omzien.accounts.roles import Role
    from omzien.casework import workdays
    from omzien.casework.models import Signal, Source, Status
    from omzien.geo.models import District, Postcode
    from omzien.geo.services import demo_geography_load
    from omzien.residents.models import Resident, ResidentLink

    demo_geography_load()
    teams = []
    for district in District.objects.order_by("code"):
        team = Organisation.objects.create(
            name=f"Buurtteam {district.name}", kind=Organisation.Kind.NEIGHBOURHOOD_TEAM
        )
        team.neighbourhoods.set(district.neighbourhoods.all())
        teams.append(team)
    postcodes: dict[int, list[tuple[str, int]]] = {team.pk: [] for team in teams}
    team_of_district = {team.name.removeprefix("Buurtteam "): team.pk for team in teams}
    for code, buurt, district_name in Postcode.objects.filter(code__regex=r"^\d{4}[A-Z]{2}$").values_list(
        "code", "neighbourhood_id", "neighbourhood__district__name"
    ):
        postcodes[team_of_district[district_name]].append((code, buurt))
    teams = [team for team in teams if postcodes[team.pk]]
    group = Group.objects.get(name=Role.NEIGHBOURHOOD_PROFESSIONAL.value)
    busiest, quiet = teams[0], teams[-1]
    professional = User.objects.create_user(username="bench-prof", organisation=busiest, first_name="Bench")
    professional.groups.add(group)
    quiet_professional = User.objects.create_user(
        username="bench-quiet", organisation=quiet, first_name="Quiet"
    )
    quiet_professional.groups.add(group)

    n_residents, n_signals = max(1000, int(100_000 * scale)), max(200, int(20_000 * scale))
    n_log = max(10_000, int(1_000_000 * scale))
    all_codes = [(team.pk, code, buurt) for team in teams for code, buurt in postcodes[team.pk]]
    residents = Resident.objects.bulk_create(
        [Resident(first_name=f"Bewoner{i}", last_name=f"Achternaam{i % 5000}", date_of_birth=date(1930 + i % 60, 1 + i % 12, 1 + i % 28),
                  street=f"Straat {i % 300}", postcode=(spot := rng.choice(all_codes))[1], neighbourhood_id=spot[2])
         for i in range(n_residents)], batch_size=5000,
    )  # fmt: skip
    team_by_code = {code: team_pk for team_pk, code, _buurt in all_codes}
    ResidentLink.objects.bulk_create(
        [ResidentLink(resident=r, kind="case", organisation_id=team_by_code[r.postcode], source="bench")
         for r in residents[: n_signals]], batch_size=5000,
    )  # fmt: skip
    calendar = workdays.DEFAULT_CALENDAR
    now = timezone.now()
    signals = []
    middle = [t.pk for t in teams[1:-1]]
    # A fifth of the signals for the busiest team (the one measured); three for the quiet one.
    for index in range(n_signals):
        if index % 5 == 0:
            team_pk = busiest.pk
        elif index in (1, 2, 3):
            team_pk = quiet.pk
        else:
            team_pk = rng.choice(middle)
        code, buurt = rng.choice(postcodes[team_pk])
        received = now - timedelta(days=rng.randrange(0, 40), hours=rng.randrange(0, 24))
        signals.append(Signal(
            reference=f"ZM-{index:08X}", source=rng.choice(Source.values), reporter_relation="neighbour",
            reporter_name="Melder", concern="Zorgen.", resident_knows="unknown", resident_agrees="unknown",
            urgency="urgent" if index % 7 == 0 else "normal", first_name="Bewoner", last_name=f"Achternaam{index % 5000}",
            postcode=code, house_number=str(index % 150), neighbourhood_id=buurt, team_id=team_pk, received_at=received,
            deadline=workdays.add_working_days(received.date(), 1 if index % 7 == 0 else 5, calendar),
            status=Status.ASSIGNED if index % 4 == 0 else Status.NEW,
            assigned_to=professional if index % 4 == 0 and team_pk == busiest.pk else None,
        ))  # fmt: skip
    Signal.objects.bulk_create(signals, batch_size=5000)
    _cases(residents[:n_signals], team_by_code, busiest, quiet, professional, quiet_professional, rng, now)
    _access_log(n_log, rng, [r.pseudo_id for r in residents[:5000]])
    return {
        "professional": professional, "quiet_professional": quiet_professional, "busiest": busiest, "quiet": quiet,
        "residents": n_residents, "open_signals": n_signals, "access_log_entries": n_log,
    }  # fmt: skip


def _cases(residents: list[Any], team_by_code: dict[str, int], busiest: Any, quiet: Any, professional: Any,
           quiet_professional: Any, rng: random.Random, now: datetime) -> None:  # fmt: skip
    """One open case per linked resident at every stage; at the busiest team a quarter are the measured
    professional's; a tenth have a stuck referral, a tenth an open follow-up. The quiet team: three cases."""
    from omzien.casework.models import Case, FollowUp, Referral, Stage

    stages = (Stage.INTAKE, Stage.ADVICE, Stage.REFERRED, Stage.FOLLOW_UP, Stage.FOLLOW_UP)
    today = now.date()
    cases = []
    quiet_left = 3
    for index, resident in enumerate(residents):
        team_pk = team_by_code[resident.postcode]
        if team_pk == quiet.pk:
            if quiet_left == 0:
                team_pk = busiest.pk
            quiet_left -= 1 if team_pk == quiet.pk else 0
        owner = (
            professional
            if team_pk == busiest.pk and index % 4 == 0
            else (quiet_professional if team_pk == quiet.pk else None)
        )
        stage = stages[index % len(stages)]
        cases.append(Case(
            resident=resident, team_id=team_pk, professional=owner, stage=stage, opened_at=now - timedelta(days=index % 300),
            intake_due=today + timedelta(days=index % 20 - 10), next_due=today + timedelta(days=index % 90 - 30),
            last_score=None if stage == Stage.INTAKE else index % 12, last_category="moderate",
            last_measured_at=None if stage == Stage.INTAKE else now - timedelta(days=index % 200),
        ))  # fmt: skip
    Case.objects.bulk_create(cases, batch_size=5000)
    referrals, follow_ups = [], []
    for index, case in enumerate(cases):
        if case.stage in (Stage.REFERRED, Stage.FOLLOW_UP) and index % 10 < 2:
            referrals.append(Referral(
                resident=case.resident, case=case, route=rng.choice(("buddy", "visiting_service", "eet_mee")),
                target_name="Bezoekdienst", status="sent", sent_by=professional, sent_at=now - timedelta(days=20),
                stuck_on=today - timedelta(days=index % 10 + 1),
            ))  # fmt: skip
        if case.stage == Stage.FOLLOW_UP and index % 10 < 3:
            follow_ups.append(FollowUp(case=case, resident=case.resident, basis="route_started", months=3,
                                       due_on=today + timedelta(days=index % 14 - 7), assigned_to=case.professional,
                                       created_at=now))  # fmt: skip
    Referral.objects.bulk_create(referrals, batch_size=5000)
    FollowUp.objects.bulk_create(follow_ups, batch_size=5000)


def _timed(client: Any, url: str, repeat: int, cpu: list[float] | None = None) -> tuple[list[float], Any]:
    times, response = [], None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, response


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]


def run(scale: float = 1.0) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from omzien.casework.models import Case, Signal, Status
    from omzien.lib.testing.world import login_verified

    rng = random.Random(18)
    started = time.perf_counter()
    built = _build(scale, rng)
    build_s = time.perf_counter() - started
    client, quiet_client = Client(), Client()
    login_verified(client, built["professional"])
    login_verified(quiet_client, built["quiet_professional"])
    _uninstrumented_templates()
    client.get("/meldingen/")  # warm what a running server has warm
    quiet_client.get("/meldingen/")
    gc.collect()
    gc.freeze()
    repeat = 30 if scale >= 0.5 else 5
    today = timezone.localdate()
    open_signals = Signal.objects.filter(team=built["busiest"]).exclude(status=Status.DECIDED)
    pages: dict[str, Any] = {}
    for name, url in (
        ("open", "/meldingen/"), ("new", "/meldingen/?weergave=new"), ("overdue", "/meldingen/?weergave=overdue"),
        ("mine", "/meldingen/?weergave=mine"), ("deep page", "/meldingen/?pagina=40"),
    ):  # fmt: skip
        times, response = _timed(client, url, repeat)
        rows = ROW.findall(response.content.decode())
        db_ms = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            db_ms.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
        pages[name] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(_p95(times), 1),
                       "db_ms_median": round(statistics.median(db_ms), 1), "queries": len(captured),
                       "rows": len(rows)}  # fmt: skip
    # Correctness: the first page is the team's 25 earliest deadlines, and the counts are the database's.
    first = ROW.findall(client.get("/meldingen/").content.decode())
    expected = list(
        open_signals.order_by("deadline", "received_at", "pk").values_list("reference", flat=True)[:25]
    )
    assert first == expected, "the queue is not the team's open signals in deadline order"
    overdue = open_signals.filter(deadline__lt=today).count()
    assert f"({overdue})" in client.get("/meldingen/").content.decode()
    # The query count does not depend on the rows shown: a team with three open signals.
    with CaptureQueriesContext(connection) as captured:
        quiet_page = quiet_client.get("/meldingen/")
    quiet_queries = len(captured)  # counted now: the next request empties the log
    quiet_rows = len(ROW.findall(quiet_page.content.decode()))
    assert quiet_rows < 25 < open_signals.count() or scale < 0.05
    assert quiet_queries == pages["open"]["queries"], (quiet_queries, pages["open"]["queries"])
    # One signal, with its duplicate check over every team's signals and clients.
    some = open_signals.order_by("pk").first()
    assert some is not None
    detail_times, _response = _timed(client, f"/meldingen/{some.public_id}/", max(5, repeat // 2))
    # Issue #19: the worklist (own and team) and the case list, and the same for the quiet team.
    cases: dict[str, Any] = {}
    for name, url in (
        ("worklist own", "/werklijst/"), ("worklist team", "/werklijst/?lijst=team"), ("cases", "/clienten/"),
        ("cases due", "/clienten/?weergave=due"), ("cases deep page", "/clienten/?pagina=40"),
        ("cases mine", "/clienten/?wie=eigen"),
    ):  # fmt: skip
        client.get(url)
        cpu: list[float] = []
        times, response = _timed(client, url, repeat, cpu)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        shown = response.content.decode().count(
            'class="utrecht-table__row"'
        ) + response.content.decode().count('class="utrecht-unordered-list__item"')
        with CaptureQueriesContext(connection) as quiet_captured:
            quiet_client.get(url)
        cases[name] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(_p95(times), 1),
                       "cpu_p50_ms": round(statistics.median(cpu), 1), "cpu_p95_ms": round(_p95(cpu), 1),
                       "queries": len(captured), "quiet_team_queries": len(quiet_captured), "rows": shown}  # fmt: skip
        assert len(captured) == len(quiet_captured), (name, len(captured), len(quiet_captured))
    gc.unfreeze()
    p95_queue = max(page["p95_ms"] for name, page in pages.items())
    p95_cases = max(page["p95_ms"] for page in cases.values())
    return {
        "residents": built["residents"], "open_signals": built["open_signals"],
        "access_log_entries": built["access_log_entries"], "team_open_signals": open_signals.count(),
        "build_s": round(build_s, 1), "database": connection.vendor, "pages": pages,
        "quiet_team": {"rows": quiet_rows, "queries": quiet_queries},
        "signal_detail": {"p50_ms": round(statistics.median(detail_times), 1), "p95_ms": round(_p95(detail_times), 1)},
        "worklist_and_cases": cases, "open_cases": Case.objects.filter(closed_at__isnull=True).count(),
        "target_queue_p95_ms": TARGET_QUEUE_P95_MS,
        # The machine's load while measuring (2 shared cores): server times grow with it, query counts do not.
        "load_average_1m": round(os.getloadavg()[0], 1),
        "met": p95_queue <= TARGET_QUEUE_P95_MS and p95_cases <= TARGET_QUEUE_P95_MS,
        "measured_at": datetime.now().isoformat(timespec="seconds"),  # noqa: DTZ005 - a label for the report
    }  # fmt: skip

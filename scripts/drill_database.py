# SPDX-License-Identifier: EUPL-1.2
"""The database drill (issue 26): stop PostgreSQL in the middle of a load, start it again, and check.

    scripts/drill-database [--users 6] [--before 10] [--outage 15] [--after 15] [--workers 3]

It starts a throw-away PostgreSQL cluster (scripts/postgres-cluster) and Omzien under gunicorn with
several workers on it, drives a bounded load on loopback (public visitors searching and opening
activities, residents signing up for one, a monitor polling /healthz), stops the PostgreSQL server
with ``pg_ctl stop -m fast`` while the load runs, starts it again, and lets the load run on. Omzien is
never restarted. Then it checks:

- every answer was a success or a 503 page with ``Retry-After`` and the request's id (no 500, no
  dropped connection); /healthz said 503 while the server was down;
- after PostgreSQL answered again, every page worked (at most the requests already under way when it
  came back may fail);
- nothing is half-written: every consent has its registration, its provider link and its access-log
  entry, and every registration acknowledged to a resident (a redirect) exists; ``omzien audit
  verify`` proves the access log's chain.

Exit status 0 when every check holds. Loopback only; never against a production database.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Log:
    """Every answer: (seconds since start, kind, status or error, request id shown on a 503 page)."""

    started: float = field(default_factory=time.monotonic)
    rows: list[tuple[float, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, outcome: str) -> None:
        with self.lock:
            self.rows.append((time.monotonic() - self.started, kind, outcome))


def _cluster() -> dict[str, str]:
    command = [ROOT / "scripts/postgres-cluster"]
    lines = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return dict(re.findall(r"export (\w+)=(\S+)", lines))


def _pg_ctl(pgtmp: str, *arguments: str) -> None:
    found = shutil.which("pg_ctl") or str(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1])
    command = [found, "-D", f"{pgtmp}/data", *arguments]
    if (
        os.geteuid() == 0
    ):  # initdb refused root, so the cluster belongs to postgres (scripts/postgres-cluster)
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - our own arguments


def _classify(answer: object) -> str:
    from omzien.lib.testing.live import Answer

    assert isinstance(answer, Answer)
    if answer.status == 503:
        good = (
            answer.headers.get("Retry-After") == "30"
            and answer.headers.get("X-Request-ID", "-") in answer.body
        )
        return "503" if good else "503-without-request-id"
    return str(answer.status)


def _visitor_loop(base: str, activities: list[str], log: Log, stop: threading.Event) -> None:
    from omzien.lib.testing.live import Visitor

    visitor = Visitor(base, timeout=30)
    while not stop.is_set():
        path = random.choice(["/activiteiten/?postcode=3561", f"/activiteiten/{random.choice(activities)}/"])  # noqa: S311
        try:
            log.add("page", _classify(visitor.get(path)))
        except OSError as error:
            log.add("page", f"error:{type(error).__name__}")
        time.sleep(0.05)


def _resident_loop(base: str, activity: str, sessions: list[tuple[int, str]], log: Log, stop: threading.Event,
                   acknowledged: list[int]) -> None:  # fmt: skip
    from django.conf import settings

    from omzien.lib.testing.live import Visitor

    for resident_pk, session in sessions:
        while not stop.is_set():
            visitor = Visitor(base, cookies={settings.SESSION_COOKIE_NAME: session}, timeout=30)
            try:
                page = visitor.get(f"/activiteiten/{activity}/")
                if page.status != 200:
                    log.add("page", _classify(page))
                    time.sleep(0.2)
                    continue
                form = {"consent": "yes", "csrfmiddlewaretoken": visitor.cookies[settings.CSRF_COOKIE_NAME]}
                answer = visitor.post(f"/activiteiten/{activity}/aanmelden/", form)
            except OSError as error:
                log.add("write", f"error:{type(error).__name__}")
                time.sleep(0.2)
                continue
            log.add("write", _classify(answer))
            if answer.status == 302:
                acknowledged.append(resident_pk)
                break
            time.sleep(0.2)
        if stop.is_set():
            return


def _health_loop(base: str, log: Log, stop: threading.Event) -> None:
    from omzien.lib.testing.live import Visitor

    while not stop.is_set():
        try:
            log.add("healthz", str(Visitor(base, timeout=10).get("/healthz").status))
        except OSError as error:
            log.add("healthz", f"error:{type(error).__name__}")
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=6, help="concurrent simulated users (two thirds browse)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--before", type=float, default=10, help="seconds of load before PostgreSQL stops")
    parser.add_argument("--outage", type=float, default=15, help="seconds PostgreSQL stays down")
    parser.add_argument("--after", type=float, default=15, help="seconds of load after it is back")
    options = parser.parse_args()

    print("==> a throw-away PostgreSQL cluster", flush=True)
    cluster = _cluster()
    var = tempfile.mkdtemp(prefix="omzien-drill-")
    environment = {
        "DJANGO_SETTINGS_MODULE": "omzien.conf.dev",
        "DEBUG": "false",
        "OMZIEN_STATIC_MANIFEST": "false",
        "OMZIEN_VAR_DIR": var,
        "OMZIEN_ERASURE_JOURNAL": "",
        "DATABASE_URL": cluster["DATABASE_URL"],
        "DATABASE_CONN_MAX_AGE": "60",
    }
    os.environ.update(environment)
    port = cluster["DATABASE_URL"].rsplit(":", 1)[1].split("/")[0]
    start_options = (f"-p {port} -k {cluster['PGTMP']} -c listen_addresses=127.0.0.1 -c max_connections=200 "
                     "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")  # fmt: skip
    try:
        import django

        sys.path.insert(0, str(ROOT))
        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from omzien.activities.models import Registration
        from omzien.activities.tests.factories import Town
        from omzien.audit.models import AccessLogEntry
        from omzien.lib.testing.live import gunicorn
        from omzien.lib.testing.world import login_verified
        from omzien.residents.models import ConsentEvent, ResidentLink

        print(
            "==> migrate and a small town (an activity with room for everyone, 150 residents with accounts)",
            flush=True,
        )
        call_command("migrate", verbosity=0)
        town = Town()
        activity = town.activity(capacity=10_000)
        others = [str(town.activity(title=f"Activiteit {n}").public_id) for n in range(5)]
        sessions = []
        for _ in range(150):
            resident = town.resident(user=True)
            browser = Client()
            login_verified(browser, resident.user)  # type: ignore[arg-type]
            sessions.append((resident.pk, browser.cookies[settings.SESSION_COOKIE_NAME].value))
        connection.close()

        log, stop, acknowledged = Log(), threading.Event(), list[int]()
        writers = max(1, options.users // 3)
        shares = [sessions[n::writers] for n in range(writers)]
        with gunicorn(environment, workers=options.workers, log=Path(var) / "gunicorn.log") as base:
            print(
                f"==> load: {options.users - writers} visitors, {writers} residents signing up, gunicorn {options.workers} workers",
                flush=True,
            )
            log = Log()
            threads = [
                threading.Thread(target=_visitor_loop, args=(base, others, log, stop))
                for _ in range(options.users - writers)
            ]
            threads += [
                threading.Thread(
                    target=_resident_loop,
                    args=(base, str(activity.public_id), share, log, stop, acknowledged),
                )
                for share in shares
            ]
            threads.append(threading.Thread(target=_health_loop, args=(base, log, stop)))
            for thread in threads:
                thread.start()
            time.sleep(options.before)
            stopped_at = time.monotonic() - log.started
            print(f"==> {stopped_at:.1f} s: pg_ctl stop -m fast", flush=True)
            _pg_ctl(cluster["PGTMP"], "stop", "-m", "fast", "-w")
            down_at = time.monotonic() - log.started
            time.sleep(options.outage)
            restart_begun = time.monotonic() - log.started
            _pg_ctl(
                cluster["PGTMP"], "start", "-w", "-l", f"{cluster['PGTMP']}/server.log", "-o", start_options
            )
            back_at = time.monotonic() - log.started
            print(
                f"==> {back_at:.1f} s: PostgreSQL answers again (start took {back_at - restart_begun:.1f} s)",
                flush=True,
            )
            time.sleep(options.after)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)

        rows = sorted(log.rows)
        phases = {
            "before": [r for r in rows if r[0] < stopped_at],
            # Requests under way while the server shut down or started may see either answer.
            "stopping": [r for r in rows if stopped_at <= r[0] < down_at],
            "outage": [r for r in rows if down_at <= r[0] < restart_begun],
            "starting": [r for r in rows if restart_begun <= r[0] < back_at],
            "after": [r for r in rows if r[0] >= back_at],
        }
        print("\nanswers per phase (kind: outcome × count)")
        for name, phase in phases.items():
            counts = Counter((kind, outcome) for _t, kind, outcome in phase)
            text = ", ".join(f"{kind} {outcome}×{n}" for (kind, outcome), n in sorted(counts.items()))
            print(f"  {name:7} {text}")
        first_ok = next(
            (
                t
                for t, kind, outcome in rows
                if t >= back_at and kind != "healthz" and outcome in ("200", "302")
            ),
            None,
        )
        failures_after = [r for r in phases["after"] if r[2] not in ("200", "302")]
        bad = [
            r for r in rows if r[2] not in ("200", "302", "503") and not (r[1] == "healthz" and r[2] == "503")
        ]
        health_down = [r for r in phases["outage"] if r[1] == "healthz"]

        consents = set(ConsentEvent.objects.values_list("resident_id", flat=True))
        registered = dict(Registration.objects.values_list("resident_id", "public_id"))
        linked = set(ResidentLink.objects.filter(kind="registration").values_list("resident_id", flat=True))
        logged = set(
            AccessLogEntry.objects.filter(object_type="registration").values_list("object_id", flat=True)
        )
        half = [
            pk
            for pk in consents
            if pk not in registered or pk not in linked or str(registered[pk]) not in logged
        ]
        half += [pk for pk in registered if pk not in consents]
        lost = [pk for pk in acknowledged if pk not in registered]
        verify = subprocess.run([sys.executable, "-m", "omzien", "audit", "verify"], cwd=ROOT, env={**os.environ},
                                capture_output=True, text=True)  # fmt: skip

        print(f"\nPostgreSQL stopping at {stopped_at:.1f} s, down at {down_at:.1f} s, starting at {restart_begun:.1f} s, back at {back_at:.1f} s; first page served after it was back: "
              f"{(first_ok - back_at) if first_ok is not None else float('nan'):.2f} s later")  # fmt: skip
        print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        print(f"answers other than 200/302/503-with-request-id: {len(bad)} {Counter(r[2] for r in bad)}")
        print(
            f"failed answers after PostgreSQL was back: {len(failures_after)} {Counter((r[1], r[2]) for r in failures_after)}"
        )
        print(f"/healthz while down: {Counter(r[2] for r in health_down)}")
        print(f"registrations: {len(registered)} ({len(acknowledged)} acknowledged to the resident); "
              f"half-written: {len(half)}; acknowledged but missing: {len(lost)}")  # fmt: skip
        print(
            f"omzien audit verify: exit {verify.returncode}: {verify.stdout.strip().splitlines()[-1] if verify.stdout.strip() else verify.stderr.strip()[-300:]}"
        )
        checks = {
            "only 200/302/503 with the request id": not bad,
            "/healthz said 503 while down": bool(health_down) and all(r[2] == "503" for r in health_down),
            "503 pages while down": any(r[2] == "503" for r in phases["outage"] if r[1] != "healthz"),
            "at most one failure per worker after it was back": len(failures_after) <= options.workers,
            "writes succeeded after it was back": any(
                r[1] == "write" and r[2] == "302" for r in phases["after"]
            ),
            "nothing half-written": not half,
            "no acknowledged write lost": not lost,
            "audit chain verifies": verify.returncode == 0,
        }
        print()
        for name, ok in checks.items():
            print(f"  [{'ok' if ok else 'FAILED'}] {name}")
        return 0 if all(checks.values()) else 1
    finally:
        subprocess.run([ROOT / "scripts/postgres-cluster", "stop", cluster["PGTMP"]], check=False)  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())

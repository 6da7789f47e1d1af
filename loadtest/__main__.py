# SPDX-License-Identifier: EUPL-1.2
"""``python -m loadtest city|audit-writes …``: the load test's city and the measurements beside the Locust run
(loadtest/README.md)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    audit = commands.add_parser("audit-writes", help="audited writes a second, several processes at once")
    audit.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4, 8])
    audit.add_argument("--seconds", type=float, default=10.0)
    audit.add_argument("--after", type=int, default=2, help="statements after the entry, before the commit")
    city = commands.add_parser(
        "city", help="the load test's city in an empty PostgreSQL database (OMZIEN_DEMO=true)"
    )
    city.add_argument("--residents", type=int, default=100_000)
    city.add_argument("--open-cases", type=int, default=20_000)
    city.add_argument("--access-log", type=int, default=1_000_000)
    load = commands.add_parser(
        "run", help="the whole load test on loopback, in steps of users (scripts/loadtest)"
    )
    load.add_argument("--users", type=int, nargs="+", default=[100, 140, 170, 200])
    load.add_argument("--seconds", type=int, default=45, help="per step, after every user runs (at most 120)")
    load.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    load.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    load.add_argument("--database-url", help="a PostgreSQL database to reuse (else a throw-away cluster)")
    load.add_argument(
        "--postgres-pid", type=int, help="with --database-url: its postmaster, to count its CPU"
    )
    load.add_argument(
        "--cache", choices=["local", "redis"], default="redis",
        help="one shared cache and cached sessions in a throw-away redis-server (the reference deployment), or each worker its own",
    )
    load.add_argument(
        "--out", type=Path, default=Path("var/loadtest"), help="Locust's CSV files and the logs"
    )
    profile = commands.add_parser(
        "profile",
        help="CPU, queries and a profile per page of the mix, in one process (DATABASE_URL: the city)",
    )
    profile.add_argument(
        "--repeat", type=int, default=20, help="requests timed per page, after three to warm up"
    )
    profile.add_argument("--top", type=int, default=0, help="print this many functions of cProfile per page")
    profile.add_argument("--only", nargs="+", help="only these pages (names as printed)")
    profile.add_argument(
        "--explain", type=float, default=0.0, help="EXPLAIN ANALYZE the reads slower than this (ms)"
    )
    profile.add_argument("--cold", action="store_true", help="empty the cache before each timed request")
    profile.add_argument("--sort", default="cumulative", help="cProfile's order: cumulative or tottime")
    tasks = commands.add_parser(
        "tasks", help="Django tasks: the database backend against Redis (RQ), several workers"
    )
    tasks.add_argument("--backend", choices=["db", "rq"], required=True)
    tasks.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    tasks.add_argument("--tasks", type=int, default=2000)
    tasks.add_argument("--rq-simple-worker", action="store_true", help="RQ's SimpleWorker (no fork per task)")
    tasks.add_argument(
        "--postgres-pid", type=int, help="the postmaster's process id, to count PostgreSQL's CPU"
    )
    args = parser.parse_args()
    if args.command == "tasks":
        from loadtest import task_backends

        for figures in task_backends.run(backend=args.backend, workers=args.workers, tasks=args.tasks,
                                         postgres_pid=args.postgres_pid, simple=args.rq_simple_worker):  # fmt: skip
            print(json.dumps(figures), flush=True)
    elif args.command == "run":
        from loadtest import run as run_module

        figures = run_module.run(users=args.users, seconds=min(args.seconds, 120), workers=args.workers,
                                 threads=args.threads, database_url=args.database_url, out=args.out,
                                 postgres_pid=args.postgres_pid, cache=args.cache)  # fmt: skip
        (args.out / "figures.json").write_text(json.dumps(figures, indent=2))
        print(json.dumps(figures, indent=2))
    elif args.command == "city":
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.dev")
        import django

        django.setup()
        from loadtest import city as city_module

        print(json.dumps(city_module.build(residents=args.residents, open_cases=args.open_cases,
                                           access_log=args.access_log), indent=2))  # fmt: skip
    elif args.command == "profile":
        from loadtest import profile as profile_module

        for page in profile_module.run(
            repeat=args.repeat,
            top=args.top,
            only=args.only,
            sort=args.sort,
            explain_ms=args.explain,
            cold=args.cold,
        ):
            details = (page.pop("profile", ""), page.pop("sql", []), page.pop("plans", []))
            print(json.dumps(page), flush=True)
            if details[0] or details[2]:
                print(details[0], *details[1], *details[2], sep="\n", flush=True)
    elif args.command == "audit-writes":
        from loadtest import audit_writes

        print(json.dumps(audit_writes.run(args.processes, args.seconds, args.after), indent=2))


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: EUPL-1.2
"""``python -m loadtest run``: the whole load test on loopback (issue 26), bounded, in steps of users.

1. A throw-away PostgreSQL cluster (``scripts/postgres-cluster``), or ``--database-url`` of one made before;
   the load-test city in it (``loadtest.city``: skipped when it is already there).
2. gunicorn with ``--workers`` processes on 127.0.0.1 with the demo settings (production settings otherwise:
   no debug, compressed static files from WhiteNoise, the access log to a file), behind which every Locust
   user arrives with an address of its own in ``X-Forwarded-For`` as behind the reference proxy.
3. For each number in ``--users``, Locust (``loadtest/locustfile.py``) for ``--seconds`` (statistics reset
   once every user runs). Per step: requests a second, p50/p95/p99 overall and per request type, failures,
   and the CPU time gunicorn, PostgreSQL and Locust itself took (from ``/proc``), with the load average.
4. Everything stopped again; the figures as JSON on standard output and in ``--out``.

Loopback only: gunicorn binds 127.0.0.1 and Locust is pointed at it; there is no option for another host.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_of_tree(root: int) -> float:
    """CPU seconds (user + system) of a process and every descendant alive now."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / TICK
    tree, total = {root}, 0.0
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    for pid in tree:
        total += times.get(pid, 0.0)
    return total


def _env(database_url: str, var: Path) -> dict[str, str]:
    return {
        **os.environ, "DJANGO_SETTINGS_MODULE": "omzien.conf.dev", "DATABASE_URL": database_url,
        "OMZIEN_VAR_DIR": str(var), "OMZIEN_TRUST_PROXY_HEADERS": "true", "OMZIEN_TRUSTED_PROXIES": "1",
        "LOG_LEVEL": "WARNING", "OMZIEN_DEMO": "true",
    }  # fmt: skip


def _wait_for(url: str, seconds: float) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def _stats(prefix: Path) -> dict[str, Any]:
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open()))
    per_type = {}
    total: dict[str, Any] = {}
    for row in rows:
        figures = {
            "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1), "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
            "p99_ms": float(row["99%"] or 0), "mean_ms": round(float(row["Average Response Time"] or 0), 1),
        }  # fmt: skip
        if row["Name"] == "Aggregated":
            total = figures
        else:
            per_type[f"{row['Type']} {row['Name']}"] = figures
    failures_file = prefix.parent / f"{prefix.name}_failures.csv"
    failures = list(csv.DictReader(failures_file.open())) if failures_file.exists() else []
    return {"total": total, "per_type": per_type, "failure_kinds": failures[:10]}


def _step(
    users: int, seconds: int, url: str, gunicorn_pid: int, postgres_pid: int | None, out: Path
) -> dict[str, Any]:
    prefix = out / f"users{users}"
    spawn_rate = max(1, users // 5)
    load_before = os.getloadavg()
    cpu_before = (_cpu_of_tree(gunicorn_pid), _cpu_of_tree(postgres_pid) if postgres_pid else 0.0)
    started = time.monotonic()
    locust = subprocess.Popen(  # noqa: S603 - our own Locust, on loopback
        [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds + users // spawn_rate}s", "--reset-stats",
         "--host", url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"],
        stdout=subprocess.DEVNULL, stderr=(out / f"users{users}.log").open("w"),
    )  # fmt: skip
    _pid, _status, usage = os.wait4(locust.pid, 0)
    wall = time.monotonic() - started
    cpu_after = (_cpu_of_tree(gunicorn_pid), _cpu_of_tree(postgres_pid) if postgres_pid else 0.0)
    locust_cpu = usage.ru_utime + usage.ru_stime
    stats = _stats(prefix)
    return {
        "users": users, "seconds": round(wall, 1), **stats["total"],
        "cpu_s": {"gunicorn": round(cpu_after[0] - cpu_before[0], 1), "postgres": round(cpu_after[1] - cpu_before[1], 1),
                  "locust": round(locust_cpu, 1), "machine_cores_s": round(wall * (os.cpu_count() or 1), 1)},
        "locust_cpu_share_of_machine": round(locust_cpu / (wall * (os.cpu_count() or 1)), 3),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "per_type": stats["per_type"], "failure_kinds": stats["failure_kinds"],
    }  # fmt: skip


def run(
    *, users: list[int], seconds: int, workers: int, threads: int, database_url: str | None, out: Path
) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    var = out / "var"
    var.mkdir(exist_ok=True)
    cluster: str | None = None
    postgres_pid: int | None = None
    if database_url is None:
        exports = subprocess.run([str(ROOT / "scripts" / "postgres-cluster")], check=True, capture_output=True,  # noqa: S603
                                 text=True).stdout  # fmt: skip
        found = dict(
            line.removeprefix("export ").split("=", 1) for line in exports.splitlines() if "=" in line
        )
        cluster, database_url = found["PGTMP"], found["DATABASE_URL"]
    if cluster is not None:
        postgres_pid = int((Path(cluster) / "data" / "postmaster.pid").read_text().split()[0])
    env = _env(database_url, var)
    omzien = [sys.executable, "-m", "omzien"]
    gunicorn: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run([*omzien, "migrate", "-v0"], env=env, check=True)  # noqa: S603
        city = subprocess.run([sys.executable, "-m", "loadtest", "city"], env=env, check=True,  # noqa: S603
                              capture_output=True, text=True, cwd=ROOT).stdout  # fmt: skip
        subprocess.run([*omzien, "collectstatic", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        gunicorn = subprocess.Popen(  # noqa: S603
            [str(Path(sys.executable).parent / "gunicorn"), "omzien.conf.wsgi", "-c", "python:omzien.conf.gunicorn",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
             "--access-logfile", str(out / "gunicorn-access.log"), "--error-logfile", str(out / "gunicorn-error.log")],
            env=env, cwd=ROOT,
        )  # fmt: skip
        _wait_for(f"{url}/healthz", 60)
        steps = []
        for count in users:
            steps.append(_step(count, seconds, url, gunicorn.pid, postgres_pid, out))
            print(json.dumps({k: v for k, v in steps[-1].items() if k not in ("per_type", "failure_kinds")}),
                  file=sys.stderr, flush=True)  # fmt: skip
        status_5xx = sum(1 for line in (out / "gunicorn-access.log").open() if '" 5' in line)
        return {
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cores": os.cpu_count(),
            "gunicorn": {"workers": workers, "threads": threads}, "city": json.loads(city or "{}"),
            "server_5xx_in_access_log": status_5xx, "steps": steps,
        }  # fmt: skip
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(30)
        if cluster is not None:
            subprocess.run([str(ROOT / "scripts" / "postgres-cluster"), "stop", cluster], check=False)  # noqa: S603
            shutil.rmtree(var, ignore_errors=True)

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

``--cache redis`` gives the workers one shared cache and cached sessions (``OMZIEN_CACHE=redis``,
``OMZIEN_SESSIONS=cached_database``) in a throw-away ``redis-server`` on loopback, as docs/deployment.md
advises for more than one web process; its CPU is counted beside PostgreSQL's.

Loopback only: gunicorn binds 127.0.0.1 and Locust is pointed at it; there is no option for another host.
"""

from __future__ import annotations

import csv
import json
import os
import re
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


def _cpu_of_tree(root: int | None) -> float:
    """CPU seconds (user + system) of a process and every descendant alive now; 0 for no process."""
    if not root:
        return 0.0
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


def _redis(var: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A throw-away redis-server on a free loopback port, keeping nothing on disk; and its URL."""
    server = shutil.which("redis-server")
    if server is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    redis = subprocess.Popen(  # noqa: S603 - Debian's redis-server on loopback, no disk
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(var)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return redis, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    redis.kill()
    raise SystemExit("redis-server did not start")


def _wait_for(url: str, seconds: float) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=seconds) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def _number(text: str | None) -> float:
    try:
        return float(text or 0)
    except ValueError:  # "N/A": no request of that kind in the step
        return 0.0


def _stats(prefix: Path) -> dict[str, Any]:
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open()))
    per_type = {}
    total: dict[str, Any] = {}
    for row in rows:
        figures = {
            "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "rps": round(_number(row["Requests/s"]), 1), "p50_ms": _number(row["50%"]), "p95_ms": _number(row["95%"]),
            "p99_ms": _number(row["99%"]), "mean_ms": round(_number(row["Average Response Time"]), 1),
        }  # fmt: skip
        if row["Name"] == "Aggregated":
            total = figures
        else:
            per_type[f"{row['Type']} {row['Name']}"] = figures
    failures_file = prefix.parent / f"{prefix.name}_failures.csv"
    failures = list(csv.DictReader(failures_file.open())) if failures_file.exists() else []
    return {"total": total, "per_type": per_type, "failure_kinds": failures[:10]}


ACCESS = re.compile(r'"(\w+) (\S+) HTTP/[\d.]+" (\d{3}) \S+ (\d+)ms$')
UUIDS = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|/\d+(?=/|$)")


def _server_times(log: Path, skip: int) -> tuple[dict[str, Any], int]:
    """Per path (ids folded to ``{id}``): requests, and gunicorn's own time (request in to response out, the
    queue before a worker took it excluded) p50/p95 — the server's part of what Locust measured."""
    lines = log.read_text().splitlines()
    times: dict[str, list[int]] = {}
    for line in lines[skip:]:
        found = ACCESS.search(line)
        if found:
            times.setdefault(f"{found[1]} {UUIDS.sub('{id}', found[2])}", []).append(int(found[4]))
    figures = {}
    for path, values in sorted(times.items(), key=lambda item: -sum(item[1])):
        values.sort()
        figures[path] = {"requests": len(values), "server_p50_ms": values[len(values) // 2],
                         "server_p95_ms": values[min(len(values) - 1, int(len(values) * 0.95))],
                         "server_total_s": round(sum(values) / 1000, 1)}  # fmt: skip
    return figures, len(lines)


def _machine_busy() -> float:
    """CPU seconds the whole machine spent busy since boot (every core: user, nice, system, interrupts)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICK


def _step(
    users: int, seconds: int, url: str, gunicorn_pid: int, postgres_pid: int | None, out: Path,
    redis_pid: int | None = None,
) -> dict[str, Any]:
    prefix = out / f"users{users}"
    spawn_rate = max(1, users // 5)
    access_log = out / "gunicorn-access.log"
    _figures, seen = _server_times(access_log, 0)
    load_before = os.getloadavg()
    pids = {"gunicorn": gunicorn_pid, "postgres": postgres_pid, "redis": redis_pid}
    cpu_before = {name: _cpu_of_tree(pid) for name, pid in pids.items()}
    busy_before = _machine_busy()
    started = time.monotonic()
    locust = subprocess.Popen(  # noqa: S603 - our own Locust, on loopback
        [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds + users // spawn_rate}s", "--reset-stats",
         "--host", url, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5"],
        stdout=subprocess.DEVNULL, stderr=(out / f"users{users}.log").open("w"),
    )  # fmt: skip
    _pid, _status, usage = os.wait4(locust.pid, 0)
    wall = time.monotonic() - started
    cpu = {name: _cpu_of_tree(pid) - cpu_before[name] for name, pid in pids.items()}
    locust_cpu = usage.ru_utime + usage.ru_stime
    busy = _machine_busy() - busy_before
    stats = _stats(prefix)
    server, _seen = _server_times(access_log, seen)
    return {
        "users": users, "seconds": round(wall, 1), **stats["total"],
        "cpu_s": {**{name: round(used, 1) for name, used in cpu.items()},
                  "locust": round(locust_cpu, 1), "machine_cores_s": round(wall * (os.cpu_count() or 1), 1),
                  # PostgreSQL's backends come and go, so its own figure misses some; the machine's busy time
                  # less gunicorn, Locust and Redis is PostgreSQL plus the kernel's loopback network.
                  "machine_busy": round(busy, 1),
                  "rest": round(busy - cpu["gunicorn"] - locust_cpu - cpu["redis"], 1)},
        "locust_cpu_share_of_machine": round(locust_cpu / (wall * (os.cpu_count() or 1)), 3),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "per_type": stats["per_type"], "failure_kinds": stats["failure_kinds"], "server_time_per_path": server,
    }  # fmt: skip


def run(
    *,
    users: list[int],
    seconds: int,
    workers: int,
    threads: int,
    database_url: str | None,
    out: Path,
    postgres_pid: int | None = None,
    cache: str = "redis",
) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    var = out / "var"
    var.mkdir(exist_ok=True)
    cluster: str | None = None
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
    redis: subprocess.Popen[bytes] | None = None
    if cache == "redis":
        redis, env["OMZIEN_REDIS_URL"] = _redis(var)
        env |= {"OMZIEN_CACHE": "redis", "OMZIEN_SESSIONS": "cached_database"}
    omzien = [sys.executable, "-m", "omzien"]
    gunicorn: subprocess.Popen[bytes] | None = None
    try:
        city = ""
        if cluster is not None:  # a database given is one built before (migrated, with its city)
            subprocess.run([*omzien, "migrate", "-v0"], env=env, check=True)  # noqa: S603
            city = subprocess.run([sys.executable, "-m", "loadtest", "city"], env=env, check=True,  # noqa: S603
                                  capture_output=True, text=True, cwd=ROOT).stdout  # fmt: skip
        if not (var / "static").is_dir():
            subprocess.run([*omzien, "collectstatic", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        gunicorn = subprocess.Popen(  # noqa: S603
            [str(Path(sys.executable).parent / "gunicorn"), "omzien.conf.wsgi", "-c", "python:loadtest.gunicorn_conf",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads), "--preload", "--timeout", "60",
             "--access-logfile", str(out / "gunicorn-access.log"), "--error-logfile", str(out / "gunicorn-error.log")],
            env=env, cwd=ROOT,
        )  # fmt: skip
        _wait_for(f"{url}/healthz", 300)
        redis_pid = redis.pid if redis else None
        _step(10, 20, url, gunicorn.pid, postgres_pid, out, redis_pid)  # warm-up (every worker's first pages), not reported
        steps = []
        for count in users:
            steps.append(_step(count, seconds, url, gunicorn.pid, postgres_pid, out, redis_pid))
            print(json.dumps({k: v for k, v in steps[-1].items() if k not in ("per_type", "failure_kinds")}),
                  file=sys.stderr, flush=True)  # fmt: skip
        status_5xx = sum(1 for line in (out / "gunicorn-access.log").open() if '" 5' in line)
        return {
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cores": os.cpu_count(),
            "gunicorn": {"workers": workers, "threads": threads}, "cache": cache, "city": json.loads(city or "{}"),
            "server_5xx_in_access_log": status_5xx, "steps": steps,
        }  # fmt: skip
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(30)
        if redis is not None:
            redis.terminate()
            redis.wait(10)
        if cluster is not None:
            subprocess.run([str(ROOT / "scripts" / "postgres-cluster"), "stop", cluster], check=False)  # noqa: S603
            shutil.rmtree(var, ignore_errors=True)

# SPDX-License-Identifier: EUPL-1.2
"""A real Omzien behind gunicorn, for fault tests and drills: several worker processes, each with its
own persistent database connection, exactly as production runs (docs/deployment.md).

Django's test client runs the view in the test's own process and connection, so it cannot show what
a worker process does when PostgreSQL goes away under it and comes back. These helpers start
gunicorn on a free loopback port and talk plain HTTP to it (a cookie jar, no redirects followed).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    """Return a loopback port nothing listens on at this moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: str
    seconds: float


@dataclass
class Visitor:
    """One person's browser, reduced to what matters here: its cookies, and one request at a time."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: Mapping[str, str]) -> Answer:
        return self.request("POST", path, form)

    def request(self, method: str, path: str, form: Mapping[str, str] | None = None) -> Answer:
        host, port = self.base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=self.timeout)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return Answer(response.status, dict(response.headers.items()), text, time.monotonic() - started)


@contextmanager
def gunicorn(environment: Mapping[str, str], *, workers: int = 3, log: Path | None = None) -> Iterator[str]:
    """Run Omzien under gunicorn with these environment variables; yield its base URL.

    Waits until ``/healthz`` answers (at most a minute: Django's start-up on a busy machine), and
    stops the server (SIGTERM, then SIGKILL) afterwards, whatever happened.
    """
    port = free_port()
    env = {**os.environ, **environment}
    command = [
        sys.executable, "-m", "gunicorn", "omzien.conf.wsgi", "-c", "python:omzien.lib.testing.gunicorn_warm",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "60", "--graceful-timeout", "5", "--preload",
    ]  # fmt: skip
    output = log.open("ab") if log else subprocess.DEVNULL
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {server.returncode} before it answered")
            try:
                Visitor(base, timeout=5).get("/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer within 60 seconds") from None
                time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if log and output is not subprocess.DEVNULL:
            output.close()  # type: ignore[union-attr]

# SPDX-License-Identifier: EUPL-1.2
"""The log-leak check, extended to the web server's log: the demo's and production's gunicorn settings
(``omzien/conf/gunicorn.py``) write paths without query strings or referrers, so a name search never lands
in the access log (issue 15)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

SEARCHED_NAME = "Aaldering"  # one of the suite's log-leak markers (conftest.py)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the first response is the one whose log line counts


def _get(url: str, referer: str) -> None:
    request = urllib.request.Request(url, headers={"Referer": referer})  # noqa: S310 - our own local server
    # A redirect to the login page or an error is logged just the same. The first request waits for the
    # worker to load Django (slow on a busy machine).
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.build_opener(_NoRedirect).open(request, timeout=120).close()


def test_a_name_search_is_not_in_the_web_servers_access_log() -> None:
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "omzien.conf.test"}
    server = subprocess.Popen(
        [str(gunicorn), "omzien.conf.wsgi", "-c", "python:omzien.conf.gunicorn", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"],
        cwd=settings.BASE_DIR, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        _get(f"{base}/bewoners/?q={SEARCHED_NAME}", referer=f"{base}/bewoners/?q={SEARCHED_NAME}")
        _get(f"{base}/healthz?naam={SEARCHED_NAME}", referer=f"{base}/?q={SEARCHED_NAME}")
    finally:
        time.sleep(0.5)
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "/bewoners/" in output and "/healthz" in output, output  # the requests are logged ...
    assert SEARCHED_NAME not in output  # ... without the name that was searched for

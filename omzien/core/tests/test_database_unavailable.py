# SPDX-License-Identifier: EUPL-1.2
"""PostgreSQL goes away (stopped, restarting, failing over): pages answer 503 with the request id and
/healthz says unhealthy; when it is back, everything works again without restarting Omzien (issue 26)."""

from __future__ import annotations

import socket

from django.db import connection
from django.test import Client

import pytest


def _closed_port() -> int:
    """A port nothing listens on: connecting is refused, exactly as with a stopped server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pages_answer_503_with_the_request_id_while_the_database_is_away_and_recover_after() -> None:
    client = Client(raise_request_exception=False)
    assert client.get("/activiteiten/").status_code == 200
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    try:
        for path in ("/activiteiten/", "/activiteiten/wijken.geojson"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert response["Retry-After"] == "30"
            page = response.content.decode()
            assert response["X-Request-ID"] in page  # the code a caller can quote to the help desk
            assert "Traceback" not in page and "OperationalError" not in page and "5432" not in page
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["database"] == "unreachable"
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    # The database is back: the next request opens a new connection, no restart needed.
    assert client.get("/activiteiten/").status_code == 200
    assert client.get("/healthz").status_code == 200

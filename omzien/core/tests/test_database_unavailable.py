# SPDX-License-Identifier: EUPL-1.2
"""PostgreSQL goes away (stopped, restarting, failing over): pages answer 503 with the request id and
/healthz says unhealthy; when it is back, everything works again without restarting Omzien (issue 26)."""

from __future__ import annotations

import socket

from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.handlers.exception import response_for_exception
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory

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
        api = client.get("/api/hsds/services")
        assert api.status_code == 503 and api["Retry-After"] == "30"
        assert api.json() == {"detail": "Service unavailable; try again shortly."}
        assert api["Access-Control-Allow-Origin"] == "*"  # a browser client may read the error too
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["database"] == "unreachable"
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    # The database is back: the next request opens a new connection, no restart needed.
    assert client.get("/activiteiten/").status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_session_that_cannot_be_saved_because_the_database_went_away_is_a_503_not_a_bad_request() -> None:
    # The request read its session while the database was there; it went away before the end of the
    # request, when the session is written back. Django turns that failed write into
    # SessionInterrupted (400); the visitor did nothing wrong.
    request = RequestFactory().get("/activiteiten/")
    request.request_id = "0123456789abcdef0123456789abcdef"  # type: ignore[attr-defined]
    middleware = SessionMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    request.session["seen"] = True
    request.session.save()
    request.session["seen"] = False  # modified: written at the end of the request
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    try:
        with pytest.raises(SessionInterrupted) as interrupted:
            middleware.process_response(request, HttpResponse())
        response = response_for_exception(request, interrupted.value)
    finally:
        connection.close()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "0123456789abcdef0123456789abcdef" in response.content.decode()
    # Any other bad request is still one.
    assert (
        response_for_exception(request, SessionInterrupted("deleted by a log-out elsewhere")).status_code
        == 400
    )

# SPDX-License-Identifier: EUPL-1.2
"""Redis gone (issue 26): with the cache and sessions in Redis, a Redis that stops costs speed, not
service. Pages, logged-in sessions and writes go on from PostgreSQL; Django's own Redis cache would
have turned the outage into error pages.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator

from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

import pytest

from omzien.activities.models import Registration
from omzien.activities.tests.factories import Town
from omzien.lib.testing.live import free_port
from omzien.lib.testing.world import login_verified

redis = pytest.importorskip("redis", reason="the redis client is in the `redis` dependency group")


@pytest.fixture
def redis_server() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A real, empty Redis on a free loopback port (Debian's redis-server), nothing written to disk."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield server, url
    server.kill()
    server.wait()


@pytest.mark.django_db
def test_with_redis_gone_pages_sessions_and_writes_go_on_from_the_database(
    redis_server: tuple[subprocess.Popen[bytes], str],
) -> None:
    server, url = redis_server
    town = Town()
    activity = town.activity(capacity=5)
    me = town.resident(user=True)
    caches = {"default": {"BACKEND": "omzien.lib.cache.FailOpenRedisCache", "LOCATION": url}}
    with override_settings(CACHES=caches, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        client = Client(raise_request_exception=False)
        login_verified(client, me.user)  # type: ignore[arg-type]
        assert client.get(reverse("activities:search")).status_code == 200
        # Both the search choices and the session are in Redis now.
        keys = {key.decode() for key in redis.Redis.from_url(url).keys("*")}
        assert any("search-choices" in key for key in keys), keys
        assert any("cached_db" in key for key in keys), keys

        server.kill()  # Redis is gone
        server.wait()
        assert cache.get("anything") is None
        cache.set("anything", 1)  # skipped, not an error
        assert client.get(reverse("activities:search")).status_code == 200
        # Still logged in: the session is read from the database.
        assert client.get(reverse("activities:mine")).status_code == 200
        client.get(reverse("activities:detail", args=[activity.public_id]))
        response = client.post(reverse("activities:register", args=[activity.public_id]), {"consent": "yes"})
        assert response.status_code == 302
        assert Registration.objects.filter(resident=me, activity=activity).exists()

    # Django's own Redis cache, for contrast: the same outage is an error page.
    plain = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    with override_settings(CACHES=plain):
        assert Client(raise_request_exception=False).get(reverse("activities:search")).status_code == 500

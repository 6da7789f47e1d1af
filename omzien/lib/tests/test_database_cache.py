# SPDX-License-Identifier: EUPL-1.2
"""OMZIEN_CACHE=database: the cache every machine shares is a table, made by `omzien createcachetable`."""

from __future__ import annotations

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

import pytest

from omzien.activities.tests.factories import Town


@pytest.mark.django_db
def test_the_database_cache_holds_what_the_pages_cache() -> None:
    from omzien.conf.base import _CACHE_BACKENDS

    with override_settings(CACHES={"default": _CACHE_BACKENDS["database"]}):
        call_command("createcachetable", stdout=StringIO())
        table = settings.CACHES["default"]["LOCATION"]
        Town()
        assert Client().get(reverse("activities:search")).status_code == 200
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own name
            keys = [key for (key,) in cursor.fetchall()]
        assert any("search-choices" in key for key in keys), keys

# SPDX-License-Identifier: EUPL-1.2
"""One search filter for the directory: the public search and the HSDS API find the same activities."""

from __future__ import annotations

import ast
from datetime import time
from pathlib import Path

from django.test import TestCase

import pytest

import omzien
from omzien.activities import selectors
from omzien.activities.models import Location
from omzien.activities.tests.factories import Town
from omzien.hsds.selectors import filtered_activity_ids

# Runs on PostgreSQL too, not only on SQLite with the rest of the unit suite (scripts/test): the directory's filter on a list of features is a JSON containment on PostgreSQL only.
pytestmark = pytest.mark.both_databases


class DirectoryFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.town = Town()
        north = Location.objects.create(organisation=cls.town.provider, name="Noord", postcode="3561BB", lat=52.11, lon=5.10)
        east = Location.objects.create(organisation=cls.town.provider, name="Oost", postcode="3562CC", lat=52.10, lon=5.18)
        cls.town.activity(title="Koffie centrum", interests=("ontmoeten",), weekday=0, start=time(10))
        cls.town.activity(title="Kookclub noord", location=north, interests=("koken",), weekday=2, start=time(14))
        cls.town.activity(title="Koken oost", location=east, interests=("koken",), weekday=2, start=time(19))

    def search_pks(self, **fields: object) -> list[int]:
        result = selectors.activity_search(selectors.SearchQuery(**fields), per_page=100)  # type: ignore[arg-type]
        return [hit.pk for hit in result.hits]

    def test_words_find_the_same_activities_in_the_search_and_the_api(self) -> None:
        for words in ("kook", "koffie centrum", "KOKEN", "nergens"):
            with self.subTest(words=words):
                self.assertEqual(sorted(self.search_pks(text=words)), filtered_activity_ids({"search": words}))

    def test_a_radius_finds_the_same_activities_nearest_first_in_both(self) -> None:
        from omzien.geo.selectors import postcode_get

        place = postcode_get("3561AA")
        assert place is not None and place.lat is not None and place.lon is not None
        for km in (1.0, 3.0, 10.0):
            with self.subTest(km=km):
                api = filtered_activity_ids({"postcode": "3561AA", "proximity": int(km * 1000)})
                self.assertEqual(self.search_pks(point=(place.lat, place.lon), radius_km=km), api)

    def test_the_word_filter_is_written_once(self) -> None:
        # Both the search and the API narrow by words through selectors.directory_filter only.
        root = Path(omzien.__file__).parent
        for path in (root / "activities" / "selectors.py", root / "hsds" / "selectors.py"):
            words = [node for node in ast.walk(ast.parse(path.read_text()))
                     if isinstance(node, ast.keyword) and node.arg == "title__icontains"]  # fmt: skip
            self.assertEqual(len(words), 1 if path.parent.name == "activities" else 0, path)

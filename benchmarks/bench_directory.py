# SPDX-License-Identifier: EUPL-1.2
"""The sociale kaart on a big city: 10,000 activities, 100,000 residents (issues #6 and #7).

Also the HSDS API: random ``/api/hsds/services`` pages of 50.

Scale 1.0: activities spread over the demo city's postcodes with schedules and interests, and
100,000 residents in the same database. Each query is a postcode + 3 km + an interest + a day, as a
resident would type it; it goes through the whole Django stack (middleware, view, template) and
the time is the server's. Correctness: every query's hits equal a brute-force distance check over
all activities. Run it on PostgreSQL (``DATABASE_URL``) for the figure the issue names. ``search_*`` is the whole
response (middleware, view, template); ``query_*`` the search without rendering.
"""

from __future__ import annotations

import gc
import random
import re
import statistics
import time
from datetime import time as clock
from typing import Any

NEEDS_DATABASE = True
TOTAL = re.compile(r'data-total="(\d+)"')


def _uninstrumented_templates() -> None:
    """Undo the test environment's per-render signal (it records every template for the test client)."""
    from django.template.base import Template
    from django.test import utils

    saved = getattr(utils._TestState, "saved_data", None)
    if saved is not None and hasattr(saved, "template_render"):
        Template._render = saved.template_render  # type: ignore[attr-defined]


def _build(scale: float, rng: random.Random) -> list[Any]:
    from django.utils import timezone

    from omzien.accounts.models import Organisation
    from omzien.activities import search_index
    from omzien.activities.models import Activity, Location, Schedule, Term
    from omzien.geo.models import Postcode
    from omzien.geo.services import demo_geography_load
    from omzien.residents.models import Resident

    demo_geography_load()
    postcodes = list(Postcode.objects.filter(code__regex=r"^\d{4}[A-Z]{2}$", lat__isnull=False))
    interests = list(Term.objects.filter(vocabulary="interest"))
    provider, _created = Organisation.objects.get_or_create(name="Benchmark", kind="activiteitenaanbieder")
    n_activities, n_residents = max(100, int(10_000 * scale)), max(1000, int(100_000 * scale))
    spots = [rng.choice(postcodes) for _ in range(n_activities)]
    locations = Location.objects.bulk_create(
        [Location(organisation=provider, name=f"Plek {i}", postcode=p.code, neighbourhood_id=p.neighbourhood_id,
                  lat=p.lat + rng.uniform(-0.002, 0.002), lon=p.lon + rng.uniform(-0.003, 0.003))  # type: ignore[operator]
         for i, p in enumerate(spots)], batch_size=2000,
    )  # fmt: skip
    now = timezone.now()
    activities = Activity.objects.bulk_create(
        [Activity(organisation=provider, location=location, title=f"Activiteit {i}", description="Samen iets doen",
                  capacity=(cap := rng.randrange(5, 30)), places_taken=rng.randrange(0, cap + 1), languages=["nl"],
                  last_confirmed_at=now)
         for i, location in enumerate(locations)], batch_size=2000,
    )  # fmt: skip
    Activity.interests.through.objects.bulk_create(
        [
            Activity.interests.through(activity=a, term=t)
            for a in activities
            for t in rng.sample(interests, 2)
        ],
        batch_size=5000,
    )
    Schedule.objects.bulk_create(
        [Schedule(activity=a, weekday=day, starts_at=clock(10), ends_at=clock(12))
         for a in activities for day in rng.sample(range(7), rng.choice([1, 2]))], batch_size=5000,
    )  # fmt: skip
    search_index.refresh([a.pk for a in activities])
    Resident.objects.bulk_create(
        [
            Resident(first_name="Bench", last_name=str(i), postcode=rng.choice(postcodes).code)
            for i in range(n_residents)
        ],
        batch_size=5000,
    )
    return postcodes


def run(scale: float = 1.0) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from omzien.activities.forms import SearchForm
    from omzien.activities.models import Activity, Schedule
    from omzien.activities.selectors import SearchQuery, activity_search, km_between

    rng = random.Random(2026)
    started = time.perf_counter()
    postcodes = _build(scale, rng)
    build_s = time.perf_counter() - started
    rows = list(Activity.objects.values_list("pk", "location__lat", "location__lon"))
    interests_of: dict[int, set[str]] = {}
    for pk, code in Activity.interests.through.objects.values_list("activity_id", "term__code"):
        interests_of.setdefault(pk, set()).add(code)
    days_of: dict[int, set[int]] = {}
    for pk, day in Schedule.objects.values_list("activity_id", "weekday"):
        days_of.setdefault(pk, set()).add(day)
    client = Client()
    _uninstrumented_templates()  # a server renders templates without the test client's hooks
    client.get("/activiteiten/")  # warm the caches a real server has warm
    # A server process freezes what it loaded at start-up (gc.freeze, as Omzien's WSGI entry point does),
    # so collections need not walk it; the build above would otherwise slow every later collection.
    gc.collect()
    gc.freeze()
    timings, query_timings, hits = [], [], []
    queries = max(20, int(300 * min(scale * 10, 1)))
    for index in range(queries):
        spot = rng.choice(postcodes)
        interest = rng.choice(sorted({c for s in interests_of.values() for c in s}))
        day = rng.randrange(7)
        began = time.perf_counter()
        response = client.get(
            "/activiteiten/", {"where": spot.code, "radius": "3", "interest": interest, "day": str(day)}
        )
        timings.append(time.perf_counter() - began)
        assert response.status_code == 200
        began = time.perf_counter()
        form = SearchForm({"where": spot.code, "radius": "3", "interest": interest, "day": str(day)})
        assert form.is_valid()
        activity_search(SearchQuery(point=form.point, radius_km=3.0, interest=interest, weekday=day))
        query_timings.append(time.perf_counter() - began)
        found = TOTAL.search(response.content.decode())
        assert found is not None, "the results carry their count"
        total = int(found.group(1))
        hits.append(total)
        if index < 20:  # correctness against a brute-force check over every activity
            expected = {
                pk for pk, lat, lon in rows
                if km_between(spot.lat, spot.lon, lat, lon) <= 3.0  # type: ignore[arg-type]
                and interest in interests_of.get(pk, set()) and day in days_of.get(pk, set())
            }  # fmt: skip
            assert total == len(expected), (spot.code, total, len(expected))
    api_timings = []
    pages = max(1, len(rows) // 50)
    for _ in range(max(20, queries // 3)):
        number = rng.randrange(1, pages + 1)
        began = time.perf_counter()
        response = client.get("/api/hsds/services", {"page": number, "per_page": 50})
        api_timings.append(time.perf_counter() - began)
        assert response.status_code == 200 and response.json()["page_number"] == number
    gc.unfreeze()
    api_timings.sort()
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    return {
        "database": connection.vendor,
        "activities": len(rows),
        "queries": queries,
        "build_s": round(build_s, 1),
        "search_p50_ms": round(statistics.median(timings) * 1000, 1),
        "search_p95_ms": round(p95 * 1000, 1),
        "search_max_ms": round(timings[-1] * 1000, 1),
        "hits_median": statistics.median(hits),
        # The search alone (form, SQL, distances, the page's rows), without rendering the page.
        "query_p50_ms": round(statistics.median(query_timings) * 1000, 1),
        "query_p95_ms": round(sorted(query_timings)[int(0.95 * (len(query_timings) - 1))] * 1000, 1),
        "target": "p95 <= 50 ms on PostgreSQL (issue #6)",
        "hsds_services_page50_p50_ms": round(statistics.median(api_timings) * 1000, 1),
        "hsds_services_page50_p95_ms": round(api_timings[int(0.95 * (len(api_timings) - 1))] * 1000, 1),
        "hsds_target": "p95 <= 100 ms on PostgreSQL (issue #7)",
    }

# SPDX-License-Identifier: EUPL-1.2
"""The council report and a what-if on the demo city, and a what-if for a city of 370,000 residents (issue #23).

Scale 1.0: the demo city (8,000 residents; the casework, activities and volunteers rooms' demo data and
the three synthetic monitor editions) is seeded; then, timed:

- the council report as the page queues it: figures (outcomes from casework's records, reach,
  occupancy, the monitor edition), the HTML and the tagged PDF, stored — target ≤ 20 s;
- a what-if: 20 more places at the activities of the kind and wijk with the most residents waiting,
  today's allocation round and the changed one by the matching engine — target ≤ 3 s;
- a what-if: 10 more visitors for the visiting service over the city (the volunteers room's engine on
  today's open requests) — reported;
- the same what-if after the waiting lists are scaled up to a city of 370,000 residents (the demo's
  waiting entries per resident, copied in bulk) and the activities fivefold, reported.

Correctness: the report is done, its PDF starts with %PDF and its stored outcomes equal the core's for
casework's records; the changed round places at least as many residents as today's, and nothing live
changed (waiting-list statuses and places are the same before and after). Below scale 0.5 (the
suite's smoke run) a small city is built instead of the demo's, and only the figures are gathered (the
HTML and PDF take seconds; the report's tests render them).
"""

from __future__ import annotations

import random
import resource
import time
from typing import Any

NEEDS_DATABASE = True
CITY = 370_000


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0)


def _busiest_kind() -> tuple[str, str]:
    from django.db.models import Count

    from omzien.activities.models import WaitingListEntry

    row = (
        WaitingListEntry.objects.filter(status="waiting", activity__is_active=True,
                                        activity__location__neighbourhood__district__isnull=False)
        .values("activity__interests__code", "activity__location__neighbourhood__district__code")
        .exclude(activity__interests__code=None).annotate(n=Count("pk")).order_by("-n").first()
    )  # fmt: skip
    assert row is not None, "no waiting-list entry at an activity with a kind and a wijk"
    return row["activity__interests__code"], row["activity__location__neighbourhood__district__code"]


def _live_state() -> tuple[Any, ...]:
    from django.db.models import Count, Sum

    from omzien.activities.models import Activity, Registration, WaitingListEntry

    return (
        tuple(WaitingListEntry.objects.values_list("status").annotate(n=Count("pk")).order_by("status")),
        Activity.objects.aggregate(c=Sum("capacity"), t=Sum("places_taken")), Registration.objects.count(),
    )  # fmt: skip


def _whatif(places: int) -> tuple[float, dict[str, Any]]:
    from omzien.reports.whatif import PlacesChange, whatif_results

    interest, wijk = _busiest_kind()
    before = _live_state()
    started = time.perf_counter()
    results = whatif_results(PlacesChange(interest, interest, wijk, wijk, places))
    seconds = time.perf_counter() - started
    assert _live_state() == before, "the what-if changed live data"
    assert results["changed"]["placed"] >= results["today"]["placed"], results
    return seconds, results


def _whatif_volunteers() -> dict[str, Any]:
    """Ten more visitors for the visiting service over the whole city: the volunteers room's engine on today's
    open requests (none in the smoke run's small city: then only that it refuses cleanly)."""
    from omzien.reports.whatif import VolunteersChange, WhatIfError, whatif_volunteers_results
    from omzien.volunteers.models import MatchRequest

    before = list(MatchRequest.objects.order_by("pk").values_list("pk", "status"))
    started = time.perf_counter()
    try:
        results = whatif_volunteers_results(VolunteersChange("visiting_service", "Bezoekdienst", "", "", 10))
    except WhatIfError:
        return {"whatif_volunteers_demo_s": round(time.perf_counter() - started, 2), "whatif_volunteers_demo": None}
    seconds = time.perf_counter() - started
    assert list(MatchRequest.objects.order_by("pk").values_list("pk", "status")) == before, "the what-if changed requests"
    assert results["changed"]["placed"] >= results["today"]["placed"], results
    return {"whatif_volunteers_demo_s": round(seconds, 2),
            "whatif_volunteers_demo": {"requests": results["today"]["waiting"], "matched_today": results["today"]["placed"],
                                       "matched_changed": results["changed"]["placed"]}}  # fmt: skip


def _small_city() -> None:
    """A wijk's worth of activities and waiting residents (the smoke run), through the activities test town."""
    from omzien.activities.tests.factories import Town, wait

    town = Town()
    clubs = [town.activity(capacity=2, title=f"Kookclub {i}", interests=("koken",)) for i in range(3)]
    for i in range(30):
        wait(clubs[i % 3], town.resident(), need=1 + i % 3, days_ago=i)


ACTIVITY_FACTOR = 5


def _scale_waiting_lists(factor: float) -> dict[str, int]:
    """Copy waiting residents in bulk until the city has ``factor`` times as many, and the activities fivefold.

    Waiting residents grow with the city; the activities do not grow with the demo's sample of residents
    (the demo already holds a city's directory, about 300 activities with places): five times as many
    (about 1,500 activities with places) is a generous directory for a city of 370,000 — copying them 46
    times over the same streets would put 46 activities where there is one.
    """
    from datetime import timedelta

    from django.utils import timezone

    from omzien.activities.models import Activity, WaitingListEntry
    from omzien.residents.models import Resident

    rng = random.Random(370)  # noqa: S311 - synthetic data
    through = Activity.interests.through
    activities = list(Activity.objects.filter(is_active=True, location__lat__isnull=False))
    interests: dict[int, list[int]] = {}
    for activity_id, term_id in through.objects.filter(activity__in=activities).values_list("activity_id", "term_id"):
        interests.setdefault(activity_id, []).append(term_id)
    copies = [
        Activity(organisation_id=a.organisation_id, location_id=a.location_id, title=f"{a.title} {round_}",
                 capacity=a.capacity, places_taken=a.places_taken, languages=a.languages,
                 last_confirmed_at=a.last_confirmed_at, lat=a.lat, lon=a.lon)
        for round_ in range(min(int(factor), ACTIVITY_FACTOR) - 1) for a in activities
    ]  # fmt: skip
    made = Activity.objects.bulk_create(copies, batch_size=2000)
    originals = [a.pk for a in activities] * (min(int(factor), ACTIVITY_FACTOR) - 1)
    through.objects.bulk_create([through(activity_id=copy.pk, term_id=term) for copy, original in zip(made, originals, strict=True)
                                 for term in interests.get(original, [])], batch_size=5000)  # fmt: skip
    entries = list(WaitingListEntry.objects.filter(status="waiting").select_related("resident"))
    residents_from = [e.resident for e in entries] or list(Resident.objects.exclude(postcode="")[:100])
    pool = [a.pk for a in activities] + [a.pk for a in made]
    extra = int(len(entries) * (factor - 1))
    people = Resident.objects.bulk_create([
        Resident(first_name="Synthetisch", last_name=str(i), postcode=(model := rng.choice(residents_from)).postcode,
                 neighbourhood_id=model.neighbourhood_id, languages=model.languages)
        for i in range(extra)], batch_size=5000)  # fmt: skip
    now = timezone.now()
    WaitingListEntry.objects.bulk_create([
        WaitingListEntry(activity_id=rng.choice(pool), resident=person, need=rng.randint(1, 3),
                         joined_at=now - timedelta(days=rng.randint(0, 200)))
        for person in people], batch_size=5000)  # fmt: skip
    return {"activities": len(activities) + len(made), "waiting": len(entries) + extra}


def run(scale: float = 1.0) -> dict[str, Any]:
    from omzien.reports.council import outcome_records, outcomes_figures
    from omzien.reports.models import CouncilReport, Edition
    from omzien.reports.services import council_report_execute, demo_edition_create

    figures: dict[str, Any] = {}
    full = scale >= 0.5
    started = time.perf_counter()
    if full:
        from omzien.core.demo_city import demo_city_seed

        demo_city_seed(residents=8000)
    else:
        from django.utils import timezone

        _small_city()  # one wijk with two buurten (the activities tests' town), then an edition over it
        demo_edition_create(year=2024, lonely_share=0.35, respondents=400, seed=1, now=timezone.now())
    figures["seed_s"] = round(time.perf_counter() - started, 1)
    edition = Edition.objects.order_by("-fieldwork_date").first()
    assert edition is not None
    report = CouncilReport.objects.create(title="Benchmark", edition=edition, edition_ids=[edition.pk],
                                          parameters={}, created_at=edition.created_at)  # fmt: skip
    started, cpu = time.perf_counter(), time.process_time()
    if full:
        report = council_report_execute(report.pk)
    else:
        from django.utils import timezone

        from omzien.reports.council import council_figures

        assert council_figures(edition=edition, now=timezone.now())["edition_ids"] == [edition.pk]
    figures["council_report_s"] = round(time.perf_counter() - started, 2)
    figures["council_report_cpu_s"] = round(time.process_time() - cpu, 2)
    if full:
        assert report.status == CouncilReport.Status.DONE and bytes(report.pdf or b"").startswith(b"%PDF")
        assert report.figures["outcomes"] == outcomes_figures(outcome_records(), min_cell=report.figures["min_cell"])
        figures["council_report_pdf_kb"] = round(len(bytes(report.pdf or b"")) / 1024)
        figures["outcome_records"] = report.figures["outcomes"]["records"]
    seconds, results = _whatif(20)
    figures["whatif_demo_s"] = round(seconds, 2)
    figures["whatif_demo"] = {"waiting": results["today"]["waiting"], "placed_today": results["today"]["placed"],
                              "placed_changed": results["changed"]["placed"]}  # fmt: skip
    figures.update(_whatif_volunteers())
    city = CITY if full else 600
    residents = 8000 if full else 150
    started = time.perf_counter()
    sizes = _scale_waiting_lists(city / residents)
    figures["city_build_s"] = round(time.perf_counter() - started, 1)
    seconds, results = _whatif(20)
    figures[f"whatif_city_{city}_s"] = round(seconds, 2)
    figures[f"whatif_city_{city}"] = {**sizes, "placed_today": results["today"]["placed"],
                                      "placed_changed": results["changed"]["placed"]}  # fmt: skip
    figures["targets"] = {"council_report_s": 20.0, "whatif_demo_s": 3.0}
    figures["peak_rss_mb"] = _peak_mb()
    return figures

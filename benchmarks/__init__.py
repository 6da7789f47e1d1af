# SPDX-License-Identifier: EUPL-1.2
"""Benchmarks: speed and memory targets live here, never in timed unit tests.

Run them with ``.venv/bin/python -m benchmarks`` (see benchmarks/README.md). Each module in
``BENCHMARKS`` has ``run(scale) -> dict``: it builds its own deterministic data, checks that the
answers are right (raising AssertionError when not), and returns the measured figures. CI runs
each at about 1% scale as a smoke test of correctness, never of time.
"""

BENCHMARKS = [
    "benchmarks.bench_geo",
    "benchmarks.bench_matching",
    "benchmarks.bench_scoring",
    "benchmarks.bench_monitor",
    "benchmarks.bench_directory",
    "benchmarks.bench_hsds_import",
    "benchmarks.bench_reports",
    "benchmarks.bench_pages",
    "benchmarks.bench_casework",
    "benchmarks.bench_council",
    "benchmarks.bench_pairs",
]

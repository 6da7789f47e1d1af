# SPDX-License-Identifier: EUPL-1.2
"""Every benchmark at about 1% scale: it must run and its own correctness checks must pass."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from benchmarks import BENCHMARKS


@pytest.fixture(autouse=True)
def _test_client_hooks_restored() -> Iterator[None]:
    """A benchmark renders as a server does, without the test client's template hooks; put them back,
    so tests that run after it in the same process (pytest-xdist mixes the order) still see contexts."""
    from django.template.base import Template

    render = Template._render  # type: ignore[attr-defined]
    yield
    Template._render = render  # type: ignore[attr-defined]


def _needs_database(module_name: str) -> bool:
    return bool(getattr(importlib.import_module(module_name), "NEEDS_DATABASE", False))


PAGES = "benchmarks.bench_pages"


@pytest.mark.benchmark
@pytest.mark.parametrize("module_name", [b for b in BENCHMARKS if not _needs_database(b) and b != PAGES])
def test_benchmark_runs_correctly_at_one_percent_scale(module_name: str) -> None:
    figures = importlib.import_module(module_name).run(0.01)
    assert figures, "a benchmark returns its figures"


@pytest.mark.benchmark
@pytest.mark.django_db
@pytest.mark.parametrize("module_name", [b for b in BENCHMARKS if _needs_database(b)])
def test_database_benchmark_runs_correctly_at_one_percent_scale(module_name: str) -> None:
    figures = importlib.import_module(module_name).run(0.01)
    assert figures, "a benchmark returns its figures"


@pytest.mark.benchmark
def test_page_benchmark_runs_correctly_at_one_percent_scale(monkeypatch: Any, django_db_blocker: Any) -> None:
    """The page benchmark's own code, for two roles, on a copy of the run's migrated database: walking
    every page of every role is the reflow and URL-policy tests' work, and migrating a database of its
    own took half a minute."""
    from omzien.lib.testing.databases import migrated_postgres_database

    monkeypatch.setenv("OMZIEN_BENCH_ROLES", "resident,coordinator")
    with django_db_blocker.unblock(), migrated_postgres_database() as name:
        if name:
            copy = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}")
            monkeypatch.setenv("DATABASE_URL", copy.geturl())
            monkeypatch.setenv("OMZIEN_BENCH_MIGRATED", "1")
        figures = importlib.import_module(PAGES).run(0.01)
    walked = [database for database in ("sqlite", "postgres") if isinstance(figures.get(database), dict)]
    assert walked and all(set(figures[d]["roles"]) == {"resident", "coordinator"} for d in walked), figures

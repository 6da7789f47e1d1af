# SPDX-License-Identifier: EUPL-1.2
"""Every benchmark at about 1% scale: it must run and its own correctness checks must pass."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

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


@pytest.mark.benchmark
@pytest.mark.parametrize("module_name", [b for b in BENCHMARKS if not _needs_database(b)])
def test_benchmark_runs_correctly_at_one_percent_scale(module_name: str) -> None:
    figures = importlib.import_module(module_name).run(0.01)
    assert figures, "a benchmark returns its figures"


@pytest.mark.benchmark
@pytest.mark.django_db
@pytest.mark.parametrize("module_name", [b for b in BENCHMARKS if _needs_database(b)])
def test_database_benchmark_runs_correctly_at_one_percent_scale(module_name: str) -> None:
    figures = importlib.import_module(module_name).run(0.01)
    assert figures, "a benchmark returns its figures"

# SPDX-License-Identifier: EUPL-1.2
"""Every benchmark at about 1% scale: it must run and its own correctness checks must pass."""

from __future__ import annotations

import importlib

import pytest

from benchmarks import BENCHMARKS


@pytest.mark.benchmark
@pytest.mark.parametrize("module_name", BENCHMARKS)
def test_benchmark_runs_correctly_at_one_percent_scale(module_name: str) -> None:
    figures = importlib.import_module(module_name).run(0.01)
    assert figures, "a benchmark returns its figures"

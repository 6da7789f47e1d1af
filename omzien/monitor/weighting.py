# SPDX-License-Identifier: EUPL-1.2
"""Raking (iterative proportional fitting) of survey weights to population margins.

Deming & Stephan (1940); as in R's ``survey::rake``. Each pass scales the weights so that their
totals match one margin (e.g. age group × sex, then area) exactly; passes repeat until every margin
is within ``tolerance`` (relative). Starts from the design weights when given. Vectorised with
``np.bincount``: one pass over 500,000 respondents and 3,500 areas takes a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


class RakingError(ValueError):
    """The margins cannot be met (a cell with population but no respondents, or bad input)."""


@dataclass(frozen=True)
class RakeResult:
    weights: npt.NDArray[np.float64]
    iterations: int
    max_relative_error: float
    converged: bool


def rake(
    groups: Sequence[npt.NDArray[np.int64]],
    margins: Sequence[npt.NDArray[np.float64]],
    design_weights: npt.NDArray[np.float64] | None = None,
    *,
    tolerance: float = 1e-6,
    max_iterations: int = 100,
) -> RakeResult:
    """Return weights whose totals per group match every margin.

    ``groups[k][i]`` is respondent i's category (0 … len(margins[k]) − 1) in margin k, and
    ``margins[k][c]`` the population total of category c. Every margin must add up to the same
    population (checked, relative 1e-6).
    """
    if len(groups) != len(margins) or not groups:
        raise RakingError("give one group array per margin, and at least one")
    n = len(groups[0])
    weights = np.ones(n) if design_weights is None else np.asarray(design_weights, dtype=np.float64).copy()
    if len(weights) != n or (weights < 0).any() or not np.isfinite(weights).all():
        raise RakingError("design weights must be finite, non-negative and one per respondent")
    totals = [float(np.sum(margin)) for margin in margins]
    if max(totals) - min(totals) > 1e-6 * max(totals):
        raise RakingError(f"the margins add up to different populations: {totals}")
    for k, (group, margin) in enumerate(zip(groups, margins, strict=True)):
        group = np.asarray(group)
        if len(group) != n or group.min(initial=0) < 0 or group.max(initial=0) >= len(margin):
            raise RakingError(f"margin {k}: a respondent's category is outside 0..{len(margin) - 1}")
        present = np.bincount(group, weights=weights, minlength=len(margin))
        empty = np.flatnonzero((present == 0) & (np.asarray(margin) > 0))
        if len(empty):
            raise RakingError(
                f"margin {k}: categories {empty[:10].tolist()} have population but no respondents"
            )
    error = np.inf
    for iteration in range(1, max_iterations + 1):
        for group, margin in zip(groups, margins, strict=True):
            current = np.bincount(group, weights=weights, minlength=len(margin))
            factor = np.divide(margin, current, out=np.zeros(len(margin)), where=current > 0)
            weights *= factor[group]
        error = max(
            float(
                np.max(np.abs(np.bincount(g, weights=weights, minlength=len(m)) - m) / np.maximum(m, 1e-12))
            )
            for g, m in zip(groups, margins, strict=True)
        )
        if error <= tolerance:
            return RakeResult(weights, iteration, error, True)
    return RakeResult(weights, max_iterations, error, False)

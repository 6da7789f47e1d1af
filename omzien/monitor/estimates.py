# SPDX-License-Identifier: EUPL-1.2
"""Weighted prevalence per area with Taylor-linearised standard errors (design-based).

Ratio estimator p̂_d = Σ w·y·1_d / Σ w·1_d. Its linearised variable is z_k = w_k·1_d(k)·(y_k − p̂_d) / N̂_d
(Woodruff 1971; Wolter, *Introduction to Variance Estimation*, 2007, ch. 6). The variance is the
with-replacement estimator between PSUs within strata,
V = Σ_h n_h/(n_h − 1) · Σ_i (z_hi − z̄_h)², summed over the PSU totals z_hi. Domains keep all PSUs —
a PSU with no respondent in the area counts with z = 0 — as R's ``survey`` package does for
``svyby``. No finite-population correction is applied (samples are small against the population).
Without strata and PSUs every respondent is its own PSU in one stratum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Z95 = 1.959963984540054


@dataclass(frozen=True)
class AreaEstimates:
    respondents: npt.NDArray[np.int64]
    weighted_total: npt.NDArray[np.float64]
    prevalence: npt.NDArray[np.float64]  # NaN for an area without respondents
    se: npt.NDArray[np.float64]
    ci_low: npt.NDArray[np.float64]
    ci_high: npt.NDArray[np.float64]


def prevalence_by_area(
    y: npt.NDArray[np.float64],
    weights: npt.NDArray[np.float64],
    area: npt.NDArray[np.int64],
    areas: int,
    *,
    stratum: npt.NDArray[np.int64] | None = None,
    psu: npt.NDArray[np.int64] | None = None,
) -> AreaEstimates:
    """Return per area (0 … areas − 1) the weighted prevalence of ``y`` (0/1; NaN = not valid, left out)."""
    y = np.asarray(y, dtype=np.float64)
    keep = ~np.isnan(y)
    y, w, a = y[keep], np.asarray(weights, dtype=np.float64)[keep], np.asarray(area)[keep]
    n = len(y)
    strata = np.zeros(n, np.int64) if stratum is None else np.asarray(stratum)[keep]
    units = np.arange(n) if psu is None else np.asarray(psu)[keep]
    respondents = np.bincount(a, minlength=areas)
    total = np.bincount(a, weights=w, minlength=areas).astype(np.float64)
    prevalence = np.divide(np.bincount(a, weights=w * y, minlength=areas), total,
                           out=np.full(areas, np.nan), where=total > 0)  # fmt: skip
    z = np.divide(w * (y - prevalence[a]), total[a], out=np.zeros(n), where=total[a] > 0)
    # PSU totals per (stratum, psu, area); PSUs are numbered within the whole sample.
    if psu is None:
        psu_key = np.arange(n)
    else:
        combined = strata.astype(np.int64) * (int(units.max(initial=0)) + 1) + units
        psu_key = np.unique(combined, return_inverse=True)[1].ravel()
    psu_stratum = np.zeros(psu_key.max() + 1 if n else 0, np.int64)
    psu_stratum[psu_key] = strata
    n_h = np.bincount(psu_stratum)  # PSUs per stratum, over the whole sample
    cell = psu_key * areas + a
    cells, cell_index = np.unique(cell, return_inverse=True)
    z_cell = np.bincount(cell_index, weights=z)
    cell_area, cell_stratum = cells % areas, psu_stratum[cells // areas]
    # Σ_i (z_hi − z̄_h)² = Σ_i z_hi² − (Σ_i z_hi)² / n_h, with zero PSUs contributing only to n_h.
    key = cell_stratum * areas + cell_area
    sum_sq = np.bincount(key, weights=z_cell**2, minlength=(len(n_h)) * areas)
    sums = np.bincount(key, weights=z_cell, minlength=(len(n_h)) * areas)
    n_rep = np.repeat(n_h, areas).astype(np.float64)
    factor = np.divide(n_rep, n_rep - 1, out=np.zeros_like(n_rep), where=n_rep > 1)
    within = factor * (sum_sq - np.divide(sums**2, n_rep, out=np.zeros_like(sums), where=n_rep > 0))
    variance = within.reshape(len(n_h), areas).sum(axis=0)
    se = np.where(total > 0, np.sqrt(np.maximum(variance, 0.0)), np.nan)
    return AreaEstimates(respondents=respondents, weighted_total=total, prevalence=prevalence, se=se,
                         ci_low=np.clip(prevalence - Z95 * se, 0, 1), ci_high=np.clip(prevalence + Z95 * se, 0, 1))  # fmt: skip

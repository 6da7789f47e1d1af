# SPDX-License-Identifier: EUPL-1.2
"""The monitor's statistical core against hand calculations and independent implementations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from omzien.monitor.estimates import prevalence_by_area
from omzien.monitor.sae import fay_herriot
from omzien.monitor.weighting import RakingError, rake


def test_raking_from_design_weights_20_percent_off_reproduces_every_margin() -> None:
    rng = np.random.default_rng(4)
    n = 5000
    age_sex, area = rng.integers(0, 12, n), rng.integers(0, 40, n)
    population_cells = rng.integers(500, 3000, 12).astype(float)
    area_margin = rng.integers(300, 1500, 40).astype(float)
    area_margin *= population_cells.sum() / area_margin.sum()
    design = rng.uniform(0.8, 1.2, n) * population_cells.sum() / n * 1.2  # 20 % off on average
    result = rake([age_sex, area], [population_cells, area_margin], design, tolerance=1e-8)
    assert result.converged and result.iterations > 1
    assert np.allclose(
        np.bincount(age_sex, weights=result.weights, minlength=12), population_cells, rtol=1e-7
    )
    assert np.allclose(np.bincount(area, weights=result.weights, minlength=40), area_margin, rtol=1e-7)


def test_raking_refuses_a_cell_with_population_but_no_respondents() -> None:
    with pytest.raises(RakingError, match="no respondents"):
        rake([np.array([0, 0, 1])], [np.array([10.0, 5.0, 3.0])])


def test_the_ratio_estimator_and_its_se_equal_a_hand_computed_case() -> None:
    # Two areas, four respondents, each its own PSU, one stratum (n = 4).
    y = np.array([1.0, 0.0, 1.0, 1.0])
    w = np.array([2.0, 2.0, 1.0, 3.0])
    area = np.array([0, 0, 1, 1])
    result = prevalence_by_area(y, w, area, 2)
    assert result.prevalence.tolist() == [0.5, 1.0]
    # Area 0: N = 4, z = w (y − 0.5) / 4 = [0.25, −0.25, 0, 0]; mean 0; V = 4/3 · (0.0625 · 2) = 1/6.
    assert result.se[0] == pytest.approx(np.sqrt(1 / 6))
    assert result.se[1] == pytest.approx(0.0)  # every respondent lonely: z = 0
    assert result.respondents.tolist() == [2, 2]


def test_strata_psus_a_zero_prevalence_domain_and_a_lone_respondent_do_not_crash() -> None:
    y = np.array([0.0, 0.0, 1.0, np.nan, 1.0])
    w = np.ones(5)
    area = np.array([0, 0, 1, 1, 2])
    result = prevalence_by_area(
        y, w, area, 4, stratum=np.array([0, 0, 1, 1, 1]), psu=np.array([0, 1, 0, 1, 1])
    )
    assert result.prevalence[0] == 0.0 and result.se[0] == pytest.approx(0.0)
    assert result.respondents.tolist() == [2, 1, 1, 0]
    assert np.isnan(result.prevalence[3]) and np.isnan(result.se[3])
    assert np.isfinite(result.se[:3]).all()


def reference_reml(y: np.ndarray, psi: np.ndarray, X: np.ndarray) -> float:
    """REML by direct maximisation of the restricted log-likelihood with dense m × m matrices."""

    def negative_loglik(sigma2: float) -> float:
        V = np.diag(sigma2 + psi)
        V_inv = np.linalg.inv(V)
        A = X.T @ V_inv @ X
        P = V_inv - V_inv @ X @ np.linalg.inv(A) @ X.T @ V_inv
        return 0.5 * (np.linalg.slogdet(V)[1] + np.linalg.slogdet(A)[1] + y @ P @ y)

    return float(
        minimize_scalar(negative_loglik, bounds=(0.0, 1.0), method="bounded", options={"xatol": 1e-12}).x
    )


def test_fay_herriot_equals_an_independent_reml_implementation() -> None:
    rng = np.random.default_rng(8)
    m = 80
    X = np.column_stack([np.ones(m), rng.uniform(0, 1, m)])
    psi = rng.uniform(0.002, 0.02, m)
    theta = X @ np.array([0.3, 0.1]) + rng.normal(0, np.sqrt(0.01), m)
    y = theta + rng.normal(0, np.sqrt(psi))
    result = fay_herriot(y, psi, X)
    assert result.sigma2_u == pytest.approx(reference_reml(y, psi, X), rel=1e-4, abs=1e-7)
    gamma = result.sigma2_u / (result.sigma2_u + psi)
    V_inv = np.diag(1 / (result.sigma2_u + psi))
    beta = np.linalg.solve(X.T @ V_inv @ X, X.T @ V_inv @ y)
    assert np.allclose(result.estimates, gamma * y + (1 - gamma) * (X @ beta))


def test_an_area_without_respondents_gets_the_synthetic_estimate() -> None:
    rng = np.random.default_rng(9)
    m = 50
    X = np.column_stack([np.ones(m), rng.uniform(0, 1, m)])
    psi = np.full(m, 0.01)
    y = X @ np.array([0.3, 0.2]) + rng.normal(0, 0.12, m)
    y[7] = np.nan
    result = fay_herriot(y, psi, X)
    assert result.model_based[7] and not result.model_based[6]
    assert result.estimates[7] == pytest.approx(X[7] @ result.beta)
    assert result.mse[7] > result.mse[6]


def test_a_seeded_simulation_recovers_the_area_variance_and_the_mse() -> None:
    rng = np.random.default_rng(10)
    m, sigma2_u, replications = 300, 0.004, 150
    X = np.column_stack([np.ones(m), rng.uniform(0, 1, m)])
    psi = rng.uniform(0.001, 0.02, m)
    sigma_estimates, squared_errors, mse_estimates = [], np.zeros(m), np.zeros(m)
    for _ in range(replications):
        theta = X @ np.array([0.3, 0.1]) + rng.normal(0, np.sqrt(sigma2_u), m)
        y = theta + rng.normal(0, np.sqrt(psi))
        result = fay_herriot(y, psi, X)
        sigma_estimates.append(result.sigma2_u)
        squared_errors += (result.estimates - theta) ** 2
        mse_estimates += result.mse
    assert np.mean(sigma_estimates) == pytest.approx(sigma2_u, rel=0.1)
    empirical, estimated = squared_errors.mean() / replications, mse_estimates.mean() / replications
    assert estimated == pytest.approx(empirical, rel=0.1)

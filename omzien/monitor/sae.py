# SPDX-License-Identifier: EUPL-1.2
"""Area-level small-area estimation: the Fay–Herriot model, EBLUP with REML, Prasad–Rao MSE.

Model (Fay & Herriot 1979): θ̂_i = x_i'β + u_i + e_i, u_i ~ N(0, σ²_u), e_i ~ N(0, ψ_i) with the
sampling variances ψ_i known. σ²_u is estimated by REML with Fisher scoring (Rao & Molina, *Small
Area Estimation*, 2015, §6.1.2), never below 0. EBLUP: θ̃_i = γ_i θ̂_i + (1 − γ_i) x_i'β̂ with
γ_i = σ²_u / (σ²_u + ψ_i). MSE (Prasad & Rao 1990; for REML Datta & Lahiri 2000):
g1 + g2 + 2·g3, with g1 = γ_i ψ_i, g2 = (1 − γ_i)² x_i'(X'V⁻¹X)⁻¹x_i, g3 = ψ_i² / (σ²_u + ψ_i)³ ·
2 / Σ_j (σ²_u + ψ_j)⁻². Areas without a direct estimate get the synthetic estimate x_i'β̂ with
MSE σ²_u + x_i'(X'V⁻¹X)⁻¹x_i. Everything is computed with p × p matrices only — no m × m matrix —
so 3,500 areas take about a millisecond.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True)
class FayHerriotResult:
    estimates: npt.NDArray[np.float64]
    mse: npt.NDArray[np.float64]
    sigma2_u: float
    beta: npt.NDArray[np.float64]
    iterations: int
    model_based: npt.NDArray[np.bool_]  # True where the estimate is synthetic (no direct estimate)


def _reml_pieces(
    sigma2: float, y: npt.NDArray[np.float64], X: npt.NDArray[np.float64], psi: npt.NDArray[np.float64]
):  # type: ignore[no-untyped-def]
    v = 1.0 / (sigma2 + psi)
    A = X.T @ (X * v[:, None])
    A_inv = np.linalg.inv(A)
    beta = A_inv @ (X.T @ (v * y))
    Py = v * (y - X @ beta)
    B = X.T @ (X * (v**2)[:, None])
    C = X.T @ (X * (v**3)[:, None])
    trace_P = v.sum() - np.trace(A_inv @ B)
    trace_PP = (v**2).sum() - 2 * np.trace(A_inv @ C) + np.trace(A_inv @ B @ A_inv @ B)
    return beta, A_inv, Py, trace_P, trace_PP


def fay_herriot(
    direct: npt.NDArray[np.float64],
    sampling_variance: npt.NDArray[np.float64],
    covariates: npt.NDArray[np.float64],
    method: str = "REML",
    *,
    tolerance: float = 1e-10,
    max_iterations: int = 200,
) -> FayHerriotResult:
    """Fit the model on the areas with a direct estimate and return EBLUPs and MSEs for every area.

    ``covariates`` is the m × p design matrix (include a column of ones for an intercept).
    """
    if method != "REML":
        raise ValueError("only REML is implemented")
    y_all = np.asarray(direct, dtype=np.float64)
    psi_all = np.asarray(sampling_variance, dtype=np.float64)
    X_all = np.asarray(covariates, dtype=np.float64)
    if X_all.ndim != 2 or len(X_all) != len(y_all) or len(psi_all) != len(y_all):
        raise ValueError("direct, sampling_variance and covariates must describe the same areas")
    observed = ~np.isnan(y_all)
    if (psi_all[observed] <= 0).any() or np.isnan(psi_all[observed]).any():
        raise ValueError("every area with a direct estimate needs a positive sampling variance")
    y, psi, X = y_all[observed], psi_all[observed], X_all[observed]
    if len(y) <= X.shape[1]:
        raise ValueError("more areas with a direct estimate than covariates are needed")
    ols_beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    sigma2 = max(0.0, float(np.var(y - X @ ols_beta, ddof=X.shape[1]) - psi.mean()))
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported below
        _beta, _a, Py, trace_P, trace_PP = _reml_pieces(sigma2, y, X, psi)
        score = -0.5 * trace_P + 0.5 * float(Py @ Py)
        step = score / (0.5 * trace_PP)
        new = max(0.0, sigma2 + step)
        if abs(new - sigma2) <= tolerance * max(1.0, sigma2):
            sigma2 = new
            break
        sigma2 = new
    beta, A_inv, *_ = _reml_pieces(sigma2, y, X, psi)
    synthetic_all = X_all @ beta
    leverage = np.einsum("ij,jk,ik->i", X_all, A_inv, X_all)
    estimates = synthetic_all.copy()
    mse = sigma2 + leverage
    gamma = sigma2 / (sigma2 + psi)
    estimates[observed] = gamma * y + (1 - gamma) * synthetic_all[observed]
    variance_sigma2 = 2.0 / float(np.sum((sigma2 + psi) ** -2.0))
    g1 = gamma * psi
    g2 = (1 - gamma) ** 2 * leverage[observed]
    g3 = psi**2 / (sigma2 + psi) ** 3 * variance_sigma2
    mse[observed] = g1 + g2 + 2 * g3
    return FayHerriotResult(estimates=estimates, mse=mse, sigma2_u=sigma2, beta=beta, iterations=iterations,
                            model_based=~observed)  # fmt: skip

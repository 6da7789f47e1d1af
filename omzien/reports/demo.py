# SPDX-License-Identifier: EUPL-1.2
"""The demo's synthetic health-monitor survey (GGD Gezondheidsmonitor style, DJG-11) over the demo city.

Deterministic from a seed, pure NumPy/polars: every respondent is made up. Loneliness differs by wijk
and buurt and drifts over the years, around the letter's 35 % for the city; sample sizes follow the
buurt's population with some buurten nearly empty, so suppression and model estimates show.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from omzien.wellbeing.instruments import DJG11

AGE_GROUPS = (("18-34", 18, 34, 0.36), ("35-49", 35, 49, 0.25), ("50-64", 50, 64, 0.21), ("65-74", 65, 74, 0.10),
              ("75+", 75, 95, 0.08))  # fmt: skip
SEXES = ("man", "vrouw")
ADULT_SHARE = 0.8
# The demo editions: (year, city share of lonely people, respondents, seed).
DEMO_EDITIONS = ((2016, 0.33, 6000, 2016), (2020, 0.35, 6000, 2020), (2024, 0.37, 6000, 2024))


def margins_frame(buurten: list[tuple[str, int]]) -> Any:
    """CBS-style margins (area, age_group, sex, population) from the buurt populations."""
    import polars as pl

    rows = [
        (code, label, sex, str(round(population * ADULT_SHARE * share / len(SEXES))))
        for code, population in buurten
        for label, _low, _high, share in AGE_GROUPS
        for sex in SEXES
    ]
    return pl.DataFrame(rows, schema=["area", "age_group", "sex", "population"], orient="row")


def survey_frame(buurten: list[tuple[str, int]], *, respondents: int, lonely_share: float, seed: int) -> Any:
    """One survey wave: area, age, sex and the eleven DJG-11 answers as words, one row per respondent."""
    import polars as pl

    rng = np.random.default_rng(seed)
    structure = np.random.default_rng(344)  # the same wijk and buurt differences in every year
    codes = [code for code, _population in buurten]
    wijken = sorted({"WK" + code[2:8] for code in codes})
    wijk_effect = dict(zip(wijken, structure.normal(0, 0.5, len(wijken)), strict=True))
    buurt_logit = np.array([wijk_effect["WK" + c[2:8]] for c in codes]) + structure.normal(0, 0.3, len(codes))
    size = np.array([population for _code, population in buurten], float) * structure.lognormal(0, 0.9, len(codes))
    area = rng.choice(len(codes), size=respondents, p=size / size.sum())
    base = np.log(lonely_share / (1 - lonely_share))
    group = rng.choice(len(AGE_GROUPS), size=respondents, p=[g[3] for g in AGE_GROUPS])
    age_effect = np.array([0.1, -0.1, 0.0, 0.1, 0.4])[group]
    lonely = rng.random(respondents) < 1 / (1 + np.exp(-(base + buurt_logit[area] + age_effect)))
    severe = lonely & (rng.random(respondents) < 0.3)
    total = np.where(severe, rng.integers(9, 12, respondents),
                     np.where(lonely, rng.integers(3, 9, respondents), rng.integers(0, 3, respondents)))  # fmt: skip
    # Which items carry the lonely answer: the first `total` of a random order per respondent.
    lonely_item = np.argsort(rng.random((respondents, 11)), axis=1).argsort(axis=1) < total[:, None]
    soft = rng.random((respondents, 11)) < 0.4  # "min of meer" counts as lonely too
    columns: dict[str, Any] = {
        "area": [codes[a] for a in area],
        "age": rng.integers(np.array([g[1] for g in AGE_GROUPS])[group], np.array([g[2] + 1 for g in AGE_GROUPS])[group])
        .astype(str).tolist(),
        "sex": [SEXES[s] for s in rng.integers(0, 2, respondents)],
    }
    for position, item in enumerate(DJG11.items):
        agree_word, disagree_word = ("nee", "ja") if item.positive else ("ja", "nee")
        words = np.where(lonely_item[:, position], np.where(soft[:, position], "min of meer", agree_word),
                         disagree_word)  # fmt: skip
        columns[f"item_{item.number}"] = words.tolist()
    return pl.DataFrame(columns)

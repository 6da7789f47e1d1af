# SPDX-License-Identifier: EUPL-1.2
"""From a survey frame and a margins frame to the rows of one edition, through the monitor's core only.

The wijk table is estimated first; the buurt table (when asked) is then suppressed so that no
published wijk total gives a hidden buurt away (``hidden_wijken``). The city rows come from the wijk
run, so the city has one figure per wave. No Django here: the demo, the background task, the
benchmark and the tests all call ``edition_rows`` with plain frames.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omzien import __version__
from omzien.monitor.survey import monitor_estimates, survey_prepare
from omzien.wellbeing.answers import DEFAULT_MISSING

METHOD = (
    "DJG-11 scored as in omzien score; raking (IPF) of the design weights to the age group × sex and area "
    "margins per wave; ratio estimates with Taylor-linearised standard errors and 95% intervals (±1.96 SE); "
    "Fay–Herriot model estimates (REML, EBLUP, Prasad–Rao MSE; covariates: intercept, at buurt level the "
    "wijk's direct estimate) for areas below the precision threshold; primary and complementary cell "
    "suppression, buurten also against the published wijk totals."
)
STEPS_PER_LEVEL = 5  # checked, scored, raked, estimated, done (one wave; two waves add two)


@dataclass
class EditionRows:
    rows: list[dict[str, Any]]
    respondents: int
    waves: list[str]
    levels: list[str]


def code_version() -> str:
    """The package version and a fingerprint of the statistical core's source, stored with each edition."""
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).resolve().parents[1] / "monitor").glob("*.py")):
        digest.update(path.read_bytes())
    return f"omzien {__version__} · monitor {digest.hexdigest()[:12]}"


def edition_rows(survey_frame: Any, margins_frame: Any, *, levels: list[str], min_cell: int, direct_min: int,
                 rules: dict[str, int], codes: dict[str, str] | None = None,
                 missing: tuple[str, ...] = DEFAULT_MISSING,
                 progress: Callable[[str], None] | None = None) -> EditionRows:  # fmt: skip
    """Return the core's rows for the wijk table and, when asked, the buurt table; raise SurveyError."""
    step = progress or (lambda _label: None)
    rows: list[dict[str, Any]] = []
    hidden: dict[str, set[str]] = {}
    respondents, waves = 0, []
    for level in levels:

        def level_step(label: str, level: str = level) -> None:
            step(f"{label} {level}")

        survey = survey_prepare(survey_frame, margins_frame, area_level=level, codes=codes, missing=missing)
        step(f"checked {level}")
        respondents, waves = len(survey.answers), survey.waves
        table = monitor_estimates(
            survey, area_level=level, min_cell=min_cell, direct_min_respondents=direct_min, rules=rules,
            progress=level_step,
            hidden_wijken=hidden if level == "buurt" else None,
        )  # fmt: skip
        if level == "wijk":
            for row in table:
                if row["kind"] == "suppressed" and row["level"] == "wijk":
                    hidden.setdefault(row["wave"], set()).add(row["area_code"])
        rows += [row for row in table if not (level == "buurt" and row["level"] == "city")]
    return EditionRows(rows=rows, respondents=respondents, waves=waves, levels=levels)

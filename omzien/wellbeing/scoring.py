# SPDX-License-Identifier: EUPL-1.2
"""One scoring engine for every loneliness scale: one answer set from a form and a survey's million
rows go through the same vectorised code (NumPy, no Django).

Answers are coded on one scale for every instrument:
- De Jong Gierveld: −2 "nee!", −1 "nee", 0 "min of meer", 1 "ja", 2 "ja!" (3-point answers use
  −1/0/1). A negatively worded item counts as lonely for ja!/ja/min of meer, a positively worded one
  for min of meer/nee/nee! — "min of meer" always counts as lonely (research/measurement.md §1.3).
- UCLA-3: 1 "hardly ever", 2 "some of the time", 3 "often"; the item score is the answer.
``MISSING`` (−128) marks a missing answer. A valid score is the plain count over the answered items
(no imputation); an invalid score is NaN, never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from omzien.wellbeing.instruments import Instrument

MISSING = -128


@dataclass(frozen=True)
class Scores:
    total: npt.NDArray[np.float64]  # NaN where not valid
    social: npt.NDArray[np.float64]
    emotional: npt.NDArray[np.float64]
    category: npt.NDArray[np.object_]  # category code, or None where not valid
    category_index: npt.NDArray[np.int8]  # index into instrument.categories, -1 where not valid
    valid: npt.NDArray[np.bool_]
    social_lonely: npt.NDArray[np.object_]  # True/False, None where the subscale is not valid
    emotional_lonely: npt.NDArray[np.object_]
    # The rules that produced these scores, every one spelled out (overrides and the scale's own):
    # stored with a measurement, so a score can be explained and redone after the rules change.
    rules: dict[str, Any] = field(default_factory=dict)


RULE_NAMES = ("max_missing_total", "max_missing_subscale", "subscale_lonely_from")


def rules_applied(instrument: Instrument, rules: Mapping[str, int | None] | None = None) -> dict[str, Any]:
    """Return the scoring rules in force for the instrument: the overrides given, else the scale's own."""
    unknown = set(rules or {}) - set(RULE_NAMES)
    if unknown:
        raise ValueError(f"unknown scoring rules: {', '.join(sorted(unknown))}")
    given = {name: value for name, value in (rules or {}).items() if value is not None}
    return {"instrument": instrument.code} | {name: given.get(name, getattr(instrument, name)) for name in RULE_NAMES}


def _points(
    instrument: Instrument, answers: npt.NDArray[np.int8]
) -> tuple[npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """Per item points (0/1, or 1–3 for UCLA-3) with 0 where missing, and the missing mask."""
    missing = answers == MISSING
    if instrument.code == "ucla3":
        return np.where(missing, 0, answers).astype(np.int8), missing
    positive = np.array([item.positive for item in instrument.items])
    lonely = np.where(positive, answers <= 0, answers >= 0) & ~missing
    return lonely.astype(np.int8), missing


def item_scores(instrument: Instrument, answers: npt.NDArray[np.int8]) -> npt.NDArray[np.float64]:
    """Per item 0/1 (De Jong Gierveld) or 1–3 (UCLA-3); NaN where missing."""
    points, missing = _points(instrument, np.asarray(answers))
    scores = points.astype(np.float64)
    scores[missing] = np.nan
    return scores


def _flags(valid: npt.NDArray[np.bool_], lonely: npt.NDArray[np.bool_]) -> npt.NDArray[np.object_]:
    flags = np.full(len(valid), None, dtype=object)
    flags[valid] = lonely[valid].tolist()
    return flags


def score(
    instrument: Instrument, answers: npt.NDArray[np.int8], *, rules: Mapping[str, int | None] | None = None
) -> Scores:
    """Score every row of ``answers`` (rows × the instrument's items, in its item order).

    The one scoring entry point: the self-test, the professional's form, ``omzien score`` and the
    monitor all come here, with ``rules`` (names in ``RULE_NAMES``) overriding the scale's defaults;
    the rules applied come back in ``Scores.rules``.
    """
    answers = np.atleast_2d(np.asarray(answers, dtype=np.int8))
    if answers.shape[1] != len(instrument.items):
        raise ValueError(
            f"{instrument.code} has {len(instrument.items)} items, the answers have {answers.shape[1]} columns"
        )
    applied = rules_applied(instrument, rules)
    limit_total, limit_sub, threshold = (applied[name] for name in RULE_NAMES)
    points, missing = _points(instrument, answers)
    valid = missing.sum(axis=1, dtype=np.int16) <= limit_total
    total = np.where(valid, points.sum(axis=1, dtype=np.int16), np.nan)
    n = len(answers)
    subscales: dict[str, npt.NDArray[np.float64]] = {}
    flags: dict[str, npt.NDArray[np.object_]] = {}
    for name in ("social", "emotional"):
        columns = np.array([item.subscale == name for item in instrument.items])
        if limit_sub is None or not columns.any():
            subscales[name], flags[name] = np.full(n, np.nan), np.full(n, None, dtype=object)
            continue
        sub_valid = missing[:, columns].sum(axis=1, dtype=np.int16) <= limit_sub
        raw = points[:, columns].sum(axis=1, dtype=np.int16)
        subscales[name] = np.where(sub_valid, raw, np.nan)
        flags[name] = _flags(sub_valid, raw >= (threshold or 0))
    bounds = np.array([category.low for category in instrument.categories])
    codes = np.array([category.code for category in instrument.categories] + [None], dtype=object)
    index = np.searchsorted(bounds, np.nan_to_num(total, nan=-1), side="right") - 1
    category_index = np.where(valid, np.clip(index, 0, len(bounds) - 1), -1).astype(np.int8)
    category = codes[category_index]  # index -1 picks the trailing None
    return Scores(total=total, social=subscales["social"], emotional=subscales["emotional"], category=category,
                  category_index=category_index, valid=valid, social_lonely=flags["social"],
                  emotional_lonely=flags["emotional"], rules=applied)  # fmt: skip


RELIABLE_Z = 1.96  # Jacobson & Truax (1991): |RCI| above this is a reliable change


def reliable_change_index(first: float, second: float, *, sd: float, reliability: float) -> float:
    """Jacobson & Truax (1991): RCI = (x2 − x1) / (SD · √2 · √(1 − r)); |RCI| > 1.96 is reliable change."""
    return (second - first) / (sd * np.sqrt(2) * np.sqrt(1 - reliability))

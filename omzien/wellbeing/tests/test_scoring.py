# SPDX-License-Identifier: EUPL-1.2
"""The scoring engine against the rules in research/measurement.md and a deliberately naive scorer."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from omzien.wellbeing.instruments import DJG6, DJG11, UCLA3, Instrument
from omzien.wellbeing.scoring import MISSING, reliable_change_index, score

LONELY_NEG, LONELY_POS = 1, -1  # "ja" on a negative item, "nee" on a positive one: both lonely


def lonely_answers(instrument: Instrument, lonely_items: set[int]) -> list[int]:
    """Answers that make exactly the given items (11-item numbers) count as lonely."""
    answers = []
    for item in instrument.items:
        lonely = item.number in lonely_items
        answers.append((LONELY_POS if lonely else 1) if item.positive else (LONELY_NEG if lonely else -1))
    return answers


def naive(
    instrument: Instrument, answers: list[int], max_total: int, max_sub: int | None, threshold: int | None
) -> dict[str, object]:
    """Item by item, the way the manual's SPSS syntax reads: a plain count over answered items."""
    if instrument.code == "ucla3":
        if MISSING in answers:
            return {"total": None, "category": None}
        complete = sum(answers)
        return {"total": complete, "category": "lonely" if complete >= 6 else "not_lonely"}
    points: dict[str, list[int]] = {"social": [], "emotional": []}
    missing = {"social": 0, "emotional": 0}
    for item, answer in zip(instrument.items, answers, strict=True):
        if answer == MISSING:
            missing[item.subscale] += 1
            continue
        if item.positive:
            points[item.subscale].append(1 if answer in (-2, -1, 0) else 0)
        else:
            points[item.subscale].append(1 if answer in (0, 1, 2) else 0)
    total: int | None = (
        sum(points["social"]) + sum(points["emotional"]) if sum(missing.values()) <= max_total else None
    )
    result: dict[str, object] = {"total": total, "category": None}
    if total is not None:
        result["category"] = next(c.code for c in instrument.categories if c.low <= total <= c.high)
    for name in ("social", "emotional"):
        result[name] = sum(points[name]) if missing[name] <= (max_sub or 0) else None
    return result


@pytest.mark.parametrize(
    ("lonely_items", "total", "category"),
    [
        (set(), 0, "not_lonely"), ({1, 2}, 2, "not_lonely"), ({1, 2, 3}, 3, "moderate"),
        ({1, 2, 3, 4, 5, 6, 7, 8}, 8, "moderate"), (set(range(1, 10)), 9, "severe"),
        (set(range(1, 11)), 10, "severe"), (set(range(1, 12)), 11, "very_severe"),
    ],
)  # fmt: skip
def test_djg11_category_boundaries(lonely_items: set[int], total: int, category: str) -> None:
    result = score(DJG11, np.array([lonely_answers(DJG11, lonely_items)]))
    assert result.total[0] == total
    assert result.category[0] == category


def test_all_neutral_answers_are_lonely_on_every_item() -> None:
    result = score(DJG11, np.zeros((1, 11), np.int8))  # "min of meer" everywhere
    assert (result.total[0], result.social[0], result.emotional[0], result.category[0]) == (
        11,
        5,
        6,
        "very_severe",
    )
    assert result.social_lonely[0] is True and result.emotional_lonely[0] is True


def test_acquiescence_saying_yes_to_everything_scores_the_emotional_items_only() -> None:
    result = score(DJG11, np.ones((1, 11), np.int8))
    assert (result.total[0], result.social[0], result.emotional[0]) == (6, 0, 6)
    assert result.category[0] == "moderate"


def test_the_five_point_variant_dichotomises_like_the_three_point_one() -> None:
    strong = np.array([[2 if not item.positive else -2 for item in DJG11.items]], np.int8)  # ja! / nee!
    assert score(DJG11, strong).total[0] == 11
    content = np.array([[-2 if not item.positive else 2 for item in DJG11.items]], np.int8)
    assert score(DJG11, content).total[0] == 0


def test_djg11_missing_data_branches() -> None:
    base = lonely_answers(DJG11, {2, 3, 5})  # three emotional items lonely
    two_missing = list(base)
    two_missing[0] = two_missing[3] = MISSING  # items 1 and 4, both social
    result = score(DJG11, np.array([two_missing]))
    assert result.valid[0] and result.total[0] == 3  # plain count over the answered items
    assert math.isnan(result.social[0])  # two of the social items missing: not valid
    assert result.emotional[0] == 3 and result.emotional_lonely[0] is True
    three_missing = list(two_missing)
    three_missing[1] = MISSING
    result = score(DJG11, np.array([three_missing]))
    assert not result.valid[0] and math.isnan(result.total[0]) and result.category[0] is None


def test_djg6_rules() -> None:
    assert [i.number for i in DJG6.items] == [3, 4, 7, 8, 9, 10]
    one_missing = np.array([[MISSING, 1, 1, 1, -1, -1]], np.int8)  # item 3 missing; 4, 7, 8 "ja" (not lonely)
    result = score(DJG6, one_missing)
    assert (
        result.valid[0] and result.total[0] == 0 and math.isnan(result.emotional[0]) and result.social[0] == 0
    )
    two_missing = np.array([[MISSING, MISSING, 1, 1, -1, -1]], np.int8)
    assert not score(DJG6, two_missing).valid[0]
    for total, category in ((1, "not_lonely"), (2, "moderate"), (4, "moderate"), (5, "severe")):
        answers = lonely_answers(DJG6, set([3, 9, 10, 4, 7, 8][:total]))
        assert score(DJG6, np.array([answers])).category[0] == category


def test_ucla3_needs_every_item() -> None:
    assert score(UCLA3, np.array([[2, 2, 1]])).category[0] == "not_lonely"
    assert score(UCLA3, np.array([[2, 2, 2]])).category[0] == "lonely"
    assert not score(UCLA3, np.array([[3, MISSING, 3]])).valid[0]


def test_the_subscale_threshold_is_a_setting() -> None:
    answers = np.array([lonely_answers(DJG11, {2, 3})])
    assert score(DJG11, answers).emotional_lonely[0] is False  # default: from 3
    assert score(DJG11, answers, rules={"subscale_lonely_from": 2}).emotional_lonely[0] is True


def test_reliable_change_index() -> None:
    rci = reliable_change_index(8, 3, sd=2.9, reliability=0.85)
    assert rci == pytest.approx((3 - 8) / (2.9 * math.sqrt(2) * math.sqrt(0.15)))
    assert abs(rci) > 1.96


answer_values = st.sampled_from([-2, -1, 0, 1, 2, MISSING])


@given(st.lists(st.lists(answer_values, min_size=11, max_size=11), min_size=1, max_size=30))
def test_djg11_matches_the_naive_scorer(rows: list[list[int]]) -> None:
    result = score(DJG11, np.array(rows, np.int8))
    for index, row in enumerate(rows):
        expected = naive(DJG11, row, 2, 1, 3)
        got_total = None if math.isnan(result.total[index]) else int(result.total[index])
        assert got_total == expected["total"]
        assert result.category[index] == expected["category"]
        for name in ("social", "emotional"):
            value = getattr(result, name)[index]
            assert (None if math.isnan(value) else int(value)) == expected[name]


@given(st.lists(st.lists(answer_values, min_size=6, max_size=6), min_size=1, max_size=30))
def test_djg6_matches_the_naive_scorer(rows: list[list[int]]) -> None:
    result = score(DJG6, np.array(rows, np.int8))
    for index, row in enumerate(rows):
        expected = naive(DJG6, row, 1, 0, 1)
        assert (None if math.isnan(result.total[index]) else int(result.total[index])) == expected["total"]
        assert result.category[index] == expected["category"]


@given(
    st.lists(st.lists(st.sampled_from([1, 2, 3, MISSING]), min_size=3, max_size=3), min_size=1, max_size=30)
)
def test_ucla3_matches_the_naive_scorer(rows: list[list[int]]) -> None:
    result = score(UCLA3, np.array(rows, np.int8))
    for index, row in enumerate(rows):
        expected = naive(UCLA3, row, 0, None, None)
        assert (None if math.isnan(result.total[index]) else int(result.total[index])) == expected["total"]
        assert result.category[index] == expected["category"]

# SPDX-License-Identifier: EUPL-1.2
"""Outcomes per route (pure core) against hand computations and published worked examples."""

from __future__ import annotations

import pytest

from omzien.reports.outcomes import (
    OutcomeRecord,
    mean_interval,
    newcombe_difference,
    rci_band,
    route_outcomes,
    welch_difference,
    wilson,
)


def _record(i: int, route: str, intake: int | None, followups: dict[int, int | None], *, wijk: str = "WK034401",
            organisation: int | None = 1, waiting: bool = False) -> OutcomeRecord:  # fmt: skip
    return OutcomeRecord(resident=i, route=route, route_label=route.title(), wijk=wijk, organisation=organisation,
                         waiting=waiting, intake_score=intake, followups=followups)  # fmt: skip


def test_wilson_interval_equals_the_published_values() -> None:
    # 3 of 10: 0.1078–0.6032; 0 of 10: 0–0.2775 (Wilson score interval, as in Newcombe 1998, table I).
    three = wilson(3, 10)
    assert three is not None
    assert (three.estimate, round(three.low, 4), round(three.high, 4)) == (0.3, 0.1078, 0.6032)
    zero = wilson(0, 10)
    assert zero is not None and (zero.low, round(zero.high, 4)) == (0.0, 0.2775)
    assert wilson(0, 0) is None


def test_newcombe_difference_equals_newcombes_worked_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 − 48/80, method 10: 0.0524 to 0.3339.
    result = newcombe_difference(56, 70, 48, 80)
    assert result is not None
    assert (round(result.estimate, 4), round(result.low, 4), round(result.high, 4)) == (0.2, 0.0524, 0.3339)


def test_mean_change_interval_is_the_t_interval_by_hand() -> None:
    # Changes −4, −2, −3, 0, −1: mean −2, s² = (4 + 0 + 1 + 4 + 1)/4 = 2.5, se = √(2.5/5) = 0.707107,
    # t(0.975; 4) = 2.776445 (table) → half-width 1.963243.
    result = mean_interval([-4, -2, -3, 0, -1])
    assert result is not None
    assert result.estimate == -2
    assert result.low == pytest.approx(-3.963243, abs=1e-5) and result.high == pytest.approx(-0.036757, abs=1e-5)


def test_welch_difference_by_hand() -> None:
    # a: mean −2, s² 2.5, n 5 → 0.5; b = 0, 1, −1, 0: mean 0, s² 2/3, n 4 → 1/6. se = √(2/3) = 0.816497;
    # df = (2/3)² / (0.5²/4 + (1/6)²/3) = 6.1935; t(0.975; 6.19) ≈ 2.432 (between 2.447 at 6 and 2.365 at 7).
    result = welch_difference([-4, -2, -3, 0, -1], [0, 1, -1, 0])
    assert result is not None and result.estimate == -2
    assert result.low == pytest.approx(-2 - 2.432 * 0.816497, abs=5e-3)
    assert result.high == pytest.approx(-2 + 2.432 * 0.816497, abs=5e-3)
    assert welch_difference([1.0], [1.0, 2.0]) is None


def test_reliable_change_band_is_jacobson_truax() -> None:
    # 2.5 · √2 · √0.2 = 1.581139; · 1.96 = 3.099032 points.
    assert rci_band(2.5, 0.8) == pytest.approx(3.099032, abs=1e-5)


def test_route_figures_equal_a_hand_computed_case() -> None:
    # Route "buddy": 12 residents. Ten measured at 3 months, one lost (due, no score), one without intake.
    changes = [-5, -4, -4, -3, -2, -1, 0, 0, 1, 4]
    records = [_record(i, "buddy", 8, {3: 8 + change}) for i, change in enumerate(changes)]
    records.append(_record(20, "buddy", 7, {3: None}))
    records.append(_record(21, "buddy", None, {3: 2}))
    # Waiting residents: ten measured, changes 0 or −1.
    waiting_changes = [0, 0, -1, 0, 1, 0, -1, 0, 0, 1]
    records += [_record(100 + i, "buddy", 8, {3: 8 + c}, waiting=True) for i, c in enumerate(waiting_changes)]
    table = route_outcomes(records, moments=(3,), sd=2.5, reliability=0.8, min_cell=10)
    (cell,) = table.cells
    assert (cell.route, cell.n, cell.due, cell.measured) == ("buddy", 12, 11, 10)
    assert cell.lost_share == pytest.approx(1 / 11)
    assert cell.mean_change is not None and cell.mean_change.estimate == pytest.approx(-1.4)
    # Lonely at intake (8 ≥ 3): all ten; below 3 at follow-up means a change of −6 or less: none.
    assert cell.lonely_at_intake == 10 and cell.no_longer_lonely is not None and cell.no_longer_lonely.estimate == 0
    # Band 1.96 · 2.5 · √2 · √0.2 = 3.099: improved −5, −4, −4 (3 of 10); deteriorated +4 (1 of 10); −3 is within the band.
    assert cell.improved is not None and cell.improved.estimate == pytest.approx(0.3)
    assert (round(cell.improved.low, 4), round(cell.improved.high, 4)) == (0.1078, 0.6032)
    assert cell.deteriorated is not None and cell.deteriorated.estimate == pytest.approx(0.1)
    # Route minus waiting: −1.4 − 0 = −1.4.
    assert cell.vs_waiting_change is not None and cell.vs_waiting_change.estimate == pytest.approx(-1.4)
    (waiting,) = table.waiting
    assert waiting.measured == 10 and waiting.mean_change is not None and waiting.mean_change.estimate == 0


def test_no_longer_lonely_counts_only_those_lonely_at_intake() -> None:
    records = [_record(i, "day_activity", 4, {6: 2}) for i in range(6)]  # lonely → not lonely
    records += [_record(10 + i, "day_activity", 4, {6: 5}) for i in range(4)]  # still lonely
    records += [_record(20 + i, "day_activity", 1, {6: 1}) for i in range(5)]  # never lonely: not counted
    (cell,) = route_outcomes(records, moments=(6,), sd=2.0).cells
    assert cell.lonely_at_intake == 10 and cell.no_longer_lonely is not None
    assert cell.no_longer_lonely.estimate == pytest.approx(0.6)


def test_small_routes_and_cells_are_suppressed_with_a_partner() -> None:
    records = [_record(i, "buddy", 6, {3: 4}, wijk="WK1") for i in range(12)]
    records += [_record(100 + i, "buddy", 6, {3: 4}, wijk="WK2") for i in range(3)]
    records += [_record(200 + i, "buddy", 6, {3: 5}, wijk="WK3") for i in range(40)]
    records += [_record(300 + i, "phone_line", 6, {3: 5}) for i in range(4)]
    table = route_outcomes(records, moments=(3,), sd=2.0, min_cell=10)
    by_route = {cell.route: cell for cell in table.cells}
    assert by_route["phone_line"].suppressed and by_route["phone_line"].mean_change is None
    assert by_route["phone_line"].measured == 0  # a suppressed cell carries no count either
    wijken = {cell.group: cell for cell in table.by_wijk if cell.route == "buddy"}
    # WK2 (3) is too small; WK1 (12, the smallest other) is hidden too, or 55 − 40 − 12 would give WK2 away.
    assert wijken["WK2"].suppressed and wijken["WK1"].suppressed and not wijken["WK3"].suppressed
    assert wijken["WK3"].measured == 40


def test_moments_not_yet_due_are_not_counted_as_lost() -> None:
    records = [_record(i, "buddy", 6, {3: 4}) for i in range(10)]  # 6 and 12 months not due yet
    table = route_outcomes(records, sd=2.0)
    six = next(cell for cell in table.cells if cell.months == 6)
    assert six.suppressed  # nobody measured at 6 months yet
    three = next(cell for cell in table.cells if cell.months == 3)
    assert three.due == 10 and three.lost_share == 0


def test_by_default_the_instruments_declared_sd_and_reliability_decide_as_on_the_professionals_pages() -> None:
    from omzien.wellbeing.instruments import DJG11
    from omzien.wellbeing.scoring import reliable_change_index

    # DJG-11: SD 2.9, r 0.84 → band 1.96 · 2.9 · √2 · √0.16 = 3.2155: a change of −4 is reliable, −3 is not.
    records = [_record(i, "buddy", 8, {3: 8 + c}) for i, c in enumerate([-4] * 5 + [-3] * 5)]
    (cell,) = route_outcomes(records, moments=(3,)).cells
    assert cell.improved is not None and cell.improved.estimate == pytest.approx(0.5)
    assert abs(reliable_change_index(8, 4, sd=DJG11.rci_sd, reliability=DJG11.rci_reliability)) > 1.96
    assert abs(reliable_change_index(8, 5, sd=DJG11.rci_sd, reliability=DJG11.rci_reliability)) < 1.96

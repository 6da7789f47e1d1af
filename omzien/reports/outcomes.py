# SPDX-License-Identifier: EUPL-1.2
"""Outcomes per route: what happened to residents' loneliness after a route started (a pure core).

No Django: plain records in, plain results out, so every figure of the council's pages and report
can be recomputed from the same records (tests: ``tests/test_outcomes_core.py``, against hand
computations). The records come from casework (``casework.selectors.outcome_records``): one per
resident and route, only for residents whose use for statistics is allowed.

Per route and follow-up moment (3, 6, 12 months after the route started):

- **n**: records of the route; **due**: those with an intake score whose follow-up moment has come;
  **measured**: due and scored; **lost to follow-up**: due and not scored, as a share of due.
- **Mean change** follow-up minus intake (DJG-11, 0–11; negative is less lonely) with the 95 % interval
  of the paired t distribution (mean ± t₀.₉₇₅,ₙ₋₁ · s/√n).
- **No longer lonely**: among the measured who were lonely at intake (score ≥ the lonely threshold, 3),
  the share below the threshold at follow-up, with the Wilson score interval (Wilson 1927).
- **Reliable improvement / deterioration** (Jacobson & Truax 1991): |RCI| > 1.96 with
  ``wellbeing.scoring.reliable_change_index`` and the SD and reliability the DJG-11 instrument declares
  (``wellbeing.instruments.DJG11``: r 0.84, within the α of .80–.90 the scale's manual reports — De Jong
  Gierveld & Van Tilburg, *Manual of the Loneliness Scale*, VU Amsterdam 1999, updated 2022 — and SD 2.9,
  a placeholder until the municipality's own baseline SD replaces it). One rule: the council counts
  exactly the changes a professional's page calls reliable. Shares of the measured, with Wilson intervals.
- **Compared with waiting residents** (referred, no route started, followed up at the same moments):
  the difference in mean change with the Welch interval (Welch–Satterthwaite degrees of freedom), and
  the difference in the share no longer lonely with Newcombe's hybrid score interval (Newcombe 1998,
  method 10). Not a randomised comparison: who starts a route and who waits differ in more than the route.

Cells (a route in a wijk or organisation at a moment) with fewer measured residents than the minimum
cell size are suppressed through ``omzien.lib.disclosure.suppression_mask`` (the one small-cell rule),
with the route's total published, so a hidden cell cannot be recovered from the others.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

# The normal and Student t quantiles from scipy.special: scipy.stats costs seconds to import.
from scipy.special import ndtri, stdtrit

from omzien.lib.disclosure import cell_too_small, suppression_mask
from omzien.wellbeing.instruments import DJG11
from omzien.wellbeing.scoring import RELIABLE_Z, reliable_change_index

DJG11_RELIABILITY = DJG11.rci_reliability
"""DJG-11 reliability as the instrument declares it (α .80–.90 in De Jong Gierveld & Van Tilburg's manual)."""
DJG11_SD = DJG11.rci_sd
LONELY_FROM = 3
"""DJG-11 total from which a resident counts as lonely (Gezondheidsmonitor, VZinfo: 3–11)."""
MOMENTS = (3, 6, 12)
Z95 = float(ndtri(0.975))


class RecordLike(Protocol):
    """What the core reads of an outcome record (casework's ``OutcomeRecord`` has these attributes)."""

    @property
    def route(self) -> str: ...
    @property
    def route_label(self) -> str: ...
    @property
    def wijk(self) -> str: ...
    @property
    def organisation(self) -> int | None: ...
    @property
    def waiting(self) -> bool: ...
    @property
    def intake_score(self) -> int | None: ...
    @property
    def followups(self) -> Mapping[int, int | None]: ...


@dataclass(frozen=True)
class OutcomeRecord:
    """One resident's route (or wait): the intake score and the follow-up scores by month.

    ``followups`` holds the moments that are due: a score, or None when it was not obtained (lost to
    follow-up). Moments not yet due are absent. ``lost_to_follow_up`` may name lost moments too.
    """

    resident: int
    route: str
    route_label: str
    wijk: str
    organisation: int | None
    waiting: bool
    intake_score: int | None
    followups: Mapping[int, int | None] = field(default_factory=dict)
    lost_to_follow_up: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


@dataclass
class OutcomeCell:
    """The outcome figures of one group (a route, or a route in one wijk or organisation) at one moment."""

    route: str
    route_label: str
    months: int
    group: str = ""  # "" for the whole route; else a wijk code or an organisation id as text
    n: int = 0
    due: int = 0
    measured: int = 0
    lost_share: float | None = None
    mean_change: Interval | None = None
    lonely_at_intake: int = 0
    no_longer_lonely: Interval | None = None
    improved: Interval | None = None
    deteriorated: Interval | None = None
    vs_waiting_change: Interval | None = None
    vs_waiting_no_longer_lonely: Interval | None = None
    suppressed: bool = False


@dataclass
class OutcomeTable:
    """Every route's figures per moment, the waiting residents' own, and the breakdowns."""

    cells: list[OutcomeCell]
    waiting: list[OutcomeCell]
    by_wijk: list[OutcomeCell]
    by_organisation: list[OutcomeCell]
    reliability: float
    sd: float
    rci_band: float  # the change (in points) beyond which a change counts as reliable
    lonely_from: int
    min_cell: int
    records: int


def wilson(k: int, n: int, z: float = Z95) -> Interval | None:
    """Return the share k/n with its Wilson score interval (None without any observation)."""
    if n <= 0:
        return None
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(values: Sequence[float], level: float = 0.95) -> Interval | None:
    """Return the mean with its t interval; a single value has no interval (its bounds are the value)."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return None
    mean = float(data.mean())
    if data.size == 1:
        return Interval(mean, mean, mean)
    half = float(stdtrit(data.size - 1, 0.5 + level / 2)) * float(data.std(ddof=1)) / math.sqrt(data.size)
    return Interval(mean, mean - half, mean + half)


def welch_difference(a: Sequence[float], b: Sequence[float], level: float = 0.95) -> Interval | None:
    """Return mean(a) − mean(b) with the Welch interval; None unless both groups have two values or more."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.size < 2 or y.size < 2:
        return None
    va, vb = float(x.var(ddof=1)) / x.size, float(y.var(ddof=1)) / y.size
    difference = float(x.mean() - y.mean())
    se = math.sqrt(va + vb)
    if se == 0:
        return Interval(difference, difference, difference)
    df = (va + vb) ** 2 / (va**2 / (x.size - 1) + vb**2 / (y.size - 1))
    half = float(stdtrit(df, 0.5 + level / 2)) * se
    return Interval(difference, difference - half, difference + half)


def newcombe_difference(k1: int, n1: int, k2: int, n2: int, z: float = Z95) -> Interval | None:
    """Return k1/n1 − k2/n2 with Newcombe's hybrid score interval (method 10) from the two Wilson intervals."""
    first, second = wilson(k1, n1, z), wilson(k2, n2, z)
    if first is None or second is None:
        return None
    d = first.estimate - second.estimate
    low = d - math.sqrt((first.estimate - first.low) ** 2 + (second.high - second.estimate) ** 2)
    high = d + math.sqrt((first.high - first.estimate) ** 2 + (second.estimate - second.low) ** 2)
    return Interval(d, low, high)


def rci_band(sd: float, reliability: float, z: float = RELIABLE_Z) -> float:
    """Return the change (in score points) beyond which a change is reliable: z · SD · √2 · √(1 − r)."""
    return z * sd * math.sqrt(2.0) * math.sqrt(1.0 - reliability)


def _moment(record: RecordLike, months: int) -> tuple[bool, int | None]:
    """(due, score) of a record at a moment; a moment named lost counts as due without a score."""
    lost = months in getattr(record, "lost_to_follow_up", frozenset())
    if months in record.followups or lost:
        return True, None if lost else record.followups.get(months)
    return False, None


@dataclass
class _Group:
    n: int = 0
    due: int = 0
    changes: list[int] = field(default_factory=list)
    lonely: int = 0
    left_loneliness: int = 0


def _collect(records: Iterable[RecordLike], months: int, lonely_from: int) -> _Group:
    group = _Group()
    for record in records:
        group.n += 1
        if record.intake_score is None:
            continue
        due, score = _moment(record, months)
        if not due:
            continue
        group.due += 1
        if score is None:
            continue
        group.changes.append(score - record.intake_score)
        if record.intake_score >= lonely_from:
            group.lonely += 1
            group.left_loneliness += score < lonely_from
    return group


def _cell(route: str, label: str, months: int, group: _Group, rci: tuple[float, float] | None,
          waiting: _Group | None, key: str = "") -> OutcomeCell:  # fmt: skip
    measured = len(group.changes)
    cell = OutcomeCell(route=route, route_label=label, months=months, group=key, n=group.n, due=group.due,
                       measured=measured, lonely_at_intake=group.lonely)  # fmt: skip
    cell.lost_share = (group.due - measured) / group.due if group.due else None
    cell.mean_change = mean_interval(group.changes)
    cell.no_longer_lonely = wilson(group.left_loneliness, group.lonely)
    if rci is not None:
        # |RCI| > 1.96 by the one RCI function; lower scores are less lonely, so improvement is a fall.
        sd, reliability = rci
        indices = [reliable_change_index(0, c, sd=sd, reliability=reliability) for c in group.changes]
        cell.improved = wilson(sum(1 for i in indices if i < -RELIABLE_Z), measured)
        cell.deteriorated = wilson(sum(1 for i in indices if i > RELIABLE_Z), measured)
    if waiting is not None:
        cell.vs_waiting_change = welch_difference(group.changes, waiting.changes)
        cell.vs_waiting_no_longer_lonely = newcombe_difference(group.left_loneliness, group.lonely,
                                                               waiting.left_loneliness, waiting.lonely)  # fmt: skip
    return cell


def _blank(cell: OutcomeCell) -> OutcomeCell:
    """The cell with its counts and figures removed (a suppressed cell says only that it is hidden)."""
    return OutcomeCell(route=cell.route, route_label=cell.route_label, months=cell.months, group=cell.group,
                       suppressed=True)  # fmt: skip


def route_outcomes(records: Iterable[RecordLike], *, moments: Sequence[int] = MOMENTS, min_cell: int = 10,
                   reliability: float = DJG11_RELIABILITY, lonely_from: int = LONELY_FROM,
                   sd: float = DJG11_SD) -> OutcomeTable:  # fmt: skip
    """Return the outcome figures per route and moment, for the waiting residents, and per wijk and organisation.

    A route's own cell is suppressed when fewer than ``min_cell`` residents were measured; the
    breakdowns per wijk and per organisation are suppressed cell by cell with complementary
    suppression, the route's total counted as published.
    """
    rows = list(records)
    band = rci_band(sd, reliability)
    rci = (sd, reliability)
    routes: dict[str, list[RecordLike]] = defaultdict(list)
    labels: dict[str, str] = {}
    waiting_rows = [r for r in rows if r.waiting]
    for record in rows:
        if not record.waiting:
            routes[record.route].append(record)
            labels.setdefault(record.route, record.route_label)
    cells: list[OutcomeCell] = []
    waiting_cells: list[OutcomeCell] = []
    by_wijk: list[OutcomeCell] = []
    by_org: list[OutcomeCell] = []
    for months in moments:
        waiting = _collect(waiting_rows, months, lonely_from)
        waiting_cell = _cell("waiting", "", months, waiting, rci, None)
        waiting_shown = not cell_too_small(len(waiting.changes), min_cell)
        waiting_cells.append(waiting_cell if waiting_shown else _blank(waiting_cell))
        for route in sorted(routes, key=lambda code: labels[code]):
            group = _collect(routes[route], months, lonely_from)
            cell = _cell(route, labels[route], months, group, rci, waiting if waiting_shown else None)
            cells.append(_blank(cell) if cell_too_small(cell.measured, min_cell) else cell)
        for attribute, target in (("wijk", by_wijk), ("organisation", by_org)):
            target.extend(_breakdown(routes, labels, attribute, months, lonely_from, rci, min_cell))
    return OutcomeTable(cells=cells, waiting=waiting_cells, by_wijk=by_wijk, by_organisation=by_org,
                        reliability=reliability, sd=sd, rci_band=band, lonely_from=lonely_from, min_cell=min_cell,
                        records=len(rows))  # fmt: skip


def _breakdown(routes: Mapping[str, list[RecordLike]], labels: Mapping[str, str], attribute: str, months: int,
               lonely_from: int, rci: tuple[float, float], min_cell: int) -> list[OutcomeCell]:  # fmt: skip
    """One route × group table at one moment, suppressed line by line (the route's total counts as published).

    Groups where nobody of the route was measured are left out (they carry no figure); among the rest a
    route line may not hold exactly one hidden cell, or the route's total would give it away.
    """
    result: list[OutcomeCell] = []
    for code in sorted(routes, key=lambda route: labels[route]):
        grouped: dict[str, list[RecordLike]] = defaultdict(list)
        for record in routes[code]:
            value = getattr(record, attribute)
            if value not in (None, ""):
                grouped[str(value)].append(record)
        cells = [_cell(code, labels[code], months, _collect(grouped[key], months, lonely_from), rci, None, key)
                 for key in sorted(grouped)]  # fmt: skip
        cells = [cell for cell in cells if cell.measured]
        if not cells:
            continue
        hidden = suppression_mask(np.array([[cell.measured for cell in cells]], dtype=np.int64), min_cell,
                                  row_totals=True, column_totals=False)[0]  # fmt: skip
        result.extend(_blank(cell) if hidden[i] else cell for i, cell in enumerate(cells))
    return result

# SPDX-License-Identifier: EUPL-1.2
"""Disclosure control for published tables: primary and complementary cell suppression.

Primary: every cell with fewer respondents than the minimum (default 10, policy `publication.min_cell_size`) is
suppressed. Complementary: a row or column whose total is published may not have exactly one
suppressed cell — its value would follow from the total minus the visible cells — so the smallest
visible cell of such a line is suppressed too, and this repeats until no line has a lone suppressed
cell (the classic rule of Statistics Netherlands' τ-ARGUS "hypercube" method, here for two dimensions).
A line with a single cell has no partner: its total equals the cell and must be suppressed with it.

The one small-cell rule (issue #14): the monitor's and the council report's tables and every count
a page publishes (the buurtteams' residents per wijk) are suppressed here. A pure core, in ``lib``
so that the ground floor can use it too.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def too_small(counts: npt.NDArray[np.int64], min_cell: int) -> npt.NDArray[np.bool_]:
    """Return True for every cell below the minimum cell size (primary suppression)."""
    return np.asarray(counts) < min_cell


def cell_too_small(count: int, min_cell: int) -> bool:
    """The same rule for one count (a group's n, a total)."""
    return bool(too_small(np.asarray(count, dtype=np.int64), min_cell))


def suppression_mask(counts: npt.NDArray[np.int64], min_cell: int, *, row_totals: bool = True,
                     column_totals: bool = True) -> npt.NDArray[np.bool_]:  # fmt: skip
    """Return True for every cell of the (rows × columns) respondent counts that must not be shown."""
    table = np.atleast_2d(np.asarray(counts))
    hidden = too_small(table, min_cell)
    while True:
        changed = False
        for axis, published in ((1, row_totals), (0, column_totals)):
            if not published:
                continue
            lone = hidden.sum(axis=axis) == 1
            for line in np.flatnonzero(lone):
                cells = table[line] if axis == 1 else table[:, line]
                mask = hidden[line] if axis == 1 else hidden[:, line]
                candidates = np.where(mask, np.iinfo(np.int64).max, cells)
                if (candidates == np.iinfo(np.int64).max).all():
                    continue
                pick = int(np.argmin(candidates))
                if axis == 1:
                    hidden[line, pick] = True
                else:
                    hidden[pick, line] = True
                changed = True
        if not changed:
            return hidden.reshape(np.shape(counts)) if np.ndim(counts) == 2 else hidden[0]


def nested_suppression_mask(counts: npt.NDArray[np.int64], parent: npt.NDArray[np.int64],
                            parent_hidden: npt.NDArray[np.bool_], min_cell: int) -> npt.NDArray[np.bool_]:  # fmt: skip
    """Return True for every child cell (buurt) that must not be shown when the parents (wijken) are published too.

    ``parent[i]`` is the index of child i's parent, ``parent_hidden`` the parents' own suppression
    (from the parent table). Each parent with its children is a line whose total is the parent: the
    line may not hold exactly one hidden cell, counting a hidden parent as one — otherwise the lone
    cell follows from the others (a published wijk minus its visible buurten; or a hidden wijk whose
    buurten are all shown adds up to it). The city total over all children is the last line. The
    smallest visible child is hidden as partner, until no line has a lone hidden cell.
    """
    counts = np.asarray(counts)
    hidden = too_small(counts, min_cell)
    lines = [np.flatnonzero(parent == p) for p in range(len(parent_hidden))]
    while True:
        changed = False
        for p, members in enumerate(lines):
            if not len(members):
                continue
            if hidden[members].sum() + int(parent_hidden[p]) == 1 and not hidden[members].all():
                visible = members[~hidden[members]]
                hidden[visible[np.argmin(counts[visible])]] = True
                changed = True
        if hidden.sum() == 1 and len(hidden) > 1:  # the city total is published
            visible = np.flatnonzero(~hidden)
            hidden[visible[np.argmin(counts[visible])]] = True
            changed = True
        if not changed:
            return hidden

# SPDX-License-Identifier: EUPL-1.2
"""Suppression: no cell below the minimum is shown or can be recovered from a published total."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from omzien.lib.disclosure import suppression_mask


def test_a_lone_small_cell_gets_a_complementary_partner() -> None:
    counts = np.array([[40, 3, 25, 60]])
    hidden = suppression_mask(counts, 10)
    assert hidden.tolist() == [[False, True, True, False]]  # 25 is the smallest visible cell
    total, visible = counts.sum(), counts[~hidden].sum()
    assert total - visible == 28  # the total reveals only the sum of two cells, not the 3


@given(arrays(np.int64, st.tuples(st.integers(1, 8), st.integers(1, 8)), elements=st.integers(0, 60)))
def test_no_published_total_reveals_a_small_cell(counts: np.ndarray) -> None:
    hidden = suppression_mask(counts, 10)
    assert hidden[counts < 10].all()  # primary suppression
    for axis in (0, 1):
        per_line = hidden.sum(axis=axis)
        # A line with a published total has no suppressed cell, or at least two (or is wholly hidden).
        assert ((per_line == 0) | (per_line >= 2) | (per_line == counts.shape[axis])).all() or counts.shape[
            axis
        ] == 1

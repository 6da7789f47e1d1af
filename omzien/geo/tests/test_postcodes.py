# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from omzien.geo.selectors import normalize_postcode


def test_every_spelling_of_a_postcode_normalises_to_one_form() -> None:
    for text in ("3511AB", "3511 ab", " 3511ab ", "3511  AB"):
        assert normalize_postcode(text) == "3511AB"
    assert normalize_postcode("3511") == "3511"
    for text in ("0511AB", "351AB", "3511ABC", "", "AB3511", "3511-AB"):
        assert normalize_postcode(text) is None


@given(
    st.integers(1000, 9999),
    st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZabcdefghjklmnprstuvwxyz", min_size=2, max_size=2),
    st.sampled_from(["", " ", "  "]),
)
def test_normalisation_round_trips(digits: int, letters: str, gap: str) -> None:
    code = normalize_postcode(f"{digits}{gap}{letters}")
    assert code == f"{digits}{letters.upper()}"
    assert normalize_postcode(code) == code

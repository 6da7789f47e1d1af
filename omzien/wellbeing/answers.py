# SPDX-License-Identifier: EUPL-1.2
"""From answer words or numeric codes to the scoring engine's codes (see ``scoring``).

Vectorised with polars, so a form's eleven answers and a survey's million rows take the same path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from omzien.wellbeing.instruments import Instrument
from omzien.wellbeing.scoring import MISSING

DJG_WORDS = {
    "nee!": -2, "no!": -2, "nee": -1, "no": -1, "min of meer": 0, "min-of-meer": 0, "more or less": 0,
    "more-or-less": 0, "ja": 1, "yes": 1, "ja!": 2, "yes!": 2,
}  # fmt: skip
UCLA_WORDS = {
    "hardly ever": 1, "hardly ever or never": 1, "never": 1, "(bijna) nooit": 1, "bijna nooit": 1, "nooit": 1,
    "some of the time": 2, "soms": 2, "often": 3, "vaak": 3,
}  # fmt: skip
DEFAULT_MISSING = ("", "9", "99", "-1", "weet niet", "don't know", "n/a")


class AnswerError(ValueError):
    """An answer that is neither valid nor a missing code; names the row, column and value."""

    def __init__(self, row: int, column: str, value: str) -> None:
        self.row, self.column, self.value = row, column, value
        super().__init__(f"row {row}, column {column}: {value!r} is not a valid answer or missing code")


def normalise(text: object) -> str:
    """Lower case, single spaces, no stray spaces: ' Min  of Meer ' → 'min of meer'."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return " ".join(str(text).strip().lower().split())


def parse_codes(spec: str) -> dict[str, str]:
    """Parse ``--codes '1=nee,2=min of meer,3=ja'`` into {'1': 'nee', …}."""
    codes: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(f"--codes: expected code=answer, got {part!r}")
        code, word = part.split("=", 1)
        codes[normalise(code)] = normalise(word)
    return codes


def answers_code(
    instrument: Instrument,
    frame: Any,
    *,
    codes: dict[str, str] | None = None,
    missing: tuple[str, ...] = DEFAULT_MISSING,
    first_row: int = 2,
    on_column: Callable[[str], None] | None = None,
) -> npt.NDArray[np.int8]:
    """Return the answer matrix (rows × items) from a polars DataFrame's item columns; raise AnswerError.

    ``first_row`` is the row number of the frame's first row in the user's file (2: after a header).
    """
    import polars as pl

    words = UCLA_WORDS if instrument.code == "ucla3" else DJG_WORDS
    for code, word in (codes or {}).items():
        if word not in words:
            raise ValueError(f"--codes: {word!r} (for code {code!r}) is not an answer of {instrument.code}")
    table = {code: words[word] for code, word in (codes or {}).items()} | words
    table |= {normalise(value): MISSING for value in missing if normalise(value) not in table}
    absent = [name for name in instrument.columns if name not in frame.columns]
    if absent:
        raise ValueError(f"missing answer column(s) {', '.join(absent)} for {instrument.code}")
    matrix = np.empty((frame.height, len(instrument.items)), dtype=np.int8)
    for position, name in enumerate(instrument.columns):
        column = frame.get_column(name).cast(pl.String, strict=False).fill_null("")
        # A survey repeats a handful of spellings: normalise each distinct value once, then map.
        distinct = column.unique().to_list()
        mapping = {
            value: table.get(normalise(value[:-2] if value.endswith(".0") else value)) for value in distinct
        }
        unknown = {value for value, code in mapping.items() if code is None}
        if unknown:
            row = int(column.is_in(list(unknown)).arg_true()[0])
            raise AnswerError(row + first_row, name, str(frame.get_column(name)[row]))
        coded = column.replace_strict(mapping, return_dtype=pl.Int16)
        matrix[:, position] = coded.to_numpy().astype(np.int8)
        if on_column is not None:
            on_column(name)
    return matrix

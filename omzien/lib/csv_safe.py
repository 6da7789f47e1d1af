# SPDX-License-Identifier: EUPL-1.2
"""Every CSV Omzien writes is safe to open in a spreadsheet: no cell starts a formula.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel and
LibreOffice as a formula (CSV injection: ``=HYPERLINK(...)``, ``=cmd|...``). Such text gets a leading
apostrophe, which spreadsheets show as text and do not display; plain numbers such as ``-3`` or
``+31 30 123`` phone numbers written as text stay readable: only a value that is a number is left as it is.
Use ``writer``/``dict_writer`` instead of ``csv.writer``/``csv.DictWriter`` and ``frame_neutralise``
before a polars ``write_csv``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def neutralise(value: Any) -> Any:
    """The value, with an apostrophe in front when a spreadsheet would take it for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` that neutralises every cell."""

    def __init__(self, stream: Any, *args: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(stream, *args, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):  # type: ignore[type-arg]
    """``csv.DictWriter`` that neutralises every cell (the header is ours and needs none)."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: neutralise(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def writer(stream: Any, *args: Any, **kwargs: Any) -> SafeWriter:
    return SafeWriter(stream, *args, **kwargs)


def dict_writer(stream: Any, fieldnames: Any, *args: Any, **kwargs: Any) -> SafeDictWriter:
    return SafeDictWriter(stream, fieldnames, *args, **kwargs)


def frame_neutralise(frame: Any) -> Any:
    """A polars frame whose text columns are neutralised the same way (vectorised)."""
    import polars as pl

    starts = "^[" + re.escape("".join(FORMULA_START)) + "]"
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(starts) & ~pl.col(name).str.contains(_NUMBER.pattern))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )

# SPDX-License-Identifier: EUPL-1.2
"""Reading the monitor's input files (survey, margins, reference values) the one way the command and the
reports room both use: CSV (comma or semicolon, as CBS writes them), XLSX or SPSS .sav, every column as read.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from omzien.wellbeing.bulk import FILE_LIMITS, BulkInputError, frame_read


def table_read(path: Path, *, name: str | None = None) -> Any:
    """Return the file as a polars DataFrame; raise BulkInputError with a readable message.

    ``name`` is how the message calls the file (an uploaded file's own name rather than a temporary path).
    """
    import polars as pl

    shown = name or str(path)
    if not path.is_file():
        raise BulkInputError(f"No such file: {shown}")
    suffix = Path(shown).suffix.lower() or path.suffix.lower()
    if suffix == ".csv":
        with path.open("rb") as handle:
            head = handle.read(65536).decode("utf-8-sig", errors="replace").split("\n", 1)[0]
        separator = ";" if head.count(";") > head.count(",") else ","
        try:
            # One row more than allowed is read, to know there are too many (lines are capped, not all read).
            frame = pl.read_csv(path, separator=separator, infer_schema=False, encoding="utf8-lossy",
                                n_rows=FILE_LIMITS.max_rows + 1)  # fmt: skip
        except pl.exceptions.PolarsError as error:
            raise BulkInputError(f"{shown} could not be read: {error}") from None
        if frame.height > FILE_LIMITS.max_rows or frame.width > FILE_LIMITS.max_columns:
            raise BulkInputError(f"{shown} has more than {FILE_LIMITS.max_rows} rows or {FILE_LIMITS.max_columns} columns")
        return frame
    if suffix != path.suffix.lower():  # frame_read goes by the suffix: give the temporary file the right one
        raise BulkInputError(f"{shown}: the file's name must end in .csv, .xlsx or .sav")
    try:
        return frame_read(path)
    except BulkInputError as error:
        raise BulkInputError(str(error).replace(str(path), shown)) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as error:  # openpyxl on a file that is no workbook
        raise BulkInputError(f"{shown} could not be read as an Excel workbook: {error}") from None

# SPDX-License-Identifier: EUPL-1.2
"""Bulk scoring of a file: read (CSV/XLSX), code the answers, score, add the result columns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from omzien.lib.csv_safe import frame_neutralise
from omzien.lib.uploads import Limits, UploadRefusedError, xlsx_check
from omzien.wellbeing.answers import DEFAULT_MISSING, answers_code
from omzien.wellbeing.instruments import Instrument
from omzien.wellbeing.scoring import score

RESULT_COLUMNS = ("score", "social", "emotional", "category", "valid")
# Bounds for any file read here (the score command, the monitor's survey and margins, uploaded or not):
# an XLSX that declares 16,384 columns or a million rows it does not have is refused before reading.
FILE_LIMITS = Limits(max_rows=1_048_575, max_columns=1000, max_cells=20_000_000,
                     max_unpacked_bytes=512 * 1024 * 1024, max_seconds=300.0)  # fmt: skip


class BulkInputError(ValueError):
    """The file cannot be scored; nothing is written."""


def frame_read(path: Path) -> Any:
    import polars as pl

    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            # Every column as text (answers are words or codes); one row over the cap tells there are too many.
            frame = pl.read_csv(path, infer_schema=False, n_rows=FILE_LIMITS.max_rows + 1)
            if frame.height > FILE_LIMITS.max_rows or frame.width > FILE_LIMITS.max_columns:
                raise BulkInputError(
                    f"{path} has more than {FILE_LIMITS.max_rows} rows or {FILE_LIMITS.max_columns} columns"
                )
            return frame
        if suffix in {".xlsx", ".xlsm"}:
            try:
                xlsx_check(path, FILE_LIMITS)
            except UploadRefusedError as refused:
                raise BulkInputError(f"{path}: {refused}") from None
            return pl.read_excel(path, engine="openpyxl", infer_schema_length=0)
        if suffix in {".sav", ".zsav"}:
            import pyreadstat

            # Raw codes, not value labels: --codes says what the numbers mean.
            frame, _meta = pyreadstat.read_sav(str(path), output_format="polars")
            return frame
    except (OSError, pl.exceptions.PolarsError) as error:
        raise BulkInputError(f"{path} could not be read: {error}") from None
    except Exception as error:  # pyreadstat raises its own exception types for damaged files
        if type(error).__module__.startswith("pyreadstat"):
            raise BulkInputError(f"{path} could not be read as SPSS: {error}") from None
        raise
    raise BulkInputError(f"{path}: unsupported file type {suffix!r} (use .csv, .xlsx or .sav)")


def columns_rename(frame: Any, rename: dict[str, str] | None) -> Any:
    """The frame with columns renamed as ``--map OLD=NEW`` asks; every OLD must be a column."""
    if not rename:
        return frame
    unknown = set(rename) - set(frame.columns)
    if unknown:
        raise BulkInputError(f"--map names column(s) that are not in the file: {', '.join(sorted(unknown))}")
    return frame.rename(rename)


def frame_score(instrument: Instrument, frame: Any, *, rename: dict[str, str] | None = None,
                codes: dict[str, str] | None = None, missing: tuple[str, ...] = DEFAULT_MISSING,
                on_column: Callable[[str], None] | None = None, rules: dict[str, int] | None = None) -> Any:  # fmt: skip
    """Return the frame with the result columns added; raise BulkInputError or AnswerError."""
    import polars as pl

    frame = columns_rename(frame, rename)
    absent = [name for name in instrument.columns if name not in frame.columns]
    if absent:
        raise BulkInputError(f"missing item column(s) for {instrument.code}: {', '.join(absent)}")
    clash = [name for name in RESULT_COLUMNS if name in frame.columns]
    if clash:
        raise BulkInputError(f"the file already has column(s) {', '.join(clash)}; rename them with --map")
    answers = answers_code(instrument, frame, codes=codes, missing=missing, on_column=on_column)
    scores = score(instrument, answers, rules=rules)
    return frame.with_columns(
        pl.Series("score", scores.total, dtype=pl.Float64).cast(pl.Int16, strict=False),
        pl.Series("social", scores.social, dtype=pl.Float64).cast(pl.Int16, strict=False),
        pl.Series("emotional", scores.emotional, dtype=pl.Float64).cast(pl.Int16, strict=False),
        pl.Series("category", scores.category_index).replace_strict(
            {index: c.code for index, c in enumerate(instrument.categories)},
            default=None,
            return_dtype=pl.String,
        ),
        pl.Series("valid", scores.valid),
    )


def frame_write(frame: Any, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame_neutralise(frame).write_csv(path)  # safe to open in a spreadsheet
    elif suffix == ".xlsx":
        frame.write_excel(path)
    else:
        raise BulkInputError(f"{path}: unsupported output type {suffix!r} (use .csv or .xlsx)")

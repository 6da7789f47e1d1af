# SPDX-License-Identifier: EUPL-1.2
"""Reading uploaded tables (CSV, XLSX) within fixed bounds, so a small file cannot take the server down.

An XLSX file is a zip of XML. A 5 KB file can declare a sheet of ``A1:XFD1048576``; openpyxl then
fills every missing cell of every row up to the declared width (16,384 columns), which takes hours and
all memory before any row limit is checked. So before a row is read:

- the zip must unpack to at most ``max_unpacked_bytes`` (the sizes in the zip's directory bound what
  Python will unpack);
- the sheet's declared dimension must fit ``max_rows`` × ``max_columns``;
- the sheet's XML is scanned (streaming, no cells kept) and every cell's row and column must fit too,
  because the declaration can lie or be missing;
- then openpyxl reads it in read-only streaming mode, never wider than the columns really used.

A CSV file is read record by record with caps on records, fields per record and characters per field.
Every reader also stops after ``max_seconds``. Row numbers are the spreadsheet's own (the header is
row 1; blank rows count), so a report can say "row 7" and the person finds it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files import uploadhandler
from django.utils.translation import gettext as _

from defusedxml.ElementTree import iterparse

_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class UploadRefusedError(ValueError):
    """The file exceeds a bound; the message says which, in words for the person who uploaded it."""


@dataclass(frozen=True)
class Limits:
    max_rows: int = 5000  # data rows below the header
    max_columns: int = 100
    max_field_chars: int = 32_767  # Excel's own limit for one cell
    max_unpacked_bytes: int = 64 * 1024 * 1024
    max_seconds: float = 20.0
    # Rows × columns of the sheet's extent: openpyxl fills every cell of it, blank or not.
    max_cells: int | None = None

    @property
    def cells(self) -> int:
        return self.max_cells if self.max_cells is not None else (self.max_rows + 1) * self.max_columns


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (ord(letter) - 64)
    return number


class _Clock:
    def __init__(self, limits: Limits) -> None:
        self.deadline = time.monotonic() + limits.max_seconds
        self.limits = limits

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise UploadRefusedError(
                _("Reading the file took longer than %(seconds)s seconds; split it into smaller files.")
                % {"seconds": int(self.limits.max_seconds)}
            )


def _too_many_rows(limits: Limits) -> UploadRefusedError:
    return UploadRefusedError(_("The file has more than %(max)s rows.") % {"max": limits.max_rows})


def _too_many_cells(limits: Limits) -> UploadRefusedError:
    return UploadRefusedError(
        _("The sheet spans more than %(max)s cells (rows × columns); split it into smaller files.")
        % {"max": f"{limits.cells:,}".replace(",", ".")}
    )


def _too_many_columns(limits: Limits) -> UploadRefusedError:
    return UploadRefusedError(_("The file has more than %(max)s columns.") % {"max": limits.max_columns})


def _scan_sheet(source: IO[bytes], limits: Limits, clock: _Clock) -> int:
    """Check every cell's position in the sheet's XML; return the widest column used."""
    widest = column = rows = last_row = 0
    for count, (event, element) in enumerate(iterparse(source, events=("start", "end")), start=1):
        tag = element.tag
        if event == "end":
            if tag == f"{_SHEET_NS}row":
                element.clear()  # keep no cells: memory stays flat however long the sheet
            continue
        if tag == f"{_SHEET_NS}c":
            match = _CELL.match(element.get("r") or "")
            # A cell without its reference follows the one before it (as openpyxl reads it).
            column = _column_number(match.group(1)) if match else column + 1
            if match:
                last_row = max(last_row, int(match.group(2)))
                if last_row > limits.max_rows + 1:
                    raise _too_many_rows(limits)
            if column > limits.max_columns:
                raise _too_many_columns(limits)
            widest = max(widest, column)
        elif tag == f"{_SHEET_NS}row":
            column, rows = 0, rows + 1
            row_number = element.get("r")
            last_row = max(last_row, rows, int(row_number) if row_number and row_number.isdigit() else 0)
            if last_row > limits.max_rows + 1:
                raise _too_many_rows(limits)
        if count % 20000 == 0:
            clock.check()
            if last_row * widest > limits.cells:
                raise _too_many_cells(limits)
    if last_row * widest > limits.cells:
        raise _too_many_cells(limits)
    return widest


def xlsx_open(source: bytes | Path | IO[bytes], limits: Limits) -> tuple[Any, Any, int]:
    """Check the workbook against the limits; return (workbook, first sheet, columns used), read-only."""
    from openpyxl import load_workbook

    clock = _Clock(limits)
    handle: Any = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        with zipfile.ZipFile(handle) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise UploadRefusedError(_("The Excel file could not be read.")) from error
    if unpacked > limits.max_unpacked_bytes:
        raise UploadRefusedError(
            _("The Excel file unpacks to more than %(mb)s MB; split it into smaller files.")
            % {"mb": limits.max_unpacked_bytes // (1024 * 1024)}
        )
    if hasattr(handle, "seek"):
        handle.seek(0)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UploadRefusedError(_("The Excel file could not be read.")) from error
    # The declared size first: cheap, and the usual bomb.
    if (sheet.max_column or 0) > limits.max_columns:
        workbook.close()
        raise _too_many_columns(limits)
    if (sheet.max_row or 0) > limits.max_rows + 1:
        workbook.close()
        raise _too_many_rows(limits)
    if (sheet.max_row or 0) * (sheet.max_column or 0) > limits.cells:
        workbook.close()
        raise _too_many_cells(limits)
    try:
        with workbook._archive.open(sheet._worksheet_path) as xml:
            widest = _scan_sheet(xml, limits, clock)
    except UploadRefusedError:
        workbook.close()
        raise
    except Exception as error:  # XML that does not parse
        workbook.close()
        raise UploadRefusedError(_("The Excel file could not be read.")) from error
    return workbook, sheet, widest


def xlsx_rows(source: bytes | Path, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    """Yield (spreadsheet row number, cell values) of the first sheet, blank rows included."""
    workbook, sheet, widest = xlsx_open(source, limits)
    clock = _Clock(limits)
    try:
        if widest == 0:
            return
        rows = sheet.iter_rows(
            min_row=1, min_col=1, max_col=widest, max_row=limits.max_rows + 1, values_only=True
        )
        for number, values in enumerate(rows, start=1):
            if number % 500 == 0:
                clock.check()
            yield number, list(values)
    finally:
        workbook.close()


def csv_rows(text: str, limits: Limits, dialect: Any = csv.excel) -> Iterator[tuple[int, list[str]]]:
    """Yield (record number, fields) of a CSV text, the header being record 1, within the limits."""
    clock = _Clock(limits)
    reader = csv.reader(io.StringIO(text), dialect)
    number = 0
    try:
        for number, fields in enumerate(reader, start=1):  # noqa: B007 - number is used after the loop too
            if number > limits.max_rows + 1:
                raise _too_many_rows(limits)
            if len(fields) > limits.max_columns:
                raise _too_many_columns(limits)
            if any(len(value) > limits.max_field_chars for value in fields):
                raise UploadRefusedError(
                    _("The file could not be read: row %(row)s has a cell longer than %(max)s characters.")
                    % {"row": number, "max": limits.max_field_chars}
                )
            if number % 500 == 0:
                clock.check()
            yield number, fields
    except csv.Error as error:  # e.g. a field beyond the csv module's own limit, or a NUL in old files
        raise UploadRefusedError(
            _("The CSV file could not be read after row %(row)s: %(error)s") % {"row": number, "error": error}
        ) from error


def xlsx_check(source: bytes | Path | IO[bytes], limits: Limits) -> None:
    """Raise UploadRefusedError unless the workbook's first sheet fits the limits (for other readers)."""
    workbook, _sheet, _widest = xlsx_open(source, limits)
    workbook.close()


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    """Django's handler for uploads above FILE_UPLOAD_MAX_MEMORY_SIZE, which leaves no partial file.

    When the disk fills up half-way (ENOSPC), Django's own handler leaves the half-written temporary
    file behind until the request's objects are garbage-collected, which the error's traceback
    postpones; this one removes it at once and passes the error on (the 507 page, omzien.core.views).
    """

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        try:
            return super().receive_data_chunk(raw_data, start)
        except OSError:
            # Closing a NamedTemporaryFile deletes it, even when flushing its buffer fails again.
            with contextlib.suppress(OSError):
                self.file.close()
            raise

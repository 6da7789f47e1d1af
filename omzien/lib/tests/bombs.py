# SPDX-License-Identifier: EUPL-1.2
"""Small files that claim to be huge: the XLSX dimension bomb of issue 15 and its variants."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(content: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            new.writestr(info, data)
    return target.getvalue()


def dimension_bomb(rows: Sequence[Sequence[object]], ref: str = "A1:XFD2000", filled: int = 2000) -> bytes:
    """``rows`` and then one-cell rows up to row ``filled``, in a sheet that declares ``ref``: a file of a
    few KB that openpyxl widens to 16,384 cells per row (the probe's 4.9 KB file took 20 s)."""

    def change(xml: str) -> str:
        start = len(rows) + 1
        extra = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(start, filled + 1))
        xml = xml.replace("</sheetData>", extra + "</sheetData>")
        return re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml)

    return _rewrite_sheet(xlsx(rows), change)


def lying_bomb(rows: Sequence[Sequence[object]]) -> bytes:
    """Declares a small sheet but puts one cell in the last column (the declaration cannot be trusted)."""

    def change(xml: str) -> str:
        return xml.replace("</row>", '<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>', 1)

    return _rewrite_sheet(xlsx(rows), change)


def far_row_bomb(rows: Sequence[Sequence[object]], ref: str | None = None) -> bytes:
    """A cell in the last row of the sheet: openpyxl fills every row between (with ``ref`` declared, or not)."""

    def change(xml: str) -> str:
        xml = xml.replace("</sheetData>", '<row r="1048575"><c r="A1048575" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
        return re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml) if ref else xml

    return _rewrite_sheet(xlsx(rows), change)

# SPDX-License-Identifier: EUPL-1.2
"""Bounded reading of uploaded tables: dimension bombs refused fast, spreadsheet row numbers kept."""

from __future__ import annotations

import time

import pytest

from omzien.lib.tests.bombs import dimension_bomb, lying_bomb, xlsx
from omzien.lib.uploads import Limits, UploadRefusedError, csv_rows, xlsx_check, xlsx_rows

LIMITS = Limits(max_rows=5000, max_columns=100)
ROWS = [["titel", "plaatsen"], ["Wandelen", 3]]


@pytest.mark.parametrize("ref", ["A1:XFD2000", "A1:XFD1048576", "A1:B1048576"])
def test_a_dimension_bomb_is_refused_within_a_second(ref: str) -> None:
    bomb = dimension_bomb(ROWS, ref)
    assert len(bomb) < 20_000  # a small file ...
    started = time.perf_counter()
    with pytest.raises(UploadRefusedError):
        list(xlsx_rows(bomb, LIMITS))
    assert time.perf_counter() - started < 1.0


def test_a_sheet_that_lies_about_its_size_is_refused_by_the_scan() -> None:
    started = time.perf_counter()
    with pytest.raises(UploadRefusedError, match="100"):
        xlsx_check(lying_bomb(ROWS), LIMITS)
    assert time.perf_counter() - started < 1.0


def test_rows_keep_their_spreadsheet_numbers_blank_rows_counted() -> None:
    content = xlsx([["titel", "plaatsen"], ["A", 1], [None, None], ["B", 2]])
    rows = list(xlsx_rows(content, LIMITS))
    assert [(number, values[0]) for number, values in rows] == [(1, "titel"), (2, "A"), (3, None), (4, "B")]
    assert [number for number, _values in csv_rows("titel;plaatsen\nA;1\n\nB;2\n", LIMITS)] == [1, 2, 3, 4]


def test_csv_caps_on_rows_columns_and_field_size() -> None:
    small = Limits(max_rows=3, max_columns=4, max_field_chars=10)
    with pytest.raises(UploadRefusedError, match="3"):
        list(csv_rows("a\n1\n2\n3\n4\n", small))
    with pytest.raises(UploadRefusedError, match="4"):
        list(csv_rows("a,b,c,d,e\n", small))
    with pytest.raises(UploadRefusedError, match="10"):
        list(csv_rows("a\n" + "x" * 11 + "\n", small))
    assert len(list(csv_rows("a\n1\n2\n3\n", small))) == 4


def test_a_zip_that_unpacks_beyond_the_bound_is_refused() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (2 * 1024 * 1024))
    with pytest.raises(UploadRefusedError, match="MB"):
        xlsx_check(buffer.getvalue(), Limits(max_unpacked_bytes=1024 * 1024))


@pytest.mark.parametrize("ref", ["A1:ALL1048575", None])
def test_a_survey_sized_bomb_is_refused_by_its_extent(ref: str | None) -> None:
    from omzien.lib.tests.bombs import far_row_bomb
    from omzien.wellbeing.bulk import FILE_LIMITS

    started = time.perf_counter()
    with pytest.raises(UploadRefusedError, match="cel|cell"):
        xlsx_check(far_row_bomb([["item_1", "area"], ["ja", "BU1"], [*[None] * 999, "x"]], ref), FILE_LIMITS)
    assert time.perf_counter() - started < 1.0

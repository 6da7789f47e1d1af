# SPDX-License-Identifier: EUPL-1.2
"""`omzien score`: bulk scoring of CSV and XLSX files, all or nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

import polars as pl
import pytest

HEADER = "respondent,v1,item_2,item_3,item_4,item_5,item_6,item_7,item_8,item_9,item_10,item_11"


def run(*args: str) -> str:
    out = StringIO()
    call_command("score", *args, stdout=out)
    return out.getvalue()


def test_it_scores_words_and_codes_and_passes_other_columns_through(tmp_path: Path) -> None:
    source = tmp_path / "survey.csv"
    source.write_text(
        HEADER + "\n"
        "a,1,3,3,1,3,3,1,1,3,3,1\n"  # LASA codes: 1 = nee, 2 = min of meer, 3 = ja -> every item lonely
        "b,3,1,1,3,1,1,3,3,1,1,3\n"  # nobody lonely
        "c,99, 2 ,2,3,1,1,3,3,1,1,3\n",  # one missing code, two neutral answers
        encoding="utf-8",
    )
    output = tmp_path / "scored.csv"
    message = run("--instrument", "djg11", str(source), "-o", str(output), "--map", "v1=item_1",
                  "--codes", "1=nee,2=min of meer,3=ja")  # fmt: skip
    assert "3 valid" in message
    result = pl.read_csv(output)
    assert result.get_column("respondent").to_list() == ["a", "b", "c"]
    assert result.get_column("score").to_list() == [11, 0, 2]
    assert result.get_column("category").to_list() == ["very_severe", "not_lonely", "not_lonely"]
    assert result.get_column("social").to_list() == [5, 0, 0]  # one social item missing is allowed
    assert result.get_column("valid").to_list() == [True, True, True]


def test_a_bad_answer_stops_the_run_with_row_column_and_value_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "survey.csv"
    source.write_text(
        HEADER.replace("v1", "item_1")
        + "\na,ja,nee,nee,ja,nee,nee,ja,ja,nee,nee,ja\nb,ja,nee,soms,ja,nee,nee,ja,ja,nee,nee,ja\n",
        encoding="utf-8",
    )
    output = tmp_path / "scored.csv"
    with pytest.raises(CommandError, match=r"row 3, column item_3: 'soms'"):
        run("--instrument", "djg11", str(source), "-o", str(output))
    assert not output.exists()


def test_a_missing_item_column_is_named(tmp_path: Path) -> None:
    source = tmp_path / "survey.csv"
    source.write_text("item_1,item_2\nja,nee\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing item column"):
        run("--instrument", "djg11", str(source), "-o", str(tmp_path / "x.csv"))


def test_xlsx_in_and_out_with_ucla3(tmp_path: Path) -> None:
    source = tmp_path / "survey.xlsx"
    pl.DataFrame(
        {"item_1": ["Often", "soms"], "item_2": ["often", "Bijna nooit"], "item_3": ["vaak", "soms"]}
    ).write_excel(source)
    output = tmp_path / "scored.xlsx"
    run("--instrument", "ucla3", str(source), "-o", str(output))
    result = pl.read_excel(output, engine="openpyxl")
    assert result.get_column("score").to_list() == [9, 5]
    assert result.get_column("category").to_list() == ["lonely", "not_lonely"]


def test_spss_sav_files_with_numeric_codes(tmp_path: Path) -> None:
    import pyreadstat

    source = tmp_path / "monitor.sav"
    frame = pl.DataFrame({f"item_{n}": [1.0, 3.0] for n in range(1, 12)} | {"wijk": ["WK034403", "WK034401"]})
    pyreadstat.write_sav(frame, str(source))
    output = tmp_path / "scored.csv"
    message = run(
        "--instrument", "djg11", str(source), "-o", str(output), "--codes", "1=nee,2=min of meer,3=ja"
    )
    assert "Missing answers: a total is valid with at most 2 items missing" in message
    result = pl.read_csv(output)
    # All "nee": the five positive items count; all "ja": the six negative ones.
    assert result.get_column("score").to_list() == [5, 6]
    assert result.get_column("wijk").to_list() == ["WK034403", "WK034401"]


def test_a_damaged_sav_file_is_refused_with_a_message(tmp_path: Path) -> None:
    source = tmp_path / "broken.sav"
    source.write_bytes(b"not an spss file")
    with pytest.raises(CommandError, match="could not be read as SPSS"):
        run("--instrument", "djg11", str(source), "-o", str(tmp_path / "x.csv"))


def test_the_missing_answer_rules_are_settings_and_options(tmp_path: Path, settings: object) -> None:
    source = tmp_path / "survey.csv"
    source.write_text(
        HEADER.replace("v1", "item_1") + "\na,,,,nee,ja,ja,nee,nee,ja,ja,nee\n", encoding="utf-8"
    )
    output = tmp_path / "scored.csv"
    run("--instrument", "djg11", str(source), "-o", str(output))
    assert pl.read_csv(output).get_column("valid").to_list() == [False]  # three missing > 2
    message = run("--instrument", "djg11", str(source), "-o", str(output), "--max-missing", "3")
    assert "at most 3 items missing" in message
    assert pl.read_csv(output).get_column("valid").to_list() == [True]
    settings.OMZIEN_DJG11_MAX_MISSING = 3  # type: ignore[attr-defined]
    run("--instrument", "djg11", str(source), "-o", str(output))
    assert pl.read_csv(output).get_column("valid").to_list() == [True]

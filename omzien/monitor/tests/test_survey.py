# SPDX-License-Identifier: EUPL-1.2
"""Survey and margins files to figures: checks that name rows, levels, suppression, model estimates, trends."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase

import numpy as np
import polars as pl

from omzien.monitor.survey import SurveyError, monitor_estimates, references_read, survey_prepare
from omzien.wellbeing.instruments import DJG11

AREAS = {"WK034401": 400, "WK034402": 60, "WK034403": 12, "WK034404": 3}  # respondents per wijk
GROUPS = ["18-64", "65+"]


def margins_frame(areas: dict[str, int] = AREAS) -> pl.DataFrame:
    rows = [
        (code, group, sex, str(1000 + 100 * i))
        for i, code in enumerate(areas)
        for group in GROUPS
        for sex in ("m", "v")
    ]
    return pl.DataFrame(rows, schema=["area", "age_group", "sex", "population"], orient="row")


def survey_frame(
    seed: int = 3, areas: dict[str, int] = AREAS, lonely_share: float = 0.35, wave: str | None = None
) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    records = []
    for code, count in areas.items():
        for _ in range(count):
            lonely = rng.random() < lonely_share
            answers = {}
            for item in DJG11.items:
                agrees = rng.random() < (0.8 if lonely else 0.1)
                # Positive items: 'nee' is the lonely answer; negative items: 'ja'.
                answers[f"item_{item.number}"] = (
                    ("nee" if agrees else "ja") if item.positive else ("ja" if agrees else "nee")
                )
            record = {
                "area": code,
                "age": str(int(rng.integers(18, 95))),
                "sex": rng.choice(["m", "v"]),
                **answers,
            }
            if wave:
                record["wave"] = wave
            records.append(record)
    return pl.DataFrame(records)


class PrepareTests(SimpleTestCase):
    def test_bad_rows_are_named_with_their_values(self) -> None:
        frame = (
            survey_frame()
            .with_row_index("n")
            .with_columns(
                pl.when(pl.col("n") == 0).then(pl.lit("WK034499")).otherwise(pl.col("area")).alias("area"),
                pl.when(pl.col("n") == 1).then(pl.lit("12")).otherwise(pl.col("age")).alias("age"),
                pl.when(pl.col("n") == 2).then(pl.lit("x")).otherwise(pl.col("sex")).alias("sex"),
                pl.lit("1").alias("weight"),
            )
            .with_columns(
                pl.when(pl.col("n") == 3).then(pl.lit("-2")).otherwise(pl.col("weight")).alias("weight")
            )
            .drop("n")
        )
        with self.assertRaises(SurveyError) as raised:
            survey_prepare(frame, margins_frame(), area_level="wijk")
        text = "\n".join(raised.exception.problems)
        self.assertIn("rows 2: area WK034499 has no margins", text)
        self.assertIn("rows 3: age 12 is outside the age groups (18-64, 65+)", text)
        self.assertIn("rows 4: sex 'x'", text)
        self.assertIn("rows 5: weight '-2'", text)

    def test_a_missing_answer_column_is_named_not_a_crash(self) -> None:
        from omzien.wellbeing.instruments import DJG11

        frame = survey_frame().drop(DJG11.columns[3], DJG11.columns[7])
        with self.assertRaises(SurveyError) as raised:
            survey_prepare(frame, margins_frame(), area_level="wijk")
        text = "\n".join(raised.exception.problems)
        self.assertIn(f"missing answer column(s) {DJG11.columns[3]}, {DJG11.columns[7]}", text)

    def test_buurt_codes_are_summed_into_their_wijk(self) -> None:
        frame = survey_frame(areas={"WK034401": 50}).with_columns(pl.lit("BU03440101").alias("area"))
        survey = survey_prepare(frame, margins_frame({"WK034401": 1}), area_level="wijk")
        self.assertEqual(survey.area_codes, ["WK034401"])
        with self.assertRaises(SurveyError):  # a wijk code cannot be split into buurten
            survey_prepare(
                survey_frame(areas={"WK034401": 5}), margins_frame({"WK034401": 1}), area_level="buurt"
            )


class EstimateTests(SimpleTestCase):
    def rows(self, **kwargs: Any) -> list[dict[str, Any]]:
        survey = survey_prepare(survey_frame(), margins_frame(), area_level="wijk")
        return monitor_estimates(survey, area_level="wijk", **kwargs)

    def test_levels_add_up_and_every_row_has_its_kind(self) -> None:
        rows = self.rows()
        city = {r["indicator"]: r for r in rows if r["level"] == "city"}
        self.assertAlmostEqual(
            city["moderate"]["estimate"] + city["severe"]["estimate"], city["lonely"]["estimate"]
        )
        self.assertGreater(city["lonely"]["estimate"], 0.2)
        for row in rows:
            if row["kind"] == "direct":
                self.assertLessEqual(row["ci_low"], row["estimate"])
                self.assertGreater(row["se"], 0)

    def test_small_areas_are_suppressed_with_a_complement_and_get_a_model_estimate(self) -> None:
        rows = self.rows(min_cell=10, direct_min_respondents=30)
        lonely = {(r["area_code"], r["kind"]): r for r in rows if r["indicator"] == "lonely"}
        # 3 respondents: hidden; 12 is then hidden too, or the city total would give the 3 away.
        self.assertIn(("WK034404", "suppressed"), lonely)
        self.assertIn(("WK034403", "suppressed"), lonely)
        self.assertIn(("WK034402", "direct"), lonely)
        for code in ("WK034403", "WK034404"):
            model = lonely[(code, "model")]
            self.assertIn("model", str(model["note"]))
            self.assertIsNotNone(model["mse"])
        published = [r for r in rows if r["kind"] == "direct" and r["level"] == "wijk"]
        self.assertTrue(all(r["respondents"] >= 10 for r in published))

    def test_two_waves_give_a_difference_with_its_interval(self) -> None:
        frame = pl.concat([survey_frame(seed=1, wave="2022", lonely_share=0.30),
                           survey_frame(seed=2, wave="2024", lonely_share=0.45)])  # fmt: skip
        survey = survey_prepare(frame, margins_frame(), area_level="wijk")
        rows = monitor_estimates(survey, area_level="wijk")
        difference = next(
            r
            for r in rows
            if r["kind"] == "difference" and r["area_code"] == "WK034401" and r["indicator"] == "lonely"
        )
        self.assertEqual(difference["wave"], "2022→2024")
        first = next(
            r
            for r in rows
            if r["kind"] == "direct"
            and r["area_code"] == "WK034401"
            and r["wave"] == "2022"
            and r["indicator"] == "lonely"
        )
        second = next(
            r
            for r in rows
            if r["kind"] == "direct"
            and r["area_code"] == "WK034401"
            and r["wave"] == "2024"
            and r["indicator"] == "lonely"
        )
        self.assertAlmostEqual(difference["estimate"], second["estimate"] - first["estimate"])
        self.assertAlmostEqual(difference["se"], float(np.hypot(first["se"], second["se"])))
        self.assertGreater(difference["estimate"], 0)

    def test_reference_values_of_another_instrument_are_refused(self) -> None:
        frame = pl.DataFrame([{"indicator": "lonely", "value": "46,6", "source": "Gezondheidsmonitor", "year": "2020",
                               "instrument": "djg11", "population": "18+"}])  # fmt: skip
        self.assertAlmostEqual(references_read(frame, "djg11")[0]["value"], 0.466)
        with self.assertRaises(SurveyError):
            references_read(frame.with_columns(pl.lit("ucla3").alias("instrument")), "djg11")


class CommandTests(TestCase):  # the default --min-cell is policy data
    def test_the_command_writes_every_area_and_never_a_small_count(self) -> None:
        folder = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))
        survey_frame().write_csv(folder / "survey.csv")
        margins_frame().write_csv(folder / "margins.csv", separator=";")
        (folder / "ref.csv").write_text(
            "indicator,value,source,year,instrument\nsevere,11.0,Gezondheidsmonitor,2020,djg11\n"
        )
        out = StringIO()
        call_command("monitor", "estimate", "--survey", str(folder / "survey.csv"), "--margins", str(folder / "margins.csv"),
                     "--area-level", "wijk", "-o", str(folder / "out.csv"), "--reference", str(folder / "ref.csv"), stdout=out)  # fmt: skip
        self.assertIn("Wrote", out.getvalue())
        with (folder / "out.csv").open() as handle:
            rows = list(csv.DictReader(handle))
        self.assertEqual({r["area_code"] for r in rows if r["level"] == "wijk"}, set(AREAS))
        for row in rows:
            if row["respondents"]:
                self.assertGreaterEqual(int(row["respondents"]), 10)
        # Totals minus visible cells never reveal a hidden one: with the city total published, at least
        # two areas are hidden or none.
        hidden = {r["area_code"] for r in rows if r["kind"] == "suppressed" and r["level"] == "wijk"}
        self.assertNotEqual(len(hidden), 1)
        self.assertTrue(any(r["kind"] == "reference" and r["source"] == "Gezondheidsmonitor" for r in rows))

    def test_bad_input_writes_nothing(self) -> None:
        folder = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))
        survey_frame().with_columns(pl.lit("WK999999").alias("area")).write_csv(folder / "survey.csv")
        margins_frame().write_csv(folder / "margins.csv")
        with self.assertRaises(CommandError) as raised:
            call_command("monitor", "estimate", "--survey", str(folder / "survey.csv"), "--margins", str(folder / "margins.csv"),
                         "--area-level", "wijk", "-o", str(folder / "out.csv"), stdout=StringIO(), stderr=StringIO())  # fmt: skip
        self.assertIn("WK999999 has no margins", str(raised.exception))
        self.assertFalse((folder / "out.csv").exists())

    def test_a_map_naming_a_column_the_survey_lacks_is_refused(self) -> None:
        folder = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))
        survey_frame().write_csv(folder / "survey.csv")
        margins_frame().write_csv(folder / "margins.csv")
        with self.assertRaises(CommandError) as raised:
            call_command("monitor", "estimate", "--survey", str(folder / "survey.csv"), "--margins", str(folder / "margins.csv"),
                         "--area-level", "wijk", "-o", str(folder / "out.csv"), "--map", "vraag1=item_1",
                         stdout=StringIO(), stderr=StringIO())  # fmt: skip
        self.assertIn("--map names column(s) that are not in the file: vraag1", str(raised.exception))
        self.assertFalse((folder / "out.csv").exists())

# SPDX-License-Identifier: EUPL-1.2
"""Uploads: bad files are refused with their rows named and nothing stored; progress is shown; runs are private."""

from __future__ import annotations

from io import BytesIO

from django.test import TestCase
from django.urls import reverse

import polars as pl

from omzien.geo.services import demo_geography_load
from omzien.reports.models import Edition, EstimationRun, Figure
from omzien.reports.tests.helpers import csv_bytes, login, policy_officer, survey_and_margins, upload


class UploadTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_geography_load()
        cls.user = policy_officer()
        cls.survey, cls.margins = survey_and_margins(respondents=600)

    def setUp(self) -> None:
        login(self.client, self.user)

    def test_bad_rows_are_named_and_nothing_is_stored(self) -> None:
        broken = self.survey.with_row_index("n").with_columns(
            pl.when(pl.col("n") == 0).then(pl.lit("BU99999999")).otherwise(pl.col("area")).alias("area"),
            pl.when(pl.col("n") == 4).then(pl.lit("12")).otherwise(pl.col("age")).alias("age"),
            pl.when(pl.col("n") == 6).then(pl.lit("soms")).otherwise(pl.col("item_3")).alias("item_3"),
        ).drop("n")  # fmt: skip
        response = upload(self.client, self, csv_bytes(broken), csv_bytes(self.margins))
        run = EstimationRun.objects.get()
        self.assertEqual(run.status, EstimationRun.Status.FAILED)
        page = self.client.get(response.url).content.decode()
        self.assertIn("survey rows 2: area WK999999 has no margins", page)
        self.assertIn("survey rows 6: age 12 is outside the age groups", page)
        self.assertFalse(Edition.objects.exists())
        self.assertFalse(Figure.objects.exists())
        self.assertIsNone(run.survey_file)  # the upload is not kept either

    def test_answers_that_are_not_answers_are_named(self) -> None:
        broken = self.survey.with_row_index("n").with_columns(
            pl.when(pl.col("n") == 6).then(pl.lit("soms")).otherwise(pl.col("item_3")).alias("item_3")
        ).drop("n")  # fmt: skip
        upload(self.client, self, csv_bytes(broken), csv_bytes(self.margins))
        self.assertIn("row 8, column item_3: 'soms'", "\n".join(EstimationRun.objects.get().problems))
        self.assertFalse(Edition.objects.exists())

    def test_a_missing_answer_column_or_an_empty_survey_is_named(self) -> None:
        upload(self.client, self, csv_bytes(self.survey.drop("item_5")), csv_bytes(self.margins))
        run = EstimationRun.objects.get()
        self.assertEqual(run.status, EstimationRun.Status.FAILED)
        self.assertIn("survey: missing column(s) item_5 ", run.problems[0])
        upload(self.client, self, csv_bytes(self.survey.head(0)), csv_bytes(self.margins))
        run = EstimationRun.objects.order_by("-pk")[0]
        self.assertEqual(run.problems, ["survey: the file has no respondents (only a header row)"])
        self.assertFalse(Edition.objects.exists())

    def test_wijk_codes_cannot_make_buurt_figures(self) -> None:
        wijken = self.survey.with_columns(("WK" + pl.col("area").str.slice(2, 6)).alias("area"))
        upload(self.client, self, csv_bytes(wijken), csv_bytes(self.margins))
        self.assertIn("is a wijk, but the estimates are per buurt", "\n".join(EstimationRun.objects.get().problems))
        upload(self.client, self, csv_bytes(wijken), csv_bytes(self.margins), buurten=False)
        self.assertEqual(Edition.objects.get().levels, ["wijk"])

    def test_a_file_that_is_no_table_is_refused_with_a_message(self) -> None:
        # A workbook is opened (bounded, lib.uploads) when it arrives: refused at once, no run is started.
        response = upload(self.client, self, b"\x00\x01binary", csv_bytes(self.margins), survey_name="enquete.xlsx")
        self.assertContains(response, "Het Excel-bestand kon niet worden gelezen", status_code=400)
        response = upload(self.client, self, b"x", b"y", survey_name="enquete.pdf")
        self.assertEqual(response.status_code, 400)
        self.assertIn("survey", response.context["form"].errors)
        self.assertEqual(EstimationRun.objects.count(), 0)

    def test_xlsx_and_numeric_codes_as_the_command_reads_them(self) -> None:
        coded = self.survey.with_columns(
            pl.col(f"item_{n}").replace_strict({"ja": "1", "min of meer": "2", "nee": "3"}) for n in range(1, 12)
        ).rename({"area": "buurtcode"})
        buffer = BytesIO()
        coded.write_excel(buffer)
        upload(self.client, self, buffer.getvalue(), csv_bytes(self.margins), survey_name="enquete.xlsx",
               codes="1=ja,2=min of meer,3=nee", rename="buurtcode=area")  # fmt: skip
        run = EstimationRun.objects.get()
        self.assertEqual(run.status, EstimationRun.Status.DONE, run.problems)
        self.assertEqual(run.edition.respondents, 600)
        self.assertEqual(run.edition.settings["codes"], "1=ja,2=min of meer,3=nee")

    def test_progress_is_polled_until_done_and_runs_are_private(self) -> None:
        run = EstimationRun.objects.create(parameters={"title": "Bezig"}, survey_name="a.csv", margins_name="b.csv",
                                           steps=12, step=3, status=EstimationRun.Status.RUNNING,
                                           created_at="2026-01-01T00:00Z", created_by=self.user)  # fmt: skip
        fragment = self.client.get(reverse("reports:run", args=[run.pk]), headers={"HX-Request": "true"})
        text = fragment.content.decode()
        self.assertIn('hx-trigger="every 1s"', text)
        self.assertIn('value="3"', text)
        self.assertNotIn("<html", text)
        other = policy_officer("beleid-2")
        self.client.force_login(other)
        login(self.client, other)
        self.assertEqual(self.client.get(reverse("reports:run", args=[run.pk])).status_code, 404)

    def test_the_demo_survey_is_estimated_like_an_upload_in_demo_mode_only(self) -> None:
        with self.settings(OMZIEN_DEMO=False):
            self.assertEqual(self.client.post(reverse("reports:demo_run")).status_code, 404)
            self.assertNotContains(self.client.get(reverse("reports:upload")), reverse("reports:demo_run"))
        self.assertFalse(EstimationRun.objects.exists())
        with self.settings(OMZIEN_DEMO=True):
            self.assertContains(self.client.get(reverse("reports:upload")), reverse("reports:demo_run"))
            with self.captureOnCommitCallbacks(execute=True):
                response = self.client.post(reverse("reports:demo_run"))
        run = EstimationRun.objects.get()
        self.assertRedirects(response, reverse("reports:run", args=[run.pk]))
        self.assertEqual(run.status, EstimationRun.Status.DONE, run.problems)
        assert run.edition is not None
        self.assertEqual(run.edition.source, Edition.Source.DEMO)
        self.assertEqual(run.edition.respondents, 6000)
        self.assertEqual(run.edition.levels, ["wijk", "buurt"])
        self.assertTrue(run.edition.figures.filter(level="buurt", kind="model").exists())
        self.assertIsNone(run.survey_file)

    def test_a_task_delivered_twice_stores_one_edition(self) -> None:
        from omzien.reports.services import estimation_run_execute

        upload(self.client, self, csv_bytes(self.survey), csv_bytes(self.margins))
        estimation_run_execute(EstimationRun.objects.get().pk)
        self.assertEqual(Edition.objects.count(), 1)


class OpenDataAccessTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from django.utils import timezone

        from omzien.reports.services import demo_edition_create

        demo_geography_load()
        cls.edition = demo_edition_create(year=2024, lonely_share=0.35, respondents=800, seed=3, now=timezone.now(),
                                          publish=False)  # fmt: skip

    def test_an_unpublished_edition_is_not_open_data(self) -> None:
        for name in ("reports:api_edition", "reports:edition_csv"):
            self.assertEqual(self.client.get(reverse(name, args=[self.edition.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("reports:api_editions")).json(), [])

    def test_the_api_is_in_the_openapi_document(self) -> None:
        schema = self.client.get(reverse("api_schema"), {"format": "json"}).json()
        self.assertIn("/api/monitor/edities/", schema["paths"])
        detail = schema["paths"]["/api/monitor/edities/{id}/"]["get"]
        self.assertEqual({p["name"] for p in detail["parameters"]} >= {"level", "indicator", "area_code"}, True)

        def resolve(node: dict) -> dict:  # type: ignore[type-arg]
            return schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node

        # The responses are described field by field: what an open-data user needs to read the figures.
        listed = resolve(schema["paths"]["/api/monitor/edities/"]["get"]["responses"]["200"]["content"]
                         ["application/json"]["schema"])  # fmt: skip
        self.assertEqual(listed["type"], "array")
        self.assertLessEqual({"id", "title", "fieldwork_date", "method", "code_version", "csv_url"},
                             set(resolve(listed["items"])["properties"]))  # fmt: skip
        edition = resolve(detail["responses"]["200"]["content"]["application/json"]["schema"])
        figure = resolve(edition["properties"]["figures"]["items"])["properties"]
        self.assertLessEqual({"level", "area_code", "indicator", "kind", "respondents", "estimate", "se", "ci_low",
                              "ci_high", "mse"}, set(figure))  # fmt: skip
        self.assertIn("suppressed", figure["kind"]["description"])
        self.assertIn("95 %", figure["ci_low"]["description"])

# SPDX-License-Identifier: EUPL-1.2
"""Writes of the reports room: estimation runs, editions (created once, never edited), publication."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from omzien import policy
from omzien.monitor.files import table_read
from omzien.monitor.survey import OUTPUT_COLUMNS, SurveyError
from omzien.reports.estimation import METHOD, STEPS_PER_LEVEL, EditionRows, code_version, edition_rows
from omzien.reports.models import Edition, EstimationRun, Figure, Publication
from omzien.wellbeing.answers import DEFAULT_MISSING, normalise, parse_codes
from omzien.wellbeing.bulk import BulkInputError, columns_rename
from omzien.wellbeing.instruments import DJG11
from omzien.wellbeing.services import scoring_rules

ITEM_COLUMNS = [f"item_{item.number}" for item in DJG11.items]
FIGURE_FIELDS = [name for name in OUTPUT_COLUMNS if name not in ("instrument", "source", "year")]


def estimation_settings(*, levels: list[str], min_cell: int | None = None, direct_min: int | None = None,
                        codes: str = "", rename: str = "", missing: str = "") -> dict[str, Any]:  # fmt: skip
    """The settings an edition is estimated with (and stored with): the given values or the installation's."""
    return {
        "levels": levels,
        "min_cell": min_cell if min_cell is not None else policy.get("publication.min_cell_size"),
        "direct_min": direct_min if direct_min is not None else settings.OMZIEN_MONITOR_DIRECT_MIN_RESPONDENTS,
        "scoring_rules": scoring_rules("djg11"),
        "codes": codes,
        "map": rename,
        "missing": missing or ",".join(DEFAULT_MISSING),
        "instrument": "djg11",
    }


def _rename(spec: str) -> dict[str, str]:
    pairs = [part.strip() for part in spec.replace("\n", ",").split(",") if part.strip()]
    bad = [part for part in pairs if "=" not in part]
    if bad:
        raise SurveyError([f"column renames take OLD=NEW, not {', '.join(bad)}"])
    return dict(part.split("=", 1) for part in pairs)


def frames_estimate(survey_frame: Any, margins_frame: Any, estimation: dict[str, Any],
                    progress: Any = None) -> EditionRows:  # fmt: skip
    """Run the core with stored settings; raise SurveyError (also for a bad rename or code list)."""
    try:
        codes = parse_codes(estimation["codes"])
        survey_frame = columns_rename(survey_frame, _rename(estimation["map"]))
    except (ValueError, BulkInputError) as error:
        if isinstance(error, SurveyError):
            raise
        raise SurveyError([str(error)]) from None
    # The core checks area, age and sex but would stop on a missing answer column or an empty file with
    # a bare KeyError; the officer gets the columns named instead.
    absent = [name for name in ITEM_COLUMNS if name not in survey_frame.columns]
    if absent:
        raise SurveyError([f"survey: missing column(s) {', '.join(absent)} (the DJG-11 answers; other column "
                           "names can be mapped with OLD=NEW)"])  # fmt: skip
    if survey_frame.height == 0:
        raise SurveyError(["survey: the file has no respondents (only a header row)"])
    missing = tuple(normalise(value) for value in estimation["missing"].split(","))
    return edition_rows(survey_frame, margins_frame, levels=estimation["levels"], min_cell=estimation["min_cell"],
                        direct_min=estimation["direct_min"], rules=estimation["scoring_rules"], codes=codes,
                        missing=missing, progress=progress)  # fmt: skip


@transaction.atomic
def edition_create(*, title: str, fieldwork_date: date, source: str, source_detail: str, estimation: dict[str, Any],
                   result: EditionRows, created_by: Any, now: datetime) -> Edition:  # fmt: skip
    """Store one edition with all the core's rows; it is never changed afterwards."""
    edition = Edition.objects.create(
        title=title, fieldwork_date=fieldwork_date, source=source, source_detail=source_detail, method=METHOD,
        settings=estimation, code_version=code_version(), area_levels=",".join(result.levels), waves=result.waves,
        respondents=result.respondents, created_at=now, created_by=created_by,
    )  # fmt: skip
    Figure.objects.bulk_create(
        (Figure(edition=edition, **{name: ("" if row[name] is None and name in ("area_code", "wave", "note")
                                           else row[name]) for name in FIGURE_FIELDS})
         for row in result.rows if row["kind"] != "reference"),
        batch_size=2000,
    )  # fmt: skip
    return edition


def edition_publish(*, edition: Edition, acting_user: Any, now: datetime | None = None) -> Publication:
    """Make an edition open data (public API and CSV); publishing twice changes nothing."""
    publication, _created = Publication.objects.get_or_create(
        edition=edition, defaults={"published_at": now or timezone.now(), "published_by": acting_user}
    )
    return publication


def estimation_run_create(*, survey: Any, margins: Any, title: str, fieldwork_date: date, levels: list[str],
                          codes: str, rename: str, acting_user: Any,
                          source: str = Edition.Source.UPLOAD) -> EstimationRun:  # fmt: skip
    """Keep the uploaded files and queue the estimation; the page follows the run's progress."""
    from omzien.reports.tasks import estimate_edition

    estimation = estimation_settings(levels=levels, codes=codes, rename=rename)
    run = EstimationRun.objects.create(
        parameters={"title": title, "fieldwork_date": fieldwork_date.isoformat(), "estimation": estimation,
                    "source": source},  # fmt: skip
        steps=2 + STEPS_PER_LEVEL * len(levels), step_label="queued", survey_name=survey.name[:200],
        margins_name=margins.name[:200], survey_file=b"".join(survey.chunks()), margins_file=b"".join(margins.chunks()),
        created_at=timezone.now(), created_by=acting_user,
    )  # fmt: skip
    transaction.on_commit(lambda: estimate_edition.enqueue(run_id=run.pk))
    return run


def _progress(run: EstimationRun, label: str) -> None:
    run.step = min(run.step + 1, run.steps - 1)
    run.step_label = label[:80]
    EstimationRun.objects.filter(pk=run.pk).update(step=run.step, step_label=run.step_label, status=run.status)


def _run_failed(run: EstimationRun, problems: list[str]) -> EstimationRun:
    EstimationRun.objects.filter(pk=run.pk).update(
        status=EstimationRun.Status.FAILED, problems=problems, survey_file=None, margins_file=None,
        finished_at=timezone.now(), step_label="failed",
    )  # fmt: skip
    run.refresh_from_db()
    return run


def estimation_run_execute(run_id: int) -> EstimationRun:
    """Read the run's files, estimate, store the edition; on any problem store nothing but the problems."""
    run = EstimationRun.objects.get(pk=run_id)
    if run.finished:
        return run  # a task delivered twice does nothing the second time
    run.status = EstimationRun.Status.RUNNING
    _progress(run, "reading")
    estimation = run.parameters["estimation"]
    try:
        with tempfile.TemporaryDirectory() as folder:
            frames = []
            for name, content in ((run.survey_name, run.survey_file), (run.margins_name, run.margins_file)):
                path = Path(folder) / ("upload" + Path(name).suffix.lower())
                path.write_bytes(bytes(content or b""))
                frames.append(table_read(path, name=name))
        result = frames_estimate(frames[0], frames[1], estimation, progress=lambda label: _progress(run, label))
    except (SurveyError, BulkInputError) as error:
        return _run_failed(run, error.problems if isinstance(error, SurveyError) else [str(error)])
    except Exception:
        # A fault of ours, not of the files: the run must not wait for ever; the task's log has the trace.
        _run_failed(run, ["The calculation stopped on an unexpected error; the administrator can see it in the log."])
        raise
    with transaction.atomic():
        edition = edition_create(
            title=run.parameters["title"], fieldwork_date=date.fromisoformat(run.parameters["fieldwork_date"]),
            source=run.parameters.get("source", Edition.Source.UPLOAD),
            source_detail=f"{run.survey_name}; {run.margins_name}",
            estimation=estimation, result=result, created_by=run.created_by, now=timezone.now(),
        )  # fmt: skip
        EstimationRun.objects.filter(pk=run.pk).update(
            status=EstimationRun.Status.DONE, step=run.steps, step_label="done", edition=edition, survey_file=None,
            margins_file=None, finished_at=timezone.now(),
        )  # fmt: skip
    run.refresh_from_db()
    return run


def demo_estimation_run_create(*, fieldwork_date: date, acting_user: Any) -> EstimationRun:
    """The demo's synthetic health-monitor survey as files, estimated in the background like an upload."""
    from io import BytesIO

    from django.core.files.base import ContentFile

    from omzien.geo.models import Neighbourhood
    from omzien.reports import demo

    buurten = [(code, population or 1000) for code, population in
               Neighbourhood.objects.order_by("code").values_list("code", "population")]  # fmt: skip
    seed = fieldwork_date.year * 100 + EstimationRun.objects.count() % 100
    files = []
    for name, frame in (
        (f"synthetische-enquete-{fieldwork_date.year}.csv",
         demo.survey_frame(buurten, respondents=6000, lonely_share=0.36, seed=seed)),
        ("synthetische-marges.csv", demo.margins_frame(buurten)),
    ):  # fmt: skip
        buffer = BytesIO()
        frame.write_csv(buffer)
        files.append(ContentFile(buffer.getvalue(), name=name))
    return estimation_run_create(
        survey=files[0], margins=files[1], title=f"Gezondheidsmonitor {fieldwork_date.year} (synthetisch)",
        fieldwork_date=fieldwork_date, levels=["wijk", "buurt"], codes="", rename="", acting_user=acting_user,
        source=Edition.Source.DEMO,
    )  # fmt: skip


def demo_edition_create(*, year: int, lonely_share: float, respondents: int, seed: int, now: datetime,
                        publish: bool = True) -> Edition:  # fmt: skip
    """Estimate and store one edition of the synthetic health-monitor survey over the loaded geography."""
    from omzien.geo.models import Neighbourhood
    from omzien.reports import demo

    buurten = [(code, population or 1000) for code, population in
               Neighbourhood.objects.order_by("code").values_list("code", "population")]  # fmt: skip
    estimation = estimation_settings(levels=["wijk", "buurt"])
    result = frames_estimate(
        demo.survey_frame(buurten, respondents=respondents, lonely_share=lonely_share, seed=seed),
        demo.margins_frame(buurten), estimation,
    )  # fmt: skip
    edition = edition_create(
        title=f"Gezondheidsmonitor {year} (synthetisch)", fieldwork_date=date(year, 10, 1), source=Edition.Source.DEMO,
        source_detail=f"demo survey, seed {seed}", estimation=estimation, result=result, created_by=None, now=now,
    )  # fmt: skip
    if publish:
        edition_publish(edition=edition, acting_user=None, now=now)
    return edition


# --- The council report ------------------------------------------------------------------------------------


def council_document_html(figures: dict[str, Any], *, report: Any = None, language: str = "nl") -> str:
    """The council report as one HTML document (Dutch by default), drawn only from the stored ``figures``."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.dateparse import parse_datetime

    from omzien.reports.council import presentation

    with translation.override(language):
        title = _council_title(figures)
        context = {"figures": figures, "report": report, "language": language, "report_title": title,
                   "made_at": parse_datetime(figures["made_at"]), "municipality": _municipality(),
                   **presentation(figures)}  # fmt: skip
        return render_to_string("reports/council_document.html", context)


def _municipality() -> str:
    from omzien.geo.models import Municipality

    name = Municipality.objects.values_list("name", flat=True).first()
    return f"Gemeente {name}" if name else "Gemeente"


def _council_title(figures: dict[str, Any]) -> str:
    from django.utils.translation import gettext

    return gettext("Loneliness and the approach: figures for the council (%(edition)s)") % {
        "edition": figures["edition"]["title"]
    }


def council_document_pdf(html: str) -> bytes:
    """The report as an accessible PDF: tagged (PDF/UA-1: structure tree, language, alternative texts), A4."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return pdf


def council_report_create(*, edition: Edition, acting_user: Any, now: datetime | None = None,
                          records: list[Any] | None = None) -> Any:  # fmt: skip
    """Queue a council report on this edition; the figures are gathered and the PDF made in the background.

    ``records`` (outcome records) are for the command and tests that bring their own; the page uses casework's.
    """
    from omzien.reports.models import CouncilReport
    from omzien.reports.tasks import make_council_report

    report = CouncilReport.objects.create(
        title=f"Raadsinformatiebrief eenzaamheid — {edition.title}", edition=edition, edition_ids=[edition.pk],
        parameters={"min_cell": policy.get("publication.min_cell_size")}, created_at=now or timezone.now(),
        created_by=acting_user, code_version=code_version(),
    )  # fmt: skip
    if records is not None:
        return council_report_execute(report.pk, records=records)
    transaction.on_commit(lambda: make_council_report.enqueue(report_id=report.pk))
    return report


def council_report_execute(report_id: int, *, records: list[Any] | None = None) -> Any:
    """Gather the aggregates, render the HTML and the PDF, store them; on a failure store only that it failed."""
    from omzien.reports.council import council_figures
    from omzien.reports.models import CouncilReport

    report = CouncilReport.objects.select_related("edition").get(pk=report_id)
    if report.finished:
        return report  # a task delivered twice does nothing the second time
    CouncilReport.objects.filter(pk=report.pk).update(status=CouncilReport.Status.RUNNING)
    try:
        # The letter is Dutch: the stored figures' labels (the rooms' section titles among them) too,
        # whatever language the request or the worker that runs this task happens to be in.
        with translation.override("nl"):
            figures = council_figures(edition=report.edition, now=timezone.now(), records=records,
                                      min_cell=report.parameters.get("min_cell"))  # fmt: skip
        html = council_document_html(figures, report=report)
        pdf = council_document_pdf(html)
    except Exception:
        CouncilReport.objects.filter(pk=report.pk).update(
            status=CouncilReport.Status.FAILED, finished_at=timezone.now(),
            problem="The report stopped on an unexpected error; the administrator can see it in the log.",
        )  # fmt: skip
        raise
    CouncilReport.objects.filter(pk=report.pk).update(
        status=CouncilReport.Status.DONE, figures=figures, html=html, pdf=pdf, finished_at=timezone.now(),
        edition_ids=figures["edition_ids"],
    )  # fmt: skip
    report.refresh_from_db()
    return report


# --- What-if scenarios -------------------------------------------------------------------------------------


def whatif_scenario_create(*, change: Any, name: str, acting_user: Any, now: datetime | None = None) -> Any:
    """Plan the change with the matching engine (nothing live changes) and save the counts as a scenario."""
    from dataclasses import asdict

    from omzien.reports.models import WhatIfScenario
    from omzien.reports.whatif import whatif_results

    results = whatif_results(change)
    return WhatIfScenario.objects.create(
        name=name[:120], parameters={"kind": "places", **asdict(change)}, results=results,
        created_at=now or timezone.now(), created_by=acting_user,
    )  # fmt: skip


def whatif_volunteers_scenario_create(*, change: Any, name: str, acting_user: Any, now: datetime | None = None) -> Any:
    """Plan M more (or fewer) volunteers with the matching engine (nothing live changes); save the counts."""
    from dataclasses import asdict

    from omzien.reports.models import WhatIfScenario
    from omzien.reports.whatif import whatif_volunteers_results

    results = whatif_volunteers_results(change)
    return WhatIfScenario.objects.create(
        name=name[:120], parameters={"kind": "volunteers", **asdict(change)}, results=results,
        created_at=now or timezone.now(), created_by=acting_user,
    )  # fmt: skip

# SPDX-License-Identifier: EUPL-1.2
"""`omzien report council --edition ID -o report.pdf|report.html`: the council report, made as the page makes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Make a report for the council from a monitor edition and today's aggregates (PDF or HTML)."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="council")
        council = kinds.add_parser("council", help="the council information letter (raadsinformatiebrief)")
        council.add_argument("--edition", type=int, required=True, help="id of the monitor edition")
        council.add_argument("-o", "--output", required=True, help="file to write: .pdf or .html")
        council.add_argument("--language", default="nl", choices=["nl", "en"], help="language of the report (nl)")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        from omzien.reports.council import council_figures
        from omzien.reports.models import CouncilReport, Edition
        from omzien.reports.services import code_version, council_document_html, council_document_pdf

        output = Path(options["output"])
        if output.suffix.lower() not in (".pdf", ".html", ".htm"):
            raise CommandError(f"--output must end in .pdf or .html, not {output.name!r}")
        if not output.parent.exists():
            raise CommandError(f"the folder {output.parent} does not exist")
        edition = Edition.objects.filter(pk=options["edition"]).first()
        if edition is None:
            known = ", ".join(f"{e.pk} ({e.title})" for e in Edition.objects.all()[:10]) or "none"
            raise CommandError(f"there is no monitor edition {options['edition']}; editions: {known}")
        now = timezone.now()
        figures = council_figures(edition=edition, now=now)
        report = CouncilReport(title=f"Raadsinformatiebrief eenzaamheid — {edition.title}", edition=edition,
                               edition_ids=figures["edition_ids"], figures=figures, created_at=now,
                               code_version=code_version(), status=CouncilReport.Status.DONE)  # fmt: skip
        html = council_document_html(figures, language=options["language"])
        if output.suffix.lower() == ".pdf":
            report.pdf = council_document_pdf(html)
            output.write_bytes(bytes(report.pdf))
        else:
            output.write_text(html, encoding="utf-8")
        report.html, report.finished_at = html, timezone.now()
        report.save()
        self.stdout.write(f"{output}: council report {report.pk} on edition {edition.pk} ({edition.title})")

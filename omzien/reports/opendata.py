# SPDX-License-Identifier: EUPL-1.2
"""The edition's open data as CSV: the statistical core's columns, suppressed rows without numbers."""

from __future__ import annotations

from django.http import HttpResponse

from omzien.lib import csv_safe
from omzien.reports.models import Edition
from omzien.reports.selectors import open_data_rows

COLUMNS = ("level", "area_code", "wave", "indicator", "kind", "respondents", "estimate", "se", "ci_low", "ci_high",
           "mse", "note")  # fmt: skip


def _cell(value: object) -> object:
    return "" if value is None else value


def csv_response(edition: Edition) -> HttpResponse:
    """Return the edition's figures as a CSV download (UTF-8 with BOM, so Excel reads the accents)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="eenzaamheidsmonitor-{edition.pk}.csv"'
    response.write("\ufeff")
    writer = csv_safe.writer(response)  # a wave name comes from an uploaded file: no formulas
    writer.writerow(COLUMNS)
    for row in open_data_rows(edition):
        writer.writerow([_cell(row[name]) for name in COLUMNS])
    return response

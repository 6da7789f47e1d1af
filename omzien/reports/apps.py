# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The policy officer's room: monitor editions, maps and charts, open data (aggregates only)."""

    name = "omzien.reports"
    verbose_name = _("Reports")

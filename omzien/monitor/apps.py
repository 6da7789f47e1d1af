# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    """The loneliness monitor's statistics: weighting, estimates with uncertainty, small areas."""

    name = "omzien.monitor"
    verbose_name = _("Loneliness monitor")

# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    """Loneliness measurement: the validated scales, one scoring engine, bulk scoring."""

    name = "omzien.wellbeing"
    verbose_name = _("Loneliness measurement")

# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """The sociale kaart: activities with live capacity, registration, waiting lists, attendance."""

    name = "omzien.activities"
    verbose_name = _("Activities")

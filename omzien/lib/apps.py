# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class LibConfig(AppConfig):
    """The ground floor's tools; its only table is the throttles' counters (``models.RateCounter``)."""

    name = "omzien.lib"
    label = "lib"
    default_auto_field = "django.db.models.BigAutoField"

# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """One optimal, explainable matching engine for places, visits, buddies and meal hosts."""

    name = "omzien.matching"
    verbose_name = _("Matching")

# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """Residents' AVG rights (requests, export, erasure), retention, and the statements a municipal site publishes."""

    name = "omzien.rights"
    verbose_name = _("Privacy rights")
    default_auto_field = "django.db.models.BigAutoField"

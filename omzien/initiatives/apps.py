# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    """Residents' initiatives and their fund, community centres and their rooms, the social broker's network."""

    name = "omzien.initiatives"
    verbose_name = _("Residents' initiatives")
    default_auto_field = "django.db.models.BigAutoField"

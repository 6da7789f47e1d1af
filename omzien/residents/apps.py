# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    """The person record everything hangs on, the consents and who may see whom."""

    name = "omzien.residents"
    verbose_name = _("Residents")

# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Site-wide pages: home, health, errors; the ``tick`` and ``config_docs`` commands."""

    name = "omzien.core"
    verbose_name = _("Omzien")

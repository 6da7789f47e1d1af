# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HsdsConfig(AppConfig):
    """The directory as an open API: Open Referral HSDS 3.0 (with 3.1's service capacity)."""

    name = "omzien.hsds"
    verbose_name = _("Open Referral API")

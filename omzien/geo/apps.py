# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    """Geography: municipality → district (wijk) → neighbourhood (buurt), and postcodes."""

    name = "omzien.geo"
    verbose_name = _("Geography")

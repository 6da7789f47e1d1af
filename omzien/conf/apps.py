# SPDX-License-Identifier: EUPL-1.2
"""App configurations for Django's own apps, adapted to Omzien (kept free of model imports)."""

from django.contrib.admin.apps import AdminConfig


class OmzienAdminConfig(AdminConfig):
    default_site = "omzien.conf.admin.OmzienAdminSite"

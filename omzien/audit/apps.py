# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The NEN 7513 access log: append-only, hash-chained, one entry per person record touched."""

    name = "omzien.audit"
    verbose_name = _("Audit log")

# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running Omzien: encrypted backups, restores that keep erasures erased, the erasure journal."""

    name = "omzien.operations"
    verbose_name = _("Operations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from omzien.operations import journal

        journal.connect()

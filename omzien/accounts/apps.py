# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Organisations, user accounts, roles, login with a second factor, sessions."""

    name = "omzien.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from omzien.accounts import signals  # noqa: F401 - connects the audit and session handlers

# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Organisations, user accounts, roles, login with a second factor, sessions."""

    name = "omzien.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from omzien.accounts import signals  # noqa: F401 - connects the audit and session handlers
        from omzien.accounts.roles import user_role
        from omzien.lib.access import role_resolver_set

        # lib and audit sit below accounts: they learn the role in use through this registration.
        role_resolver_set(user_role)

        # After every migrate (and every test-database flush) the roles are put back as the table says.
        post_migrate.connect(signals.roles_sync_after_migrate, sender=self, dispatch_uid="omzien_roles_sync")

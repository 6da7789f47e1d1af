# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "omzien.policy"
    verbose_name = _("Municipal policy")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from omzien.policy.models import Policy

        # A key a room declares after the first migration gets its row (with the default) here.
        post_migrate.connect(_sync_after_migrate, sender=self, dispatch_uid="omzien_policy_sync")
        post_save.connect(_invalidate, sender=Policy, dispatch_uid="omzien_policy_invalidate_save")
        post_delete.connect(_invalidate, sender=Policy, dispatch_uid="omzien_policy_invalidate_delete")


def _invalidate(sender: Any, **kwargs: Any) -> None:
    from omzien.policy.store import clear_cache

    clear_cache()


def _sync_after_migrate(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    from omzien.policy.store import sync

    try:
        (apps or global_apps).get_model("policy", "Policy")
    except LookupError:
        return  # the policy table is not there (migrated back to before it)

    sync(using=kwargs.get("using") or "default")

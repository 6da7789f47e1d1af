# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """The sociale kaart: activities with live capacity, registration, waiting lists, attendance."""

    name = "omzien.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # After every migrate (and every test-database flush) the starting terms are put back.
        post_migrate.connect(_taxonomy_sync_after_migrate, sender=self, dispatch_uid="omzien_taxonomy_sync")


def _taxonomy_sync_after_migrate(sender: object, **kwargs: object) -> None:
    from django.apps import apps as installed

    from omzien.activities.taxonomy import taxonomy_sync

    state: Any = kwargs.get("apps") or installed
    try:
        state.get_model("activities", "Term")
    except LookupError:
        return  # migrated back to before the activities room: nothing to put back
    taxonomy_sync(state)

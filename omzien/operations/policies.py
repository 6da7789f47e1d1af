# SPDX-License-Identifier: EUPL-1.2
"""The municipal policy the operations room reads: how long finished background tasks are kept."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import PolicyDecl

TASK_RESULT_RETENTION = PolicyDecl(
    key="operations.task_result_retention",
    label=_("How long a finished background task (such as an e-mail, with its address and text) is kept"),
    kind="duration_days",
    default=timedelta(days=7),
    help_text=_(
        "Counted from when the task finished. Long enough to find out why an e-mail did not arrive; an "
        "e-mail's address and text are personal data, so after this period the task is removed."
    ),
)

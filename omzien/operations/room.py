# SPDX-License-Identifier: EUPL-1.2
"""The operations room has no pages, roles or personal records of its own: the commands
(`omzien backup`, `omzien restore`), the erasure journal (docs/deployment.md), and what the task queue
keeps about people (its retention rule and erasure step)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import ErasureStep, RetentionRule, Room
from omzien.operations.policies import TASK_RESULT_RETENTION


def _expire(now: Any, dry_run: bool) -> int:
    from omzien.operations.tasks_kept import task_results_expire

    return task_results_expire(now, dry_run)


def _erase(resident: Any) -> Any:
    from omzien.operations.tasks_kept import resident_mail_erase

    return resident_mail_erase(resident)


ROOM = Room(
    label="operations",
    retention=(
        RetentionRule(
            key="task_results",
            description=TASK_RESULT_RETENTION.label,
            policy_key=TASK_RESULT_RETENTION.key,
            default=TASK_RESULT_RETENTION.default,
            apply=_expire,
            basis="AVG art. 5(1)(c) and (e)",
        ),
    ),
    erasure=(
        ErasureStep(
            "queued_and_sent_mail",
            _erase,
            labels={"emails": _("E-mails to the resident (sent or waiting) removed")},
        ),
    ),
)

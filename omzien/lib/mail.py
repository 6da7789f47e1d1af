# SPDX-License-Identifier: EUPL-1.2
"""E-mail as a background task (Django's tasks API, via django-tasks): every room sends mail through it."""

from __future__ import annotations

from django.core.mail import send_mail

from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail outside the request; return how many were sent.

    Services enqueue this with ``transaction.on_commit`` so no mail leaves for a rolled-back action.
    """
    return send_mail(subject, body, None, to, fail_silently=False)

# SPDX-License-Identifier: EUPL-1.2
"""Periodic housekeeping that belongs to no domain room."""

from django.contrib.sessions.models import Session
from django.utils import timezone

from omzien.lib.tick import periodic_job


@periodic_job("clear_expired_sessions", "Delete sessions whose expiry date has passed.")
def clear_expired_sessions() -> int:
    deleted, _per_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted

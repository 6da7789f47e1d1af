# SPDX-License-Identifier: EUPL-1.2
"""Counters of the throttles: one row per (scope, keyed client or account) and time window."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """How often a key was hit in the window that ends at ``window_ends``.

    The key is an HMAC of the scope and the client's address or account name, so the table holds
    no address or user name. Counting is an UPDATE ... SET count = count + 1: atomic on SQLite and
    PostgreSQL, so parallel requests cannot slip past the limit (a cache's get-then-set could).
    """

    key = models.CharField(max_length=64, unique=True)
    window_ends = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.count} until {self.window_ends:%H:%M:%S}"

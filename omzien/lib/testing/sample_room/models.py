# SPDX-License-Identifier: EUPL-1.2
"""The sample room's one model, there for its permission (its table is never created: the room is
installed after the test database was migrated, and nothing queries it)."""

from django.db import models


class Visit(models.Model):
    note = models.CharField(max_length=200)

    class Meta:
        permissions = [("plan_visit", "Can plan a neighbourhood visit")]

    def __str__(self) -> str:
        return self.note

# SPDX-License-Identifier: EUPL-1.2
"""One row per piece of municipal policy; its history (who changed it, when, why) kept by simple-history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords


class Policy(models.Model):
    """The current value of one declared policy key (its label, kind and default live in the room's
    ``PolicyDecl``; the value is stored as JSON: numbers as numbers, decimals as text, durations as a
    number of hours or days)."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    value = models.JSONField(_("value"))
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords(
        verbose_name=_("policy change"),
        verbose_name_plural=_("policy changes"),
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("policy value")
        verbose_name_plural = _("policy values")

    def __str__(self) -> str:
        from omzien.policy.store import declaration

        decl = declaration(self.key)
        return str(decl.label) if decl else self.key

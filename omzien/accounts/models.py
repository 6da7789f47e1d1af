# SPDX-License-Identifier: EUPL-1.2
"""Organisations and user accounts."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from omzien.geo.models import Neighbourhood
from omzien.lib.rooms import rooms


def organisation_kind_choices() -> list[tuple[str, Any]]:
    """The kinds of organisation the installed rooms declare (a callable: a room adds kinds without a
    migration here)."""
    return [(str(decl.value), decl.label) for room in rooms() for decl in room.organisation_kinds]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        # The kinds every installation has (declared by the accounts room); other rooms add theirs.
        MUNICIPALITY = "gemeente", _("municipality")
        NEIGHBOURHOOD_TEAM = "buurtteam", _("neighbourhood team")
        VOLUNTEER_ORGANISATION = "vrijwilligersorganisatie", _("volunteer organisation")
        ACTIVITY_PROVIDER = "activiteitenaanbieder", _("activity provider")
        WELFARE_ORGANISATION = "welzijnsorganisatie", _("welfare organisation (social brokers)")
        HELPLINE = "hulplijn", _("helpline")
        MEAL_COORDINATION = "eet-mee-coordinatie", _("shared-meal coordination")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=organisation_kind_choices)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # A buurtteam answers for a set of buurten; contact requests from those buurten go to it.
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="responsible_organisations", verbose_name=_("neighbourhoods")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An account. Its role is its group (see ``accounts.roles``); staff belong to one organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]


class UserSession(models.Model):
    """Which sessions belong to which account, so deactivating an account can end all of them."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session of user {self.user_id}"

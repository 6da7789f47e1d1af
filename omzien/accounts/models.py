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


class RoleGrantRequest(models.Model):
    """A privileged change to an account that waits for a second administrator (four eyes).

    Giving a role that sees residents, changing an account's organisation, making it a superuser or
    removing its second factor (a lost authenticator app) takes effect only when another administrator
    than the one who asked (and than the account's owner) confirms it
    (``accounts.services.role_grant_confirm``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a second administrator")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grant_requests", verbose_name=_("account"))
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="grants_requested", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    add_roles = models.JSONField(_("roles to add"), default=list, blank=True)
    change_organisation = models.BooleanField(default=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("new organisation"),
    )  # fmt: skip
    make_superuser = models.BooleanField(_("make superuser"), default=False)
    remove_second_factor = models.BooleanField(_("remove the second factor"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="grants_decided",
        verbose_name=_("decided by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("role grant waiting for confirmation")
        verbose_name_plural = _("role grants waiting for confirmation")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"

    def summary(self) -> str:
        parts = [str(role) for role in self.add_roles]
        if self.change_organisation:
            parts.append(f"{_('organisation')}: {self.organisation or '—'}")
        if self.make_superuser:
            parts.append(str(_("superuser")))
        if self.remove_second_factor:
            parts.append(str(_("remove the second factor")))
        return ", ".join(parts)


class OidcIdentity(models.Model):
    """How a resident who logs in with DigiD is recognised: a keyed hash of the identifier, never the BSN.

    ``subject_hash`` is HMAC-SHA256(``OMZIEN_OIDC_SUBJECT_KEY``, identifier) in hex (``accounts.oidc``): without
    the key, kept apart from the database, the hash cannot be turned back into a BSN by trying all nine-digit
    numbers. Made once, by a one-time link code from the neighbourhood team (the rights room).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="oidc_identity")
    subject_hash = models.CharField(max_length=64, unique=True)
    linked_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("DigiD login")
        verbose_name_plural = _("DigiD logins")

    def __str__(self) -> str:
        return f"DigiD login of user {self.user_id}"

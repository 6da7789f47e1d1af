# SPDX-License-Identifier: EUPL-1.2
"""Residents, their consents, and the links that give an organisation a reason to see them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import Organisation
from omzien.geo.models import Neighbourhood
from omzien.lib.rooms import LinkKindDecl, collector, rooms


class ContactPreference(models.TextChoices):
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    EMAIL = "email", _("e-mail")
    VISIT = "visit", _("home visit")


class Resident(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # For statistics and the access log: never shown next to the name, never derived from it.
    pseudo_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="resident"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    street = models.CharField(_("street and house number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, related_name="residents",
        verbose_name=_("neighbourhood"),
    )  # fmt: skip
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes, e.g. nl, ar, zh")
    )
    preferred_contact = models.CharField(
        _("preferred way of contact"),
        max_length=10,
        choices=ContactPreference.choices,
        default=ContactPreference.PHONE,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # AVG art. 18 granted (the rights room): the record is kept, read only by the responsible team, and no
    # new link (referral, registration, match) is opened; null when not restricted.
    restricted_since = models.DateTimeField(_("processing restricted since"), null=True, blank=True)
    # AVG art. 21 granted: the processings the resident objected to ("statistics", "matching"), which stop.
    objections = models.JSONField(_("objections granted"), default=list, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [
            # The few residents a processing must leave out (``selectors.processing_limited``, on every waiting
            # list and matching round): read from these small indexes, not by reading every resident.
            models.Index(fields=["restricted_since"], name="residents_restricted",
                         condition=models.Q(restricted_since__isnull=False)),
            models.Index(fields=["id"], name="residents_objected", condition=~models.Q(objections=[])),
        ]  # fmt: skip
        permissions = [
            ("record_consent", _("Can record a resident's consent")),
            ("view_aggregates", _("Can view aggregate figures about residents")),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ConsentPurpose(models.TextChoices):
    SUPPORT = "support", _("support from the neighbourhood team")
    SHARING = "sharing", _("sharing with a named partner organisation")
    STATISTICS = "statistics", _("anonymous statistics")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("verbally, in a conversation")
    PHONE = "phone", _("by phone")
    WRITTEN = "written", _("in writing")
    DIGITAL = "digital", _("online, by the resident")


class ConsentEvent(models.Model):
    """A consent given or withdrawn. Appended, never edited: the latest event per purpose counts."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consent_events")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="consents",
        verbose_name=_("partner organisation"), help_text=_("Only for sharing: the organisation it names."),
    )  # fmt: skip
    given = models.BooleanField(_("given"), help_text=_("False: withdrawn."))
    method = models.CharField(_("how"), max_length=10, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose="sharing", organisation__isnull=False)
                | (~models.Q(purpose="sharing") & models.Q(organisation__isnull=True)),
                name="consent_sharing_names_an_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {'given' if self.given else 'withdrawn'} ({self.recorded_at:%Y-%m-%d})"


@collector
def link_kinds() -> dict[str, LinkKindDecl]:
    """Every kind of resident link the installed rooms open (``LinkKindDecl``), by value."""
    found: dict[str, LinkKindDecl] = {}
    for room in rooms():
        for decl in room.link_kinds:
            if decl.value in found:
                raise ValueError(f"link kind {decl.value!r} is declared twice (second time by {room.label})")
            found[str(decl.value)] = decl
    return found


def link_kind_choices() -> list[tuple[str, Any]]:
    """The link kinds as field choices (a callable, so a room adds kinds without a migration here)."""
    return [(value, decl.label) for value, decl in link_kinds().items()]


class ResidentLink(models.Model):
    """Why an organisation (or one volunteer) may see a resident: a case, a referral, a registration, a match.

    The rooms that own these things (casework, volunteers, activities) declare the kinds they open
    (``LinkKindDecl`` in their room.py, with the fields each role sees through them) and open and end
    links through ``residents.services``; the access functions read only links and the declarations,
    so they need no other room.
    """

    class Kind(models.TextChoices):
        # The kinds of the first rooms; later rooms declare their own values in their room.py.
        CASE = "case", _("case at a neighbourhood team")
        REFERRAL = "referral", _("referral to an organisation")
        REQUEST = "request", _("the resident's own request to an organisation")
        REGISTRATION = "registration", _("registration for an activity")
        MATCH = "match", _("confirmed match with a volunteer or host")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=link_kind_choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="resident_links")
    # Only for a match: the one volunteer or host who may see what the match shares.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resident_links",
    )
    source = models.CharField(max_length=80, blank=True, help_text="e.g. 'casework.Case:12'")
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "kind", "ended_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="match") | models.Q(user__isnull=False),
                name="match_link_names_a_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} link to organisation {self.organisation_id}"

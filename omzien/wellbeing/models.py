# SPDX-License-Identifier: EUPL-1.2
"""Measurements of a resident's loneliness, and contact requests from the public self-test."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import Organisation
from omzien.geo.models import Neighbourhood
from omzien.residents.models import ContactPreference, Resident

# The scales' category codes (instruments.py, no Django there) as people read them.
CATEGORY_LABELS = {
    "not_lonely": _("not lonely"),
    "moderate": _("moderately lonely"),
    "severe": _("severely lonely"),
    "very_severe": _("very severely lonely"),
    "lonely": _("lonely"),  # UCLA-3's one cut-off
}


def category_label(code: str) -> str:
    """The category in the page's language (an unknown code as it is)."""
    return str(CATEGORY_LABELS.get(code, code))


class Measurement(models.Model):
    """One administered scale. Appended, never edited: a correction is a new row that supersedes."""

    class Context(models.TextChoices):
        INTAKE = "intake", _("intake")
        FOLLOW_UP = "follow_up", _("follow-up")
        AD_HOC = "ad_hoc", _("ad hoc")

    class Mode(models.TextChoices):
        CONVERSATION = "conversation", _("in a conversation")
        PHONE = "phone", _("by phone")
        SELF = "self", _("filled in by the resident (tablet)")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="measurements")
    instrument = models.CharField(_("instrument"), max_length=10)
    answers = models.JSONField(_("answers (engine codes, -128 missing)"))
    total = models.PositiveSmallIntegerField(_("total"), null=True)
    social = models.PositiveSmallIntegerField(_("social"), null=True)
    emotional = models.PositiveSmallIntegerField(_("emotional"), null=True)
    category = models.CharField(_("category"), max_length=20, blank=True)
    # The scoring rules that produced the score, as the engine applied them (scoring.Scores.rules);
    # empty for the unscored direct question and for measurements recorded before they were kept.
    scoring_rules = models.JSONField(_("scoring rules"), default=dict, blank=True)
    context = models.CharField(_("context"), max_length=10, choices=Context.choices)
    mode = models.CharField(_("how"), max_length=15, choices=Mode.choices)
    administered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.instrument} {self.total} ({self.recorded_at:%Y-%m-%d})"


class ContactRequest(models.Model):
    """'I want someone to contact me', from the self-test: routed to the buurtteam of the buurt."""

    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    preferred_contact = models.CharField(
        _("preferred way of contact"), max_length=10, choices=ContactPreference.choices
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="contact_requests"
    )
    # Shared with the request only because the person agreed to it in the same form.
    category = models.CharField(_("self-test result"), max_length=20, blank=True)
    social_lonely = models.BooleanField(null=True)
    emotional_lonely = models.BooleanField(null=True)
    consent_text = models.TextField(_("consent as shown"))
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")

    def __str__(self) -> str:
        return f"contact request {self.pk}"

    @property
    def category_label(self) -> str:
        return category_label(self.category)

# SPDX-License-Identifier: EUPL-1.2
"""Signals (zorgmeldingen) with their source, notes and history; the phone line's calls; partner tokens.

A signal is a worry about a resident, from whichever channel, routed to the buurtteam of the
resident's buurt. Its history is appended (``SignalEvent``, ``SignalNote``), never edited: the
council's figures and an audit of the triage can be rebuilt from the rows.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import Organisation
from omzien.geo.models import Neighbourhood
from omzien.residents.models import Resident
from omzien.wellbeing.models import ContactRequest


class Source(models.TextChoices):
    PUBLIC_FORM = "public_form", _("public form (neighbour, relative, acquaintance)")
    PARTNER = "partner", _("partner professional")
    PARTNER_API = "partner_api", _("partner system (API)")
    PHONE_LINE = "phone_line", _("phone line call")
    SELF_TEST = "self_test", _("the resident's own request (self-test)")
    SOCIAL_BROKER = "social_broker", _("social broker")
    VOLUNTEER = "volunteer", _("volunteer")
    FORWARDED = "forwarded", _("forwarded by another team")


class ReporterRelation(models.TextChoices):
    NEIGHBOUR = "neighbour", _("neighbour")
    RELATIVE = "relative", _("family member")
    FRIEND = "friend", _("friend or acquaintance")
    PROFESSIONAL = "professional", _("professional (GP, housing corporation, police, pharmacy, …)")
    SELF = "self", _("the resident themselves")
    OTHER = "other", _("someone else")


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("I don't know")


class Urgency(models.TextChoices):
    # The response deadline per urgency, in working days, is policy ("casework.deadline_working_days").
    URGENT = "urgent", _("urgent: within one working day")
    NORMAL = "normal", _("normal: within a few working days")


class Status(models.TextChoices):
    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    DECIDED = "decided", _("decided")


class Outcome(models.TextChoices):
    NEW_CASE = "new_case", _("new case")
    ADDED_TO_CASE = "added_to_case", _("added to an existing case")
    FORWARDED_TEAM = "forwarded_team", _("forwarded to another neighbourhood team")
    FORWARDED_VEILIG_THUIS = "forwarded_veilig_thuis", _("forwarded to Veilig Thuis")
    FORWARDED_CRISIS = "forwarded_crisis", _("forwarded to the crisis service")
    NO_ACTION = "no_action", _("no action")


# The five steps of the Meldcode huiselijk geweld en kindermishandeling (Wet verplichte meldcode, 2013;
# afwegingskader since 2019), recorded when a signal goes to Veilig Thuis or the crisis service.
MELDCODE_STEPS: tuple[tuple[str, Any], ...] = (
    ("step1", _("Step 1: the signs are written down")),
    ("step2", _("Step 2: colleagues consulted, and Veilig Thuis asked for advice if needed")),
    ("step3", _("Step 3: a conversation with the person concerned")),
    ("step4", _("Step 4: weighed with the assessment framework (afwegingskader)")),
    ("step5", _("Step 5: decided: organise help and/or report to Veilig Thuis")),
)


class Signal(models.Model):
    """A worry about a resident, from one source, in one team's queue until an outcome is decided."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What the reporter and the team quote on the phone; no personal data in it.
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # Who reports. A logged-in reporter is named by account and organisation; a public reporter by what
    # they typed. The reporter is never shown to the resident (AVG art. 14(2)(f) names only the source kind).
    reporter_relation = models.CharField(_("reporter"), max_length=20, choices=ReporterRelation.choices)
    reporter_name = models.CharField(_("reporter's name"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=40, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    reporter_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="reported_signals",
        verbose_name=_("reporter's organisation"),
    )  # fmt: skip
    reporter_organisation_name = models.CharField(_("reporter's organisation"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="reported_signals"
    )
    wants_closing_message = models.BooleanField(_("reporter wants a closing message"), default=False)
    # What was noticed, and the resident's side.
    concern = models.TextField(_("what was noticed"))
    resident_knows = models.CharField(_("the resident knows"), max_length=10, choices=Answer.choices)
    resident_agrees = models.CharField(_("the resident agrees"), max_length=10, choices=Answer.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    # The resident and how to reach them.
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    street = models.CharField(_("street"), max_length=150, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    how_to_reach = models.CharField(_("how to reach the resident"), max_length=300, blank=True)
    # Routing: postcode -> buurt -> team.
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="signals")
    received_at = models.DateTimeField(_("received"))
    deadline = models.DateField(_("respond by"))
    # Triage.
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_signals",
        verbose_name=_("assigned to"),
    )  # fmt: skip
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    meldcode = models.JSONField(_("Meldcode steps"), default=dict, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="signals"
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    forwarded_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="forwarded_to"
    )
    contact_request = models.OneToOneField(
        ContactRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="signal"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closing_message_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "received_at", "pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        permissions = [
            ("triage_signal", _("Can triage the signals of their own team")),
            ("report_signal", _("Can report a worry about a resident")),
        ]
        indexes = [
            # The team queue: open signals of one team by deadline (the benchmark's query).
            models.Index(fields=["team", "status", "deadline"], name="casework_signal_queue"),
            models.Index(fields=["reporter_organisation", "received_at"], name="casework_signal_partner"),
            models.Index(fields=["postcode", "house_number"], name="casework_signal_address"),
            # The duplicate check compares last names case-insensitively (iexact: UPPER(...) = UPPER(...)).
            models.Index(Upper("last_name"), "date_of_birth", name="casework_signal_person_upper"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="decided") | ~models.Q(outcome=""), name="casework_decided_has_outcome"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def resident_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def address(self) -> str:
        return " ".join(part for part in (self.street, self.house_number, self.postcode) if part)

    @property
    def is_open(self) -> bool:
        return self.status != Status.DECIDED


class SignalNote(models.Model):
    """A note a team member appends to a signal (never edited)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"note {self.pk} on signal {self.signal_id}"


class SignalEvent(models.Model):
    """One step in a signal's history: received, assigned, duplicate linked, decided, messages sent."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        ACKNOWLEDGED = "acknowledged", _("acknowledgement sent")
        ASSIGNED = "assigned", _("assigned")
        DUPLICATE_LINKED = "duplicate_linked", _("linked as likely duplicate")
        DECIDED = "decided", _("decided")
        CLOSING_MESSAGE = "closing_message", _("closing message sent")
        NOTICE_GIVEN = "notice_given", _("AVG art. 14 notice handed over")

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on signal {self.signal_id}"


class PhoneCall(models.Model):
    """A call to the 24/7 phone line, logged anonymously: nothing in it names or traces the caller."""

    class Topic(models.TextChoices):
        LONELINESS = "loneliness", _("loneliness")
        RELATIONSHIPS = "relationships", _("relationships and family")
        HEALTH = "health", _("health")
        MENTAL_HEALTH = "mental_health", _("worries and mental health")
        GRIEF = "grief", _("loss and grief")
        PRACTICAL = "practical", _("practical matters (money, housing)")
        OTHER = "other", _("other")

    class Advice(models.TextChoices):
        LISTENING = "listening", _("listening only")
        GP = "gp", _("advised to contact their GP")
        NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("referred to the neighbourhood team")
        ACTIVITY = "activity", _("pointed to an activity or volunteer organisation")
        CRISIS = "crisis", _("referred to 113 or emergency services")
        OTHER = "other", _("other advice")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="phone_calls")
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="phone_calls")
    started_at = models.DateTimeField(_("call started"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    topic = models.CharField(_("main topic"), max_length=20, choices=Topic.choices)
    loneliness_mentioned = models.BooleanField(_("loneliness mentioned"), default=False)
    advice = models.CharField(_("advice or referral"), max_length=20, choices=Advice.choices)
    # With the caller's consent the call became a signal (the caller's details are in the signal only).
    signal = models.OneToOneField(
        Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="phone_call"
    )
    logged_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("phone line call")
        verbose_name_plural = _("phone line calls")
        permissions = [("log_call", _("Can log phone line calls"))]

    def __str__(self) -> str:
        return f"call {self.pk}"


class PartnerToken(models.Model):
    """An organisation's key for the signals API. Only a SHA-256 of the key is stored; the key is shown
    once, when an administrator issues or rotates it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_tokens", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it, e.g. 'HIS practice Overvecht'."))
    prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces", editable=False
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["organisation__name", "-created_at"]
        verbose_name = _("partner API token")
        verbose_name_plural = _("partner API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class TokenUse(models.Model):
    """Every request made with a partner token (or with a key that matches none)."""

    token = models.ForeignKey(PartnerToken, on_delete=models.PROTECT, null=True, related_name="uses")
    at = models.DateTimeField(db_index=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=200)
    status = models.PositiveSmallIntegerField()
    signal = models.ForeignKey(Signal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    client_ip = models.GenericIPAddressField(null=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("partner API use")
        verbose_name_plural = _("partner API uses")

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"

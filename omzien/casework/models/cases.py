# SPDX-License-Identifier: EUPL-1.2
"""Cases: what a buurtteam does after a signal — intake with a network map, route advice from a versioned
rule table, closed-loop referrals, follow-up measurements, closing.

History is appended where the council's figures are rebuilt from it: route advice (proposal, decision
and the rule-table version), referral status changes (``ReferralEvent``), network maps (one per intake
or follow-up, never edited) and case events.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import Organisation
from omzien.activities.models import Activity, Registration, WaitingListEntry
from omzien.residents.models import ConsentEvent, Resident, ResidentLink
from omzien.wellbeing.models import Measurement


class Route(models.Model):
    """A route a professional can refer a resident to (the rows of the route rule table).

    The code is what the council's figures are grouped by: it never changes once referrals use it.
    The label of a default route is an English text translated on display; a route an administrator
    adds shows its label as typed.
    """

    class Kind(models.TextChoices):
        DAY_ACTIVITY = "day_activity", _("day activity (registration or waiting list)")
        PERSON = "person", _("a volunteer or host (a request the volunteer organisation matches)")
        DIRECTORY = "directory", _("a service from the directory")
        ORGANISATION = "organisation", _("another organisation")
        TEAM = "team", _("support by the neighbourhood team itself")

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("Never change it once used."))
    label = models.CharField(_("label"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=50)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("route")
        verbose_name_plural = _("routes")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return gettext(self.label)


class RouteTable(models.Model):
    """One version of the route rules. A published version is never edited: a change is a new version,
    so each stored advice names the rules it came from."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("route rule table")
        verbose_name_plural = _("route rule tables")

    def __str__(self) -> str:
        return gettext("version %(version)s") % {"version": self.version}

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class RouteRule(models.Model):
    """When the advice proposes a route, and the reason it gives."""

    class When(models.TextChoices):
        SOCIAL = "social", _("high social loneliness (social subscale at or above the cut-off)")
        EMOTIONAL = "emotional", _("high emotional loneliness (emotional subscale at or above the cut-off)")
        CARER = "carer", _("the resident is an informal carer")
        SEVERE_WITH_PROBLEMS = "severe_with_problems", _("severe loneliness together with other problems")
        LONELY = "lonely", _("any loneliness (moderate or worse)")

    table = models.ForeignKey(RouteTable, on_delete=models.CASCADE, related_name="rules")
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="rules", verbose_name=_("route"))
    when = models.CharField(_("when"), max_length=30, choices=When.choices)
    reason = models.CharField(_("reason shown"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=50)

    class Meta:
        ordering = ["table", "order", "pk"]
        verbose_name = _("route rule")
        verbose_name_plural = _("route rules")
        constraints = [
            models.UniqueConstraint(fields=["table", "route", "when"], name="casework_rule_once_per_table"),
        ]

    def __str__(self) -> str:
        return f"{self.route.code} when {self.when}"


class Stage(models.TextChoices):
    INTAKE = "intake", _("intake")
    ADVICE = "advice", _("route advice")
    REFERRED = "referred", _("referred")
    FOLLOW_UP = "follow_up", _("follow-up")
    CLOSED = "closed", _("closed")


class CloseReason(models.TextChoices):
    GOALS_MET = "goals_met", _("goals met")
    ROUTE_RUNNING = "route_running", _("the route runs well; no more support needed")
    DECLINED = "declined", _("the resident declined further support")
    UNREACHABLE = "unreachable", _("the resident could not be reached")
    MOVED = "moved", _("moved out of the team's area")
    OTHER_CARE = "other_care", _("transferred to other care")
    DIED = "died", _("the resident died")


class Barrier(models.TextChoices):
    MOBILITY = "mobility", _("mobility")
    LANGUAGE = "language", _("language")
    DIGITAL = "digital", _("digital skills")
    MONEY = "money", _("money")
    SHAME = "shame", _("shame")


BARRIER_LABELS = dict(Barrier.choices)


class Case(models.Model):
    """A resident's case at a buurtteam: opened from a signal (or directly), closed with a reason."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="cases")
    team = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases",
        verbose_name=_("professional"),
    )  # fmt: skip
    signal = models.ForeignKey(
        "casework.Signal", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    link = models.ForeignKey(ResidentLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.INTAKE)
    opened_at = models.DateTimeField(_("opened"))
    intake_due = models.DateField(_("intake due"))
    # The next date something is due (intake, follow-up): kept by the services so the client list sorts
    # and filters on one indexed column instead of computing it per row.
    next_due = models.DateField(_("next due"), null=True, blank=True)
    # The latest measurement's total and category, kept with the case for the client list (one row read).
    last_score = models.PositiveSmallIntegerField(_("last score"), null=True, blank=True)
    last_category = models.CharField(_("last category"), max_length=20, blank=True)
    last_measured_at = models.DateTimeField(null=True, blank=True)
    # Wmo 2015 art. 2.3.2: a request for a provision (melding) starts a six-week term for the investigation.
    wmo_melding_on = models.DateField(_("Wmo request (melding) received"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("handle_case", _("Can handle the cases of their own team"))]
        indexes = [
            # The client list and the worklists: a team's (or a professional's) open cases by what is due next, in
            # the list's own order, so a page is read from the index and stops after its rows. Without the id the
            # planner sorted every open case of the team, joined to all residents (50 ms at 100,000 residents).
            models.Index(fields=["team", "next_due", "id"], name="casework_case_team_open",
                         condition=models.Q(closed_at__isnull=True)),
            models.Index(fields=["professional", "next_due", "id"], name="casework_case_own_open",
                         condition=models.Q(closed_at__isnull=True)),
        ]  # fmt: skip
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True) | ~models.Q(close_reason=""), name="casework_closed_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


CASE_EVENT_LABELS = {
    "opened": _("case opened"), "signal_added": _("signal added to the case"), "assigned": _("assigned"),
    "intake": _("intake recorded"), "advice": _("route advice decided"), "referral": _("referral sent"),
    "referral_accepted": _("referral accepted"), "referral_declined": _("referral declined"),
    "referral_started": _("route started"), "referral_ended": _("route ended"), "follow_up": _("follow-up measured"), "follow_up_missed": _("follow-up not measured"),
    "follow_up_link": _("personal follow-up link made"), "wmo_melding": _("Wmo request recorded"),
    "closed": _("case closed"),
}  # fmt: skip


class CaseEvent(models.Model):
    """One step of a case: opened, intake, advice, referral, follow-up, Wmo request, closed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on case {self.case_id}"

    @property
    def label(self) -> str:
        return str(CASE_EVENT_LABELS.get(self.kind, self.kind))


class Intake(models.Model):
    """The intake conversation: interests, what the resident can offer, barriers, goals in their words."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="intake")
    measurement = models.ForeignKey(
        Measurement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    interests = models.TextField(_("interests"), blank=True)
    can_offer = models.TextField(_("what the resident can offer others"), blank=True)
    barriers = models.JSONField(_("barriers"), default=list, blank=True)
    barrier_note = models.TextField(_("about the barriers"), blank=True)
    goals = models.TextField(_("goals, in the resident's own words"))
    is_carer = models.BooleanField(_("the resident is an informal carer"), default=False)
    other_problems = models.BooleanField(_("other problems as well (debts, housing, health, care)"), default=False)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")

    def __str__(self) -> str:
        return f"intake of case {self.case_id}"

    @property
    def barrier_labels(self) -> list[str]:
        return [str(BARRIER_LABELS.get(code, code)) for code in self.barriers]


class NetworkMap(models.Model):
    """The people around the resident at one moment (intake or follow-up); never edited, compared over time."""

    class Context(models.TextChoices):
        INTAKE = "intake", _("intake")
        FOLLOW_UP = "follow_up", _("follow-up")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="network_maps")
    context = models.CharField(max_length=10, choices=Context.choices)
    follow_up = models.ForeignKey("FollowUp", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"network map {self.pk} of case {self.case_id}"


class NetworkTie(models.Model):
    """One person in a network map: who (as the resident calls them), how often they meet, the wish."""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("partner")
        FAMILY = "family", _("family")
        FRIEND = "friend", _("friend")
        NEIGHBOUR = "neighbour", _("neighbour")
        ACQUAINTANCE = "acquaintance", _("acquaintance, club or church")
        VOLUNTEER = "volunteer", _("volunteer")
        PROFESSIONAL = "professional", _("professional")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("(almost) daily")
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")
        RARELY = "rarely", _("a few times a year or less")

    class Wish(models.TextChoices):
        MORE = "more", _("wants more contact")
        SAME = "same", _("as it is")
        LESS = "less", _("wants less contact")

    network_map = models.ForeignKey(NetworkMap, on_delete=models.CASCADE, related_name="ties")
    name = models.CharField(_("who"), max_length=100)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    frequency = models.CharField(_("how often they meet"), max_length=10, choices=Frequency.choices)
    wish = models.CharField(_("wish"), max_length=10, choices=Wish.choices, default=Wish.SAME)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"tie {self.pk}"


class RouteAdvice(models.Model):
    """What Omzien proposed (with reasons, from one rule-table version) and what the professional decided."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="advices")
    table = models.ForeignKey(RouteTable, on_delete=models.PROTECT, related_name="advices")
    measurement = models.ForeignKey(Measurement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The plain inputs the rules were applied to (subscale flags, category, carer, other problems, barriers).
    inputs = models.JSONField(default=dict)
    # [{"route": code, "reasons": [...], "caveats": [...]}], in the order proposed.
    proposed = models.JSONField(default=list)
    chosen = models.JSONField(_("routes chosen"), default=list)
    note = models.TextField(_("why (when the choice differs from the proposal)"), blank=True)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"advice {self.pk} of case {self.case_id}"

    @property
    def proposed_codes(self) -> list[str]:
        return [item["route"] for item in self.proposed]


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    STARTED = "started", _("started")
    ENDED = "ended", _("ended")


class Referral(models.Model):
    """A referral of a resident to a route: sent → accepted / declined → started → ended, answered by the
    receiving organisation. Only what the resident consented to share travels with it."""

    Status = ReferralStatus

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="referrals")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    route = models.CharField(_("route"), max_length=40)  # a Route.code
    advice = models.ForeignKey(RouteAdvice, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals")
    target_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_received",
        verbose_name=_("organisation"),
    )  # fmt: skip
    # Another organisation outside Omzien, by name (it answers by phone; the professional records it).
    target_name = models.CharField(_("organisation (name)"), max_length=200, blank=True)
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals", verbose_name=_("activity")
    )
    registration = models.ForeignKey(Registration, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    waiting_entry = models.ForeignKey(
        WaitingListEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    reason = models.TextField(_("reason"), blank=True)
    message = models.TextField(_("message to the organisation"), blank=True)
    # The resident's fields and intake parts the resident agreed to share with the organisation.
    shared = models.JSONField(_("shared with the organisation"), default=list, blank=True)
    consent = models.ForeignKey(ConsentEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    link = models.ForeignKey(ResidentLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"))
    # The day from which an unanswered referral shows as stuck (N working days after sending, policy).
    stuck_on = models.DateField(_("stuck from"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        permissions = [("answer_referral", _("Can answer referrals to their own organisation"))]
        indexes = [
            models.Index(fields=["status", "stuck_on"], name="casework_referral_stuck"),
            models.Index(fields=["target_organisation", "status"], name="casework_referral_target"),
            models.Index(fields=["route", "sent_at"], name="casework_referral_route"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk} ({self.route})"

    @property
    def is_open(self) -> bool:
        return self.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.STARTED)

    @property
    def receiver_name(self) -> str:
        if self.activity_id and self.activity is not None:
            return self.activity.title
        if self.target_organisation_id and self.target_organisation is not None:
            return self.target_organisation.name
        return self.target_name


class ReferralEvent(models.Model):
    """A referral's status change (appended): who, when, why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=ReferralStatus.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.status} on referral {self.referral_id}"


class FollowUp(models.Model):
    """A re-measurement due some months after a route started (or after referral, while still waiting)."""

    class Basis(models.TextChoices):
        ROUTE_STARTED = "route_started", _("after the route started")
        WAITING = "waiting", _("after referral, still waiting for a route")

    class Status(models.TextChoices):
        OPEN = "open", _("due")
        DONE = "done", _("measured")
        MISSED = "missed", _("not measured")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="follow_ups")
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups")
    basis = models.CharField(_("counted from"), max_length=15, choices=Basis.choices)
    months = models.PositiveSmallIntegerField(_("months"))
    due_on = models.DateField(_("due"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    measurement = models.ForeignKey(Measurement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["case", "basis", "months"], name="casework_follow_up_once"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="casework_follow_up_due")]

    def __str__(self) -> str:
        return f"follow-up {self.pk} ({self.months} months)"


class FollowUpLink(models.Model):
    """A personal link for answering one follow-up without an account: signed, single use, expiring.

    The URL carries the nonce signed by Django's signer (tampering fails the signature); the row says
    whether it was used, replaced or has expired.
    """

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="links")
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"link {self.pk} for follow-up {self.follow_up_id}"

    def state(self, now: Any) -> str:
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "replaced"
        if now >= self.expires_at:
            return "expired"
        return "valid"

# SPDX-License-Identifier: EUPL-1.2
"""The sociale kaart: providers' locations and activities, schedules, registrations, waiting lists.

Capacity is guarded by the database: ``Activity.places_taken`` counts active registrations plus
places held for an open offer, is only ever changed by a conditional UPDATE in
``services`` and can never exceed ``capacity`` (check constraint). Ids are stable UUIDs, so the
HSDS API and its exports can name the same things across systems.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import Organisation
from omzien.geo.models import Neighbourhood
from omzien.residents.models import Resident

WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
    (5, _("Saturday")), (6, _("Sunday")),
]  # fmt: skip


class Term(models.Model):
    """One term of the maintained taxonomies: interests, and the groups an activity is meant for."""

    class Vocabulary(models.TextChoices):
        INTEREST = "interest", _("interest")
        TARGET_GROUP = "target_group", _("target group")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    vocabulary = models.CharField(_("taxonomy"), max_length=20, choices=Vocabulary.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["vocabulary", "name"]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="term_code_unique")]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new term's id follows from its taxonomy and code, as the starting terms' do (migration 0002).
        if self._state.adding:
            from omzien.activities.taxonomy import term_id

            self.public_id = term_id(self.vocabulary, self.code)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The name in the language of the page: English where the page is English and a name is given."""
        return self.name_en if self.name_en and (get_language() or "").startswith("en") else self.name


class Location(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name of the location"), max_length=200)
    street = models.CharField(_("street and house number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    city = models.CharField(_("place"), max_length=100, blank=True, default="Utrecht")
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="activity_locations",
        verbose_name=_("neighbourhood"),
    )  # fmt: skip
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    # None: not stated (a meeting place nobody described, such as a residents' initiative's street or
    # garden); the pages then say "unknown" rather than "not accessible".
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), null=True, default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        indexes = [models.Index(fields=["lat", "lon"])]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    class Access(models.TextChoices):
        WALK_IN = "walk_in", _("free walk-in (general provision)")
        INDICATION = "indication", _("with an indication (customised day care)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="activities")
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities",
        verbose_name=_("location"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    # Active registrations plus places held for an open offer; see the module docstring.
    places_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.ManyToManyField(
        Term, blank=True, related_name="activities_by_interest", verbose_name=_("interests"),
        limit_choices_to={"vocabulary": Term.Vocabulary.INTEREST},
    )  # fmt: skip
    target_groups = models.ManyToManyField(
        Term, blank=True, related_name="activities_by_target_group", verbose_name=_("target groups"),
        limit_choices_to={"vocabulary": Term.Vocabulary.TARGET_GROUP},
    )  # fmt: skip
    cost_eur = models.DecimalField(_("cost per session (euro)"), max_digits=7, decimal_places=2, default=0)
    cost_note = models.CharField(_("about the cost"), max_length=200, blank=True)
    access = models.CharField(_("access"), max_length=12, choices=Access.choices, default=Access.WALK_IN)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # A search index kept by ``search_index.refresh``: the location's coordinates and one bit per
    # (weekday, part of day) with a session, so the public search is one indexed table scan.
    lat = models.FloatField(null=True, blank=True, editable=False)
    lon = models.FloatField(null=True, blank=True, editable=False)
    session_mask = models.PositiveIntegerField(default=0, editable=False)
    # The schedule as [weekday, "HH:MM", "HH:MM", every n weeks] rows, so results need no second query.
    sessions = models.JSONField(default=list, editable=False)
    last_confirmed_at = models.DateTimeField(_("information last confirmed"))
    confirm_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        permissions = [
            ("record_attendance", _("Can record attendance")),
            ("view_occupancy", _("Can view occupancy figures")),
            ("run_allocation", _("Can run a city-wide allocation round")),
            ("register_resident", _("Can register a resident for an activity")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(places_taken__lte=models.F("capacity")), name="activity_never_overbooked"
            )
        ]
        indexes = [models.Index(fields=["is_active", "organisation"]), models.Index(fields=["lat", "lon"])]

    def __str__(self) -> str:
        return self.title

    @property
    def places_free(self) -> int:
        return max(self.capacity - self.places_taken, 0)


class Schedule(models.Model):
    """A weekly recurring session (every ``interval_weeks`` weeks on ``weekday``), as an HSDS schedule."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    interval_weeks = models.PositiveSmallIntegerField(_("every how many weeks"), default=1)

    class Meta:
        ordering = ["weekday", "starts_at"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="schedule_ends_after_start"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="schedule_weekday_valid"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Registration(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("registered")
        ENDED = "ended", _("ended")

    class Via(models.TextChoices):
        SELF = "self", _("by the resident")
        PROFESSIONAL = "professional", _("by a professional, with consent")
        OFFER = "offer", _("accepted an offered place")
        DEMO = "demo", _("demo data")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="activity_registrations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    via = models.CharField(max_length=15, choices=Via.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "resident"], condition=models.Q(status="active"), name="one_active_registration"
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"registration {self.pk}"


class WaitingListEntry(models.Model):
    """A resident waiting for a full activity. Places go by the matching engine's rank, not by arrival."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        OFFERED = "offered", _("place offered")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("offer expired")
        WITHDRAWN = "withdrawn", _("withdrawn")

    OPEN = (Status.WAITING, Status.OFFERED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="waiting_list")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="activity_waiting")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    # Loneliness severity 1-3 (from the latest measurement, or set by the professional).
    need = models.PositiveSmallIntegerField(_("need"), default=1)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_at = models.DateTimeField(db_index=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Made by the allocation round for an activity the resident never asked for: a suggestion with a
    # place held, which the resident (or their professional) accepts or declines, told as such.
    suggested = models.BooleanField(_("suggested"), default=False)

    class Meta:
        ordering = ["joined_at", "pk"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "resident"], condition=models.Q(status__in=["waiting", "offered"]),
                name="one_open_waiting_entry",
            ),
            models.CheckConstraint(condition=models.Q(need__gte=1, need__lte=3), name="waiting_need_1_to_3"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"waiting-list entry {self.pk}"


class Attendance(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendance")
    session_date = models.DateField(_("date"))
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session_date"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session_date"], name="one_attendance_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"attendance {self.session_date}"

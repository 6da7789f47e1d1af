# SPDX-License-Identifier: EUPL-1.2
"""Residents' initiatives (an Awb grant from the neighbourhood initiative fund), community centres with
bookable rooms, and the social broker's network in the wijk.

History is appended (``InitiativeEvent``, ``ContactMoment``): status changes, notes and agreements
are new rows, never edits, so the broker's story and the council's figures can be rebuilt.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from omzien.geo.models import District, Neighbourhood


class BrokerArea(models.Model):
    """A wijk a social broker serves: the initiatives, centres and network of that wijk are theirs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="broker_areas")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+", verbose_name=_("wijk"))

    class Meta:
        verbose_name = _("wijk of a social broker")
        verbose_name_plural = _("wijken of social brokers")
        constraints = [models.UniqueConstraint(fields=["user", "district"], name="broker_area_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.district}"


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_CONVERSATION = "in_conversation", _("in conversation")
    GRANTED = "granted", _("granted")
    DECLINED = "declined", _("refused")  # Awb: "afgewezen" (one word for it on every page and letter)
    RUNNING = "running", _("running")
    EVALUATED = "evaluated", _("evaluated")


class Initiative(models.Model):
    """An application to the neighbourhood initiative fund, and the initiative it becomes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    title = models.CharField(_("name of the initiative"), max_length=120)
    idea = models.TextField(_("the idea"), max_length=3000)
    for_whom = models.CharField(_("for whom"), max_length=300)
    where = models.CharField(_("where"), max_length=200)
    when = models.CharField(_("when"), max_length=200)
    expected_participants = models.PositiveIntegerField(_("how many people"))
    volunteers_needed = models.PositiveIntegerField(_("volunteers needed"), default=0)
    budget_requested = models.DecimalField(_("amount asked (euro)"), max_digits=8, decimal_places=2)
    group_name = models.CharField(_("group or association"), max_length=120, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_email = models.EmailField(_("e-mail"))
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6)
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+", null=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijk"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    received_at = models.DateTimeField(_("received"))
    # Awb 4:13: the decision term (policy), counted from receipt.
    decision_due = models.DateField(_("decide by"))
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("social broker"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    amount_granted = models.DecimalField(_("amount granted (euro)"), max_digits=8, decimal_places=2, null=True)
    conditions = models.TextField(_("conditions"), blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)
    participants_reached = models.PositiveIntegerField(_("participants reached"), null=True, blank=True)
    went_well = models.TextField(_("what went well"), blank=True)
    could_be_better = models.TextField(_("what could be better"), blank=True)
    # The final settlement (vaststelling, Awb 4:44): what the fund finally pays, after the evaluation.
    settled_amount = models.DecimalField(_("amount settled (euro)"), max_digits=8, decimal_places=2, null=True)
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    # What it published elsewhere (the sociale kaart, the volunteer room), through their services.
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    vacancy = models.ForeignKey("volunteers.Vacancy", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-received_at", "pk"]
        verbose_name = _("residents' initiative")
        verbose_name_plural = _("residents' initiatives")
        permissions = [
            ("handle_initiative", "Can handle residents' initiatives of the own wijk"),
            ("view_reach", "Can see the reach of initiatives and community centres per wijk"),
        ]
        indexes = [models.Index(fields=["district", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(settled_amount__isnull=True) | Q(settled_amount__lte=F("amount_granted")),
                name="initiative_settled_within_grant",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class InitiativeEvent(models.Model):
    """One step in an initiative's history: a status change or an appended note."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        STATUS = "status", _("status changed")
        NOTE = "note", _("note")
        PUBLISHED = "published", _("published in the sociale kaart")
        VACANCY = "vacancy", _("volunteers asked")
        PHOTO = "photo", _("photo added")
        SETTLED = "settled", _("grant settled")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.kind} {self.at:%Y-%m-%d}"


class InitiativePhoto(models.Model):
    """A photo of the initiative, kept only with the consent of the people in it, re-encoded without metadata."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="photos")
    image = models.BinaryField()  # JPEG, re-encoded: no EXIF, GPS or other metadata survives
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    caption = models.CharField(_("what the photo shows"), max_length=200)
    consent_given = models.BooleanField(_("the people in the photo agreed"))
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(consent_given=True), name="photo_only_with_consent")]

    def __str__(self) -> str:
        return self.caption


class Budget(models.Model):
    """The neighbourhood initiative fund of one wijk for one year (set by the municipality)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+", verbose_name=_("wijk"))
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget (euro)"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["-year", "district__name"]
        verbose_name = _("initiative fund budget")
        verbose_name_plural = _("initiative fund budgets")
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="one_budget_per_wijk_and_year")]

    def __str__(self) -> str:
        return f"{self.district} {self.year}"


# --- Community centres -------------------------------------------------------------------------------


class Centre(models.Model):
    """A community centre (buurthuis) in a wijk."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("what happens there"), blank=True)
    street = models.CharField(_("street and house number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=6)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijk"))
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT, related_name="+", null=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("community centre")
        verbose_name_plural = _("community centres")
        permissions = [("book_room", "Can book rooms in community centres")]

    def __str__(self) -> str:
        return self.name


WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]  # fmt: skip


class OpeningHours(models.Model):
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_hours_order")]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class CentreRoom(models.Model):
    """A bookable room of a centre. Its row is the lock that keeps bookings from overlapping."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=80)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    kitchen = models.BooleanField(_("kitchen"), default=False)

    class Meta:
        ordering = ["centre__name", "name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="room_name_once_per_centre")]

    def __str__(self) -> str:
        return f"{self.centre.name} – {self.name}"


class Booking(models.Model):
    """One booked slot of a room. A recurring booking is a series of these (``series``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(CentreRoom, on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    title = models.CharField(_("what"), max_length=120)
    booked_for = models.CharField(_("for (group or organisation)"), max_length=120)
    initiative = models.ForeignKey(Initiative, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookings")
    series = models.UUIDField(null=True, blank=True, db_index=True)
    expected_visitors = models.PositiveIntegerField(_("expected visitors"), default=0)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    booked_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["room", "starts_at"])]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.room} {self.starts_at:%Y-%m-%d %H:%M}"


class PartOfDay(models.TextChoices):
    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")
    EVENING = "evening", _("evening")


class VisitorCount(models.Model):
    """How many visitors a centre had in one part of one day (counted at the door, no names)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="visitor_counts")
    day = models.DateField(_("day"))
    part = models.CharField(_("part of the day"), max_length=10, choices=PartOfDay.choices)
    visitors = models.PositiveIntegerField(_("visitors"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-day", "part"]
        constraints = [models.UniqueConstraint(fields=["centre", "day", "part"], name="one_count_per_part_of_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.part}: {self.visitors}"


# --- The broker's network ------------------------------------------------------------------------------


class KeyFigure(models.Model):
    """A key figure (sleutelfiguur) or organisation in the wijk the broker works with."""

    class Kind(models.TextChoices):
        PERSON = "person", _("key figure")
        ORGANISATION = "organisation", _("organisation")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("wijk"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(_("role in the wijk"), max_length=200, help_text=_("For example: runs the mosque's women's group."))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "pk"]
        permissions = [("keep_network", "Can keep the network of key figures of the own wijk")]

    def __str__(self) -> str:
        return self.name


class ContactMoment(models.Model):
    """A contact with a key figure: what was discussed and agreed (appended, never edited)."""

    key_figure = models.ForeignKey(KeyFigure, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField(_("date"))
    summary = models.TextField(_("what was discussed"), max_length=3000)
    agreements = models.TextField(_("agreements"), blank=True, max_length=2000)
    signal_reference = models.CharField(max_length=20, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-on", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.key_figure_id} {self.on}"

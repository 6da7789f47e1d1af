# SPDX-License-Identifier: EUPL-1.2
"""The volunteer centre: volunteers, their intake per organisation, references and VOGs, vacancies,
trainings with sessions, and informal carers with their requests for respite.

One person, one ``Volunteer`` profile (linked to an account once they have one; a resident's
account can hold a profile too: one person, two roles). Each organisation they volunteer for has
its own ``Intake``, with its stage and its history appended in ``IntakeStep``. A VOG (certificate of
conduct) has no expiry date: how old it may be is each organisation's policy
(``OrganisationPolicy``, default from the ``volunteers.vog_max_age_months`` policy), and
``selectors.volunteers_eligible_for_home_visits`` is the one rule the matching of pairs obeys.
Training places are guarded as activity places are: ``places_taken`` changes only by a
conditional UPDATE after the session's row lock, with a check constraint behind it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import Organisation
from omzien.activities.models import Term
from omzien.geo.models import District, Neighbourhood


class WorkKind(models.TextChoices):
    """What a volunteer wants to do (and what a vacancy asks): the kinds of match the pairs issue knows."""

    VISITS = "visits", _("home visits")
    BUDDY = "buddy", _("buddy")
    MEAL_HOST = "meal_host", _("shared-meal host (Eet Mee)")
    NETWORK_COACH = "network_coach", _("network coach")
    RESPITE = "respite", _("respite for an informal carer")
    PRACTICAL = "practical", _("practical help and odd jobs")
    ACTIVITIES = "activities", _("helping at activities")


class Gender(models.TextChoices):
    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    OTHER = "other", _("other")
    UNSAID = "", _("I would rather not say")


class GenderPreference(models.TextChoices):
    NONE = "", _("no preference")
    WOMEN = "women", _("women")
    MEN = "men", _("men")


class Diet(models.TextChoices):
    VEGETARIAN = "vegetarian", _("vegetarian")
    VEGAN = "vegan", _("vegan")
    HALAL = "halal", _("halal")
    KOSHER = "kosher", _("kosher")
    DIABETIC = "diabetic", _("suitable for diabetes")
    LOW_SALT = "low_salt", _("low salt")
    GLUTEN_FREE = "gluten_free", _("gluten free")


class OrganisationPolicy(models.Model):
    """An organisation's own rules for its volunteers; an empty field follows the municipal policy."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="volunteer_policy", verbose_name=_("organisation")
    )
    vog_max_age_months = models.PositiveSmallIntegerField(
        _("maximum age of a VOG (months)"), null=True, blank=True,
        help_text=_("A VOG has no expiry date; volunteers whose VOG is older are not proposed for home visits."),
    )  # fmt: skip
    vog_reminder_days = models.PositiveSmallIntegerField(
        _("reminder before a VOG is due (days)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("volunteer policy of an organisation")
        verbose_name_plural = _("volunteer policies of organisations")

    def __str__(self) -> str:
        return str(self.organisation)


class Volunteer(models.Model):
    """A person who volunteers (or wants to), with what matching needs to know about them."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # For the access log and statistics: never shown next to the name.
    pseudo_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="volunteer"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="volunteers",
        verbose_name=_("neighbourhood"),
    )  # fmt: skip
    # From the postcode, for distances (matching measures from here).
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    work_kinds = models.JSONField(_("what they want to do"), default=list, blank=True)
    # Bit 3 × weekday + part of day (profile.py), as the activities' index.
    availability = models.PositiveIntegerField(_("availability"), default=0)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.ManyToManyField(
        Term, blank=True, related_name="volunteers", verbose_name=_("interests"),
        limit_choices_to={"vocabulary": Term.Vocabulary.INTEREST},
    )  # fmt: skip
    max_travel_km = models.PositiveSmallIntegerField(_("how far they will travel (km)"), default=3)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    gender_preference = models.CharField(
        _("prefers to be matched with"), max_length=10, choices=GenderPreference.choices, blank=True
    )
    # How many people they will visit or accompany at the same time (Eet Mee hosts: guests per meal).
    max_pairs = models.PositiveSmallIntegerField(_("how many people at a time"), default=1)
    # For Eet Mee hosts.
    guests_per_meal = models.PositiveSmallIntegerField(_("guests per meal"), null=True, blank=True)
    diets = models.JSONField(_("diets they cook for"), default=list, blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    created_at = models.DateTimeField()
    # Set when the person's details were removed (their erasure, or retention after they stopped); the
    # row stays because anonymous pairs and hours point at it.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        permissions = [
            ("hold_intake", _("Can hold intakes and keep volunteers' records")),
            ("manage_trainings", _("Can manage trainings and record attendance")),
        ]
        indexes = [models.Index(fields=["lat", "lon"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def places_for(self, kind: str) -> int:
        """How many current pairs of this kind they can have at once (a host: guests per meal)."""
        if kind == "eet_mee":
            return max(self.guests_per_meal or 1, 1)
        return max(self.max_pairs, 1)


class Intake(models.Model):
    """A volunteer's way in at one organisation: from sign-up to active (or stopped)."""

    class Stage(models.TextChoices):
        REGISTERED = "registered", _("signed up")
        INTERVIEW_PLANNED = "interview_planned", _("introduction planned")
        INTERVIEWED = "interviewed", _("introduction held")
        SCREENING = "screening", _("references and VOG")
        ACTIVE = "active", _("active")
        STOPPED = "stopped", _("stopped")
        DECLINED = "declined", _("did not go ahead")

    OPEN = (Stage.REGISTERED, Stage.INTERVIEW_PLANNED, Stage.INTERVIEWED, Stage.SCREENING)
    CURRENT = (*OPEN, Stage.ACTIVE)

    class Via(models.TextChoices):
        SIGNUP = "signup", _("the volunteer centre's sign-up form")
        VACANCY = "vacancy", _("a response to a vacancy")
        COORDINATOR = "coordinator", _("entered by a coordinator")
        DEMO = "demo", _("demo data")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="intakes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="volunteer_intakes")
    vacancy = models.ForeignKey(
        "Vacancy", on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.REGISTERED)
    stage_changed_at = models.DateTimeField()
    via = models.CharField(max_length=12, choices=Via.choices)
    started_at = models.DateTimeField()
    # Seen by coordinators only: never on the volunteer's own pages, never in what a match shares.
    extra_support_note = models.TextField(_("extra support this volunteer needs"), blank=True)

    class Meta:
        ordering = ["-started_at", "pk"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "organisation"],
                condition=models.Q(stage__in=["registered", "interview_planned", "interviewed", "screening", "active"]),
                name="one_current_intake_per_organisation",
            )
        ]  # fmt: skip
        indexes = [models.Index(fields=["organisation", "stage"])]

    def __str__(self) -> str:
        return f"intake {self.pk}"


class IntakeStep(models.Model):
    """One change of an intake's stage, appended (the history is never edited)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=20, choices=Intake.Stage.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.stage} at {self.at:%Y-%m-%d}"


class Reference(models.Model):
    """Someone who can say something about the volunteer, and what the coordinator heard."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("not yet contacted")
        POSITIVE = "positive", _("positive")
        CONCERNS = "concerns", _("concerns")

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="references")
    name = models.CharField(_("name"), max_length=150)
    relation = models.CharField(_("relation to the volunteer"), max_length=150)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")

    def __str__(self) -> str:
        return f"reference {self.pk}"


class VogRecord(models.Model):
    """A VOG (Verklaring Omtrent het Gedrag) an organisation requested and checked for a volunteer.

    ``issued_on`` is the date on the certificate ("valid from"); it stays empty while the request is
    with Justis. A VOG does not expire: the organisation's maximum age decides when it is due.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="vogs")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_on = models.DateField(_("requested on"))
    issued_on = models.DateField(_("valid from (date on the VOG)"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("checked by"),
    )  # fmt: skip
    checked_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("VOG")
        verbose_name_plural = _("VOGs")
        indexes = [models.Index(fields=["organisation", "issued_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(issued_on__isnull=True) | models.Q(checked_at__isnull=False),
                name="vog_issued_is_checked",
            )
        ]

    def __str__(self) -> str:
        return f"VOG {self.pk}"


class Vacancy(models.Model):
    """Volunteer work an organisation offers; published vacancies are found by anyone."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="vacancies")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    work_kind = models.CharField(_("kind of work"), max_length=20, choices=WorkKind.choices)
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("district"),
        help_text=_("Empty: anywhere in the city."),
    )  # fmt: skip
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    lat = models.FloatField(null=True, blank=True, editable=False)
    lon = models.FloatField(null=True, blank=True, editable=False)
    hours = models.CharField(_("time needed"), max_length=100, help_text=_("For example: 2 hours a week."))
    availability = models.PositiveIntegerField(_("when"), default=0)
    languages = models.JSONField(_("languages wanted"), default=list, blank=True)
    needs_vog = models.BooleanField(_("a VOG is needed"), default=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        indexes = [models.Index(fields=["is_published", "work_kind"])]

    def __str__(self) -> str:
        return self.title


class Training(models.Model):
    """A course for volunteers (recognising loneliness, dementia, listening …), given in sessions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("location"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"))
    # Active registrations; changed only by services._take_place / _release_place.
    places_taken = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(places_taken__lte=models.F("capacity")), name="training_never_overbooked"
            ),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="training_ends_after_start"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.training} {self.starts_at:%Y-%m-%d}"

    @property
    def places_free(self) -> int:
        return max(self.capacity - self.places_taken, 0)


class TrainingRegistration(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("registered")
        CANCELLED = "cancelled", _("cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="registrations")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="training_registrations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    registered_at = models.DateTimeField()
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("training registration")
        verbose_name_plural = _("training registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "volunteer"], condition=models.Q(status="active"), name="one_active_training_registration"
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"training registration {self.pk}"


class Carer(models.Model):
    """An informal carer (mantelzorger) registered with a carer support point."""

    class CaresFor(models.TextChoices):
        PARTNER = "partner", _("my partner")
        PARENT = "parent", _("my parent or parent-in-law")
        CHILD = "child", _("my child")
        FAMILY = "family", _("another family member")
        FRIEND = "friend", _("a friend or neighbour")

    class Burden(models.IntegerChoices):
        # As the Mantelzorgmonitor asks it: how heavy caring feels, from not at all to overburdened.
        NONE = 1, _("not heavy")
        SOMEWHAT = 2, _("somewhat heavy")
        FAIRLY = 3, _("fairly heavy")
        VERY = 4, _("very heavy")
        TOO_MUCH = 5, _("too heavy: I cannot go on like this")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pseudo_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="carers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="carer"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="carers",
        verbose_name=_("neighbourhood"),
    )  # fmt: skip
    cares_for = models.CharField(_("whom they care for"), max_length=10, choices=CaresFor.choices)
    care_description = models.CharField(_("what the care is about"), max_length=300, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours of care a week"))
    burden = models.PositiveSmallIntegerField(_("how heavy it feels"), choices=Burden.choices)
    consent_text = models.TextField()
    registered_at = models.DateTimeField()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("informal carer")
        verbose_name_plural = _("informal carers")
        constraints = [
            models.CheckConstraint(condition=models.Q(burden__gte=1, burden__lte=5), name="carer_burden_1_to_5"),
            models.CheckConstraint(condition=models.Q(hours_per_week__lte=168), name="carer_hours_in_a_week"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class RespiteRequest(models.Model):
    """A carer's request for a volunteer who sits with the person they care for (matched by the pairs room)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MATCHED = "matched", _("volunteer found")
        WITHDRAWN = "withdrawn", _("withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    carer = models.ForeignKey(Carer, on_delete=models.CASCADE, related_name="respite_requests")
    availability = models.PositiveIntegerField(_("when"), default=0)
    hours_per_week = models.PositiveSmallIntegerField(_("hours a week"))
    languages = models.JSONField(_("languages"), default=list, blank=True)
    note = models.TextField(_("what a volunteer should know"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("request for respite")
        verbose_name_plural = _("requests for respite")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"respite request {self.pk}"


# --- Matches between people (issue #21) --------------------------------------------------------------


class MatchKind(models.TextChoices):
    """What a request for a person asks for; each kind is met by volunteers who want that work."""

    VISIT = "visit", _("a visitor")
    BUDDY = "buddy", _("a buddy")
    EET_MEE = "eet_mee", _("a meal host (Eet Mee)")
    NETWORK_COACH = "network_coach", _("a network coach")
    RESPITE = "respite", _("respite for an informal carer")


# The volunteers' work kind that meets each kind of request, and casework's route codes that open one.
WORK_FOR_KIND = {
    MatchKind.VISIT: WorkKind.VISITS, MatchKind.BUDDY: WorkKind.BUDDY, MatchKind.EET_MEE: WorkKind.MEAL_HOST,
    MatchKind.NETWORK_COACH: WorkKind.NETWORK_COACH, MatchKind.RESPITE: WorkKind.RESPITE,
}  # fmt: skip
KIND_FOR_ROUTE = {
    "visiting_service": MatchKind.VISIT, "buddy": MatchKind.BUDDY, "eet_mee": MatchKind.EET_MEE,
    "network_coach": MatchKind.NETWORK_COACH, "mantelzorg_support": MatchKind.RESPITE,
    "conversation_partner": MatchKind.VISIT,
}  # fmt: skip


class MatchRequest(models.Model):
    """A request for a person (a visitor, buddy, meal host, network coach, respite) at one organisation.

    Opened from a casework referral (``referral_id`` kept, status changes reported back), by the
    resident, or by a coordinator. The resident's own wishes for matching are kept here, so that the
    engine never reads the resident's whole record.
    """

    class Source(models.TextChoices):
        REFERRAL = "referral", _("referral from the neighbourhood team")
        RESIDENT = "resident", _("the resident's own request")
        COORDINATOR = "coordinator", _("entered by a coordinator")
        CARER = "carer", _("informal carer's request for respite")
        DEMO = "demo", _("demo data")

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a match")
        MATCHED = "matched", _("matched")
        CLOSED = "closed", _("closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="match_requests")
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, null=True, blank=True, related_name="match_requests"
    )
    respite_request = models.OneToOneField(
        RespiteRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="match_request"
    )
    kind = models.CharField(_("what is asked"), max_length=20, choices=MatchKind.choices)
    source = models.CharField(_("came from"), max_length=12, choices=Source.choices)
    referral_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    need = models.PositiveSmallIntegerField(
        _("how urgent"), default=2, choices=[(1, _("can wait")), (2, _("soon")), (3, _("urgent"))]
    )
    postcode = models.CharField(_("postcode"), max_length=6)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("neighbourhood")
    )
    lat = models.FloatField(null=True, blank=True, editable=False)
    lon = models.FloatField(null=True, blank=True, editable=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    availability = models.PositiveIntegerField(_("when"), default=0)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    gender_preference = models.CharField(
        _("prefers to be matched with"), max_length=10, choices=GenderPreference.choices, blank=True
    )
    diets = models.JSONField(_("diets"), default=list, blank=True)
    max_km = models.PositiveSmallIntegerField(_("greatest distance (km)"), default=3)
    # Shared with the matched volunteer or host: what to keep in mind (never the case's notes).
    keep_in_mind = models.TextField(_("what to keep in mind"), blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Set when everything about the person was removed (their erasure, or retention after it closed): the
    # request and its pairs stay as anonymous counts (kind, organisation, dates, how it ended) for durability.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("request for a person")
        verbose_name_plural = _("requests for a person")
        indexes = [models.Index(fields=["organisation", "status", "kind"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(need__gte=1, need__lte=3), name="match_request_need_1_to_3"),
            models.CheckConstraint(
                condition=models.Q(resident__isnull=False) | models.Q(respite_request__isnull=False)
                | models.Q(anonymised_at__isnull=False),
                name="match_request_for_someone_or_anonymous",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"request {self.pk}"


class Proposal(models.Model):
    """The engine's proposal of one volunteer for one request, with its reasons; decided by a coordinator."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        SUPERSEDED = "superseded", _("replaced by a newer round")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(MatchRequest, on_delete=models.CASCADE, related_name="proposals")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="proposals")
    round = models.UUIDField(editable=False)
    weight = models.FloatField()
    km = models.FloatField()
    # The weight's parts (distance, interests, language; they add up to the weight) and the rules met.
    parts = models.JSONField(default=dict)
    # Other volunteers the coordinator may choose instead: [{volunteer, weight, km, parts}] best first.
    alternatives = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-weight", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=models.Q(status="proposed"), name="one_open_proposal_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"proposal {self.pk}"


class MealRhythm(models.TextChoices):
    WEEKLY = "weekly", _("every week")
    FORTNIGHTLY = "fortnightly", _("every two weeks")
    MONTHLY = "monthly", _("every month")


class Pair(models.Model):
    """A volunteer (or host) and a resident (or a carer's family), from the question to the end."""

    class Stage(models.TextChoices):
        ASKED = "asked", _("asked")
        INTRODUCTION = "introduction", _("introduction meeting planned")
        ACTIVE = "active", _("active")
        DECLINED = "declined", _("did not go ahead")
        ENDED = "ended", _("ended")

    CURRENT = (Stage.ASKED, Stage.INTRODUCTION, Stage.ACTIVE)

    class Answer(models.TextChoices):
        PENDING = "", _("not answered yet")
        YES = "yes", _("yes")
        NO = "no", _("no")

    class EndReason(models.TextChoices):
        MOVED = "moved", _("moved")
        PASSED_AWAY = "passed_away", _("passed away")
        MISMATCH = "mismatch", _("not a good match")
        GOAL_REACHED = "goal_reached", _("goal reached")
        VOLUNTEER_STOPPED = "volunteer_stopped", _("the volunteer stopped")
        OTHER = "other", _("other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(MatchRequest, on_delete=models.CASCADE, related_name="pairs")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="pairs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="pairs")
    kind = models.CharField(_("kind"), max_length=20, choices=MatchKind.choices)
    proposal = models.ForeignKey(Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    stage = models.CharField(_("stage"), max_length=15, choices=Stage.choices, default=Stage.ASKED)
    volunteer_answer = models.CharField(_("volunteer's answer"), max_length=3, choices=Answer.choices, blank=True)
    resident_answer = models.CharField(_("resident's answer"), max_length=3, choices=Answer.choices, blank=True)
    asked_at = models.DateTimeField()
    introduction_on = models.DateField(_("introduction meeting"), null=True, blank=True)
    started_on = models.DateField(_("active from"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("note"), max_length=300, blank=True)
    meal_rhythm = models.CharField(_("meal rhythm"), max_length=12, choices=MealRhythm.choices, blank=True)
    meal_day = models.PositiveSmallIntegerField(_("meal day"), null=True, blank=True)  # 0 Monday … 6 Sunday
    # The match link that lets the volunteer see what a match shares (residents.services.link_open).
    link = models.ForeignKey("residents.ResidentLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-asked_at", "pk"]
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")
        indexes = [models.Index(fields=["organisation", "stage"]), models.Index(fields=["volunteer", "stage"])]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=models.Q(stage__in=["asked", "introduction", "active"]),
                name="one_current_pair_per_request",
            ),
            models.CheckConstraint(
                condition=~models.Q(stage="ended") | models.Q(ended_on__isnull=False), name="ended_pair_has_end_date"
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"pair {self.pk}"

    @property
    def meal_text(self) -> str:
        """An Eet Mee pair's rhythm and day in words ("every week on Wednesday"), or ""."""
        from omzien.volunteers.profile import DAYS

        if not self.meal_rhythm:
            return ""
        rhythm = str(self.get_meal_rhythm_display())  # type: ignore[attr-defined]
        if self.meal_day is None or not 0 <= self.meal_day < len(DAYS):
            return rhythm
        # The day as the language writes it: "woensdag" in Dutch, "Wednesday" in English (never "wednesday").
        return str(_("%(rhythm)s on %(day)s") % {"rhythm": rhythm, "day": str(DAYS[self.meal_day])})


class PairStep(models.Model):
    """One change in a pair's life, appended (the history is never edited)."""

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=15, choices=Pair.Stage.choices)
    what = models.CharField(max_length=200)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.stage} at {self.at:%Y-%m-%d}"


class CheckIn(models.Model):
    """A check-in with a pair at 6 weeks and 3, 6 and 12 months (``omzien tick`` creates them when due)."""

    class Moment(models.TextChoices):
        WEEKS_6 = "6w", _("after 6 weeks")
        MONTHS_3 = "3m", _("after 3 months")
        MONTHS_6 = "6m", _("after 6 months")
        MONTHS_12 = "12m", _("after 12 months")

    class Going(models.IntegerChoices):
        BADLY = 1, _("badly")
        NOT_WELL = 2, _("not so well")
        OKAY = 3, _("all right")
        WELL = 4, _("well")
        VERY_WELL = 5, _("very well")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="check_ins")
    moment = models.CharField(_("moment"), max_length=3, choices=Moment.choices)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    still_meeting = models.BooleanField(_("still meeting"), null=True)
    times_a_month = models.PositiveSmallIntegerField(_("meetings a month"), null=True, blank=True)
    resident_going = models.PositiveSmallIntegerField(_("how it goes for the resident"), choices=Going.choices, null=True)
    volunteer_going = models.PositiveSmallIntegerField(_("how it goes for the volunteer"), choices=Going.choices, null=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["pair", "moment"], name="one_check_in_per_moment")]

    def __str__(self) -> str:
        return f"check-in {self.moment} of pair {self.pair_id}"


class Contact(models.Model):
    """A visit or meal the volunteer or host logged; the note is for the coordinator only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("how long (minutes)"))
    note = models.TextField(_("note for the coordinator"), blank=True)
    worried = models.BooleanField(_("I am worried"), default=False)
    signal_reference = models.CharField(max_length=20, blank=True, editable=False)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    logged_at = models.DateTimeField()

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gte=1, minutes__lte=1440), name="contact_minutes_in_a_day")
        ]

    def __str__(self) -> str:
        return f"contact {self.pk}"

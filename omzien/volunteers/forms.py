# SPDX-License-Identifier: EUPL-1.2
"""Forms of the volunteer centre: the public sign-up and carers' registration, the coordinator's intake
forms (stage, references, VOG, extra support), vacancies, trainings and sessions, respite requests.

Every public field is bounded (lengths, ranges, known choices), so bad input gets a clear message
per field and nothing is stored until the whole form is valid.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from omzien.activities.models import Term
from omzien.geo.models import District
from omzien.geo.validators import postcode_clean
from omzien.lib.forms import PhoneField, PlainMessages, date_picker
from omzien.volunteers import selectors
from omzien.volunteers.models import (
    Carer,
    Diet,
    Gender,
    GenderPreference,
    Intake,
    Reference,
    Vacancy,
    WorkKind,
)
from omzien.volunteers.profile import DAYS, LANGUAGES, PARTS, mask_from_slots, slots_from_mask

TRAVEL = [(1, "1 km"), (2, "2 km"), (3, "3 km"), (5, "5 km"), (10, "10 km"), (25, _("the whole city"))]
# Lazy labels: the page's language decides ("maandag ochtend"), not the one at import.
SLOT_CHOICES = [(f"{day}-{part}", format_lazy("{} {}", DAYS[day], PARTS[part][1])) for day in range(7) for part in range(3)]


class StyledChoices:
    """Gives checkbox and radio groups the Utrecht classes (they are rendered option by option)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input"
            elif isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "utrecht-radio-button utrecht-radio-button--html-input"


def _postcode(raw: str, *, required: bool) -> str:
    return postcode_clean(raw, required=required)


class AvailabilityField(forms.MultipleChoiceField):
    """Days and parts of the day as checkboxes; cleans to the availability bit mask (profile.py)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=SLOT_CHOICES, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return [f"{day}-{part}" for day, part in slots_from_mask(value)]
        return value

    def clean(self, value: Any) -> int:  # type: ignore[override]
        chosen = super().clean(value)
        return mask_from_slots([(int(item[0]), int(item[2])) for item in chosen])


def slot_rows(field: forms.BoundField) -> list[tuple[Any, list[Any]]]:
    """The availability checkboxes as rows of (day, [morning, afternoon, evening]) for a grid."""
    options = list(field)
    return [(DAYS[day], options[3 * day : 3 * day + 3]) for day in range(7)]


class ProfileForm(PlainMessages, StyledChoices, forms.Form):
    """What a volunteer tells about themselves (the public sign-up and the coordinator's edit)."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = PhoneField(label=_("Phone"), required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, help_text=_("For example 21-03-1968."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"],
    )  # fmt: skip
    postcode = forms.CharField(label=_("Postcode"), max_length=8, help_text=_("We look for work close to home."))
    work_kinds = forms.MultipleChoiceField(
        label=_("What would you like to do?"), choices=WorkKind.choices, widget=forms.CheckboxSelectMultiple
    )
    availability = AvailabilityField(
        label=_("When are you available?"), help_text=_("Tick the days and parts of the day that suit you.")
    )
    languages = forms.MultipleChoiceField(
        label=_("Which languages do you speak?"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple,
        initial=["nl"],
    )  # fmt: skip
    interests = forms.ModelMultipleChoiceField(
        label=_("Interests"), queryset=Term.objects.filter(vocabulary=Term.Vocabulary.INTEREST).order_by("code"),
        widget=forms.CheckboxSelectMultiple, required=False,
    )  # fmt: skip
    max_travel_km = forms.TypedChoiceField(label=_("How far will you travel?"), choices=TRAVEL, coerce=int, initial=3)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False, widget=forms.RadioSelect)
    gender_preference = forms.ChoiceField(
        label=_("Would you rather be matched with"), choices=GenderPreference.choices, required=False,
        widget=forms.RadioSelect,
    )  # fmt: skip
    guests_per_meal = forms.IntegerField(
        label=_("Guests per meal"), min_value=1, max_value=12, required=False,
        help_text=_("Only for hosts of shared meals: how many guests can eat with you?"),
    )  # fmt: skip
    diets = forms.MultipleChoiceField(
        label=_("Diets you can cook for"), choices=Diet.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    motivation = forms.CharField(
        label=_("Anything you would like to tell us?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        required=False,
    )  # fmt: skip

    def clean_postcode(self) -> str:
        return _postcode(self.cleaned_data.get("postcode", ""), required=True)

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born is None:
            return None
        today = timezone.localdate()
        if born > date(today.year - 16, today.month, min(today.day, 28)):
            raise forms.ValidationError(_("You can volunteer from the age of 16."))
        if born.year < today.year - 110:
            raise forms.ValidationError(_("Check the year of birth."))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "meal_host" in (data.get("work_kinds") or []) and not data.get("guests_per_meal") and "guests_per_meal" not in self.errors:
            self.add_error("guests_per_meal", _("As a host, tell us how many guests can eat with you."))
        return data

    @staticmethod
    def initial_from(volunteer: Any) -> dict[str, Any]:
        """The form's starting values from a volunteer's profile."""
        return {
            "first_name": volunteer.first_name, "last_name": volunteer.last_name, "email": volunteer.email,
            "phone": volunteer.phone, "date_of_birth": volunteer.date_of_birth, "postcode": volunteer.postcode,
            "work_kinds": volunteer.work_kinds, "availability": volunteer.availability, "languages": volunteer.languages,
            "interests": list(volunteer.interests.all()), "max_travel_km": volunteer.max_travel_km,
            "gender": volunteer.gender, "gender_preference": volunteer.gender_preference,
            "guests_per_meal": volunteer.guests_per_meal, "diets": volunteer.diets, "motivation": volunteer.motivation,
        }  # fmt: skip

    def profile_data(self) -> Any:
        from omzien.volunteers.services import ProfileData

        data = self.cleaned_data
        return ProfileData(
            first_name=data["first_name"].strip(), last_name=data["last_name"].strip(), email=data["email"],
            phone=data["phone"].strip(), date_of_birth=data["date_of_birth"], postcode=data["postcode"],
            work_kinds=list(data["work_kinds"]), availability=data["availability"], languages=list(data["languages"]),
            interests=list(data["interests"]), max_travel_km=data["max_travel_km"], gender=data["gender"],
            gender_preference=data["gender_preference"], guests_per_meal=data["guests_per_meal"],
            diets=list(data["diets"]), motivation=data["motivation"].strip(),
        )  # fmt: skip


class SignupForm(ProfileForm):
    organisation = forms.TypedChoiceField(
        label=_("With which organisation?"), coerce=int,
        help_text=_("Not sure? Choose the volunteer centre: it helps you find the right place."),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("I agree that the organisation keeps these details to get to know me and find volunteer work for me."),
        error_messages={"required": _("Without your agreement we cannot keep your sign-up.")},
    )  # fmt: skip

    field_order = ["organisation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *selectors.volunteer_organisations().order_by("name").values_list("pk", "name")]


class CoordinatorEntryForm(ProfileForm):
    """A volunteer the coordinator enters (after a phone call or a visit to the office)."""

    consent = forms.BooleanField(
        label=_("The volunteer agreed that we keep these details to find volunteer work for them."),
        error_messages={"required": _("Without the volunteer's agreement the details cannot be kept.")},
    )  # fmt: skip


class StageForm(PlainMessages, forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Intake.Stage.choices)


class SupportNoteForm(PlainMessages, forms.Form):
    note = forms.CharField(
        label=_("Extra support this volunteer needs"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        required=False, help_text=_("Only coordinators see this; never the volunteer's matches."),
    )  # fmt: skip


class ReferenceForm(PlainMessages, forms.Form):
    name = forms.CharField(label=_("Name of the reference"), max_length=150)
    relation = forms.CharField(label=_("Relation to the volunteer"), max_length=150)
    phone = PhoneField(label=_("Phone"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Reference.Outcome.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


class VogForm(PlainMessages, forms.Form):
    requested_on = forms.DateField(label=_("Requested on"), input_formats=["%Y-%m-%d", "%d-%m-%Y"],
                                   widget=date_picker())  # fmt: skip
    issued_on = forms.DateField(
        label=_("Valid from (date on the VOG)"), required=False, input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=date_picker(),
        help_text=_("Fill in once you have seen the VOG; you are recorded as the one who checked it."),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        requested, issued = data.get("requested_on"), data.get("issued_on")
        if requested and issued and issued < requested:
            self.add_error("issued_on", _("The VOG cannot date from before it was requested."))
        return data


class VacancyForm(PlainMessages, StyledChoices, forms.ModelForm):
    languages = forms.MultipleChoiceField(label=_("Languages wanted"), choices=LANGUAGES, required=False,
                                          widget=forms.CheckboxSelectMultiple)  # fmt: skip
    availability = AvailabilityField(label=_("When"), required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=8, required=False,
                               help_text=_("Where the work is; empty for the whole city."))  # fmt: skip

    class Meta:
        model = Vacancy
        fields = ["title", "description", "work_kind", "district", "hours", "needs_vog", "is_published"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = District.objects.order_by("name")
        if self.instance.pk:
            self.initial.update(languages=self.instance.languages, availability=self.instance.availability,
                                postcode=self.instance.postcode)  # fmt: skip

    def clean_postcode(self) -> str:
        return _postcode(self.cleaned_data.get("postcode", ""), required=False)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "languages", "availability", "postcode"]}


class VacancySearchForm(PlainMessages, StyledChoices, forms.Form):
    q = forms.CharField(label=_("Search words"), max_length=100, required=False)
    work_kind = forms.ChoiceField(label=_("Kind of work"), required=False,
                                  choices=[("", _("all kinds of work")), *WorkKind.choices])  # fmt: skip
    wijk = forms.ChoiceField(label=_("District"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("any language")), *LANGUAGES])
    where = forms.CharField(label=_("Your postcode"), max_length=8, required=False)
    radius = forms.TypedChoiceField(label=_("Distance"), coerce=int, required=False, initial=5,
                                    choices=[(1, "1 km"), (3, "3 km"), (5, "5 km"), (10, "10 km")])  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wijk = self.fields["wijk"]
        assert isinstance(wijk, forms.ChoiceField)
        wijk.choices = [("", _("all districts")), *District.objects.order_by("name").values_list("code", "name")]

    def clean_where(self) -> str:
        return _postcode(self.cleaned_data.get("where", ""), required=False)


class TrainingForm(PlainMessages, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class SessionForm(PlainMessages, forms.Form):
    training = forms.TypedChoiceField(label=_("Training"), coerce=int)
    starts_at = forms.DateTimeField(label=_("Starts"), input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip
    hours = forms.DecimalField(label=_("Duration (hours)"), min_value=Decimal("0.5"), max_value=12,
                               decimal_places=1, initial=2)
    location = forms.CharField(label=_("Location"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)

    def __init__(self, *args: Any, trainings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["training"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *trainings]

    def clean_starts_at(self) -> Any:
        starts = self.cleaned_data["starts_at"]
        if starts <= timezone.now():
            raise forms.ValidationError(_("A new session starts in the future."))
        return starts


class CarerForm(PlainMessages, StyledChoices, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    phone = PhoneField(label=_("Phone"), required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=8)
    cares_for = forms.ChoiceField(label=_("Whom do you care for?"), choices=Carer.CaresFor.choices, widget=forms.RadioSelect)
    care_description = forms.CharField(
        label=_("What is the care about?"), max_length=300, required=False,
        help_text=_("In a few words, for example: my mother has dementia."),
    )  # fmt: skip
    hours_per_week = forms.IntegerField(label=_("How many hours a week do you care?"), min_value=0, max_value=168)
    burden = forms.TypedChoiceField(label=_("How heavy does caring feel?"), choices=Carer.Burden.choices, coerce=int,
                                    widget=forms.RadioSelect)  # fmt: skip
    wants_respite = forms.BooleanField(
        label=_("I would like a volunteer to take over for a while (respite)"), required=False
    )
    respite_availability = AvailabilityField(label=_("When would a volunteer be welcome?"), required=False)
    respite_hours = forms.IntegerField(label=_("Hours a week"), min_value=1, max_value=40, required=False)
    respite_note = forms.CharField(label=_("What should a volunteer know?"), widget=forms.Textarea(attrs={"rows": 3}),
                                   max_length=2000, required=False)  # fmt: skip
    consent = forms.BooleanField(
        label=_("I agree that Steunpunt Mantelzorg keeps these details to support me."),
        error_messages={"required": _("Without your agreement we cannot keep your registration.")},
    )  # fmt: skip

    def clean_postcode(self) -> str:
        return _postcode(self.cleaned_data.get("postcode", ""), required=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("wants_respite"):
            if not data.get("respite_availability") and "respite_availability" not in self.errors:
                self.add_error("respite_availability", _("Choose at least one day and part of the day."))
            if not data.get("respite_hours") and "respite_hours" not in self.errors:
                self.add_error("respite_hours", _("How many hours a week would help you?"))
        return data


class RespiteForm(PlainMessages, StyledChoices, forms.Form):
    availability = AvailabilityField(label=_("When would a volunteer be welcome?"))
    hours_per_week = forms.IntegerField(label=_("Hours a week"), min_value=1, max_value=40)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=LANGUAGES, required=False,
                                          widget=forms.CheckboxSelectMultiple, initial=["nl"])  # fmt: skip
    note = forms.CharField(label=_("What should a volunteer know?"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000, required=False)  # fmt: skip


class VolunteerFilterForm(PlainMessages, forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("all stages")), *Intake.Stage.choices])
    q = forms.CharField(label=_("Name or e-mail"), max_length=100, required=False)


# --- Matches between people (issue #21) ----------------------------------------------------------------

from omzien.volunteers.models import CheckIn, MatchKind, MealRhythm, Pair  # noqa: E402

NEED = [(1, _("can wait")), (2, _("soon")), (3, _("urgent"))]
DATE_INPUT = {"input_formats": ["%Y-%m-%d", "%d-%m-%Y"], "widget": date_picker()}


def _not_in_future(value: date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("This date lies in the future."))


class RequestForm(PlainMessages, StyledChoices, forms.Form):
    """A coordinator enters a request for a person by hand (someone who called the organisation)."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    phone = PhoneField(label=_("Phone"), required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7)
    kind = forms.ChoiceField(label=_("What is asked for"), choices=MatchKind.choices, widget=forms.RadioSelect)
    need = forms.TypedChoiceField(label=_("How urgent"), choices=NEED, coerce=int, initial=2, widget=forms.RadioSelect)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple,
                                          initial=["nl"])  # fmt: skip
    interests = forms.ModelMultipleChoiceField(label=_("Interests"), required=False, widget=forms.CheckboxSelectMultiple,
                                               queryset=Term.objects.filter(vocabulary=Term.Vocabulary.INTEREST))  # fmt: skip
    availability = AvailabilityField(label=_("When is a visit welcome?"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, required=False)
    gender_preference = forms.ChoiceField(label=_("Prefers to be matched with"), choices=GenderPreference.choices, required=False)
    diets = forms.MultipleChoiceField(label=_("Diet (Eet Mee)"), choices=Diet.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple)  # fmt: skip
    max_km = forms.TypedChoiceField(label=_("Greatest distance"), choices=TRAVEL[:5], coerce=int, initial=3)
    keep_in_mind = forms.CharField(label=_("What should the volunteer keep in mind?"), max_length=2000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("Shared with the volunteer once both said yes. No medical details."))  # fmt: skip

    def clean_postcode(self) -> str:
        return _postcode(self.cleaned_data["postcode"], required=True)


class ResidentRequestForm(PlainMessages, StyledChoices, forms.Form):
    """A resident asks for a visitor, buddy, meal host or network coach themselves."""

    kind = forms.ChoiceField(label=_("What would you like?"), widget=forms.RadioSelect,
                             choices=[c for c in MatchKind.choices if c[0] != MatchKind.RESPITE])  # fmt: skip
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=selectors.volunteer_organisations(),
                                          empty_label=None)  # fmt: skip
    availability = AvailabilityField(label=_("When are you at home for a visit?"), required=False)
    keep_in_mind = forms.CharField(label=_("What should a volunteer know about you?"), max_length=1000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class ProposalDecisionForm(PlainMessages, forms.Form):
    """Accept the proposal (or an alternative instead: the proposal edited) or reject it with a reason."""

    decision = forms.ChoiceField(choices=[("accept", _("accept")), ("reject", _("reject"))])
    volunteer = forms.IntegerField(required=False, min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the proposal is rejected."))
        return data


class AnswerForm(PlainMessages, forms.Form):
    answer = forms.ChoiceField(choices=Pair.Answer.choices[1:])


class IntroductionForm(PlainMessages, StyledChoices, forms.Form):
    on = forms.DateField(label=_("Date of the introduction"), validators=[_not_in_future], **DATE_INPUT)  # type: ignore[arg-type]
    goes_ahead = forms.TypedChoiceField(label=_("Do they go on together?"), coerce=lambda v: v == "yes",
                                        choices=[("yes", _("yes")), ("no", _("no"))], widget=forms.RadioSelect)  # fmt: skip
    meal_rhythm = forms.ChoiceField(label=_("Meal rhythm (Eet Mee)"), choices=[("", "—"), *MealRhythm.choices], required=False)
    meal_day = forms.TypedChoiceField(label=_("Meal day (Eet Mee)"), coerce=int, required=False, empty_value=None,
                                      choices=[("", "—"), *[(i, day) for i, day in enumerate(DAYS)]])  # fmt: skip


class EndForm(PlainMessages, forms.Form):
    reason = forms.ChoiceField(label=_("Why did it end?"), choices=Pair.EndReason.choices)
    on = forms.DateField(label=_("Ended on"), validators=[_not_in_future], **DATE_INPUT)  # type: ignore[arg-type]
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CheckInForm(PlainMessages, StyledChoices, forms.Form):
    still_meeting = forms.TypedChoiceField(label=_("Do they still meet?"), coerce=lambda v: v == "yes",
                                           choices=[("yes", _("yes")), ("no", _("no"))], widget=forms.RadioSelect)  # fmt: skip
    times_a_month = forms.IntegerField(label=_("How often a month?"), min_value=0, max_value=31, required=False)
    resident_going = forms.TypedChoiceField(label=_("How does it go for the resident?"), coerce=int,
                                            choices=CheckIn.Going.choices, widget=forms.RadioSelect)  # fmt: skip
    volunteer_going = forms.TypedChoiceField(label=_("How does it go for the volunteer?"), coerce=int,
                                             choices=CheckIn.Going.choices, widget=forms.RadioSelect)  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(PlainMessages, forms.Form):
    """A visit or meal the volunteer or host logs."""

    on = forms.DateField(label=_("Date"), validators=[_not_in_future], **DATE_INPUT)  # type: ignore[arg-type]
    minutes = forms.IntegerField(label=_("How long (minutes)"), min_value=1, max_value=1440, initial=60)
    note = forms.CharField(label=_("Note for your coordinator"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Only your coordinator reads this."))  # fmt: skip
    worried = forms.BooleanField(label=_("I am worried"), required=False,
                                 help_text=_("We pass your worry on to the neighbourhood team."))  # fmt: skip
    concern = forms.CharField(label=_("What worries you?"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("worried") and not (data.get("concern") or "").strip():
            self.add_error("concern", _("Tell us what worries you."))
        return data

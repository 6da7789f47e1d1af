# SPDX-License-Identifier: EUPL-1.2
"""Input shapes of the initiatives room. Plain language: anyone may fill in the application."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
)
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from omzien.activities.schedules import ScheduleError, Slot, parse_schedule
from omzien.casework.models import Urgency
from omzien.casework.services import SignalData
from omzien.geo.selectors import postcode_get
from omzien.geo.validators import postcode_clean
from omzien.initiatives.formats import euro
from omzien.initiatives.models import Centre, CentreRoom, Initiative, KeyFigure, PartOfDay
from omzien.initiatives.selectors import budget_left
from omzien.initiatives.services import ApplicationData, unknown_postcode_message
from omzien.lib.forms import BoundedDateField, BoundedModelChoiceField, PhoneField
from omzien.lib.forms import PlainMessages as LibPlainMessages

MAX_AMOUNT = Decimal("25000")
MAX_PEOPLE = 10_000


_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def parse_euro(text: str) -> str:
    """An amount as people type it, in Dutch or English, as a plain decimal: "1.250,50", "1,250.50",
    "1250,5" and "€ 350" all read right. A separator followed by exactly three digits groups thousands
    (an amount in euro has at most two decimals); otherwise the last separator is the decimal one."""
    value = text.strip().replace("€", "").replace("\u00a0", "").replace(" ", "").replace("_", "")
    if _GROUPED.match(value):
        return value.replace(".", "").replace(",", "")
    last = max(value.rfind(","), value.rfind("."))
    if last == -1:
        return value
    whole, decimals = value[:last], value[last + 1 :]
    return whole.replace(".", "").replace(",", "") + "." + decimals


class EuroField(forms.DecimalField):
    """An amount in euro: a text box (not type=number, which refuses a Dutch comma in some browsers) that
    reads Dutch and English notation and shows the amount in the page's language."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 8)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        kwargs["error_messages"] = {
            "max_digits": _("That amount is too large."),
            "max_whole_digits": _("That amount is too large."),
            "max_decimal_places": _("Fill in at most two digits after the decimal sign."),
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def run_validators(self, value: Any) -> None:
        """One message per amount, the field's own first: "at most € 25,000" says more than Django's "no
        more than 8 digits in total", and both for one amount is noise."""
        if value in self.empty_values:
            return
        own = self.validators[len(self.default_validators) :]
        for validator in [*own, *self.default_validators]:
            try:
                validator(value)
            except forms.ValidationError as error:
                code = getattr(error, "code", None)
                if code is not None and code in self.error_messages:
                    error.message = self.error_messages[code]
                raise

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs: DecimalField returns Decimal
        if value in self.empty_values:
            return None
        try:
            return Decimal(parse_euro(str(value)))
        except (InvalidOperation, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PlainMessages(LibPlainMessages):
    """The plain messages of every room (``lib.forms.PlainMessages``), and an amount in euro for the fund's fields."""

    def plain_invalid(self, field: forms.Field) -> Any:
        if isinstance(field, EuroField):  # a DecimalField, which Django derives from IntegerField
            return _("Fill in an amount in euro, like 350 or 350.50.")
        return super().plain_invalid(field)


def _people(label: Any, help_text: Any = "", minimum: int = 0) -> forms.IntegerField:
    return forms.IntegerField(label=label, help_text=help_text, min_value=minimum, max_value=MAX_PEOPLE,
                              error_messages={"required": _("Fill in a number."),
                                              "invalid": _("Fill in a whole number, like 12.")})  # fmt: skip


class ApplicationForm(PlainMessages, forms.Form):
    """The public application to the neighbourhood initiative fund."""

    title = forms.CharField(label=_("Name of your initiative"), max_length=120,
                            help_text=_("For example: Soup on Wednesday, or Walking group Kanaleneiland."),
                            error_messages={"required": _("Give your initiative a name.")})  # fmt: skip
    idea = forms.CharField(label=_("What is your idea?"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("What do you want to do, and why? Tell it in your own words."),
                           error_messages={"required": _("Tell us about your idea.")})  # fmt: skip
    for_whom = forms.CharField(label=_("For whom?"), max_length=300,
                               help_text=_("For example: older residents of our street who live alone."),
                               error_messages={"required": _("Tell us for whom it is.")})  # fmt: skip
    where = forms.CharField(label=_("Where?"), max_length=200, help_text=_("A community centre, a garden, a street."),
                            error_messages={"required": _("Tell us where it takes place.")})  # fmt: skip
    when = forms.CharField(label=_("When?"), max_length=200, help_text=_("For example: every Wednesday evening from March."),
                           error_messages={"required": _("Tell us when it takes place.")})  # fmt: skip
    expected_participants = _people(_("How many people do you expect?"), minimum=1)
    volunteers_needed = _people(_("How many volunteers do you need?"), _("Besides yourselves. 0 if none."))
    budget_requested = EuroField(
        label=_("How much money do you ask (euro)?"),
        validators=[MinValueValidator(Decimal(0), message=_("The amount cannot be negative.")),
                    MaxValueValidator(MAX_AMOUNT, message=_("The fund gives at most € 25,000 for one initiative."))],
        help_text=_("From the neighbourhood initiative fund. At most € 25,000."),
        error_messages={"required": _("Fill in an amount; 0 if you ask no money."),
                        "invalid": _("Fill in an amount in euro, like 350 or 350.50.")},
    )  # fmt: skip
    group_name = forms.CharField(label=_("Name of your group or association"), max_length=120, required=False,
                                 help_text=_("Only if you have one."))  # fmt: skip
    contact_name = forms.CharField(label=_("Your name"), max_length=120, error_messages={"required": _("Fill in your name.")})
    contact_email = forms.EmailField(label=_("Your e-mail address"), max_length=254,
                                     error_messages={"required": _("Fill in your e-mail address: the decision is sent there."),
                                                     "invalid": _("This is not an e-mail address. Check it, like name@example.nl.")})  # fmt: skip
    contact_phone = PhoneField(label=_("Your phone number"), max_length=20, required=False)
    postcode = forms.CharField(label=_("Postcode where it takes place"), max_length=8,
                               help_text=_("For example 3561 AB. It tells us which social broker helps you."),
                               error_messages={"required": _("Fill in the postcode.")})  # fmt: skip

    # The page's order (the error summary follows it): the postcode right after "where".
    field_order = ("title", "idea", "for_whom", "where", "postcode", "when", "expected_participants",
                   "volunteers_needed", "budget_requested", "group_name", "contact_name", "contact_email", "contact_phone")  # fmt: skip

    def clean_postcode(self) -> str:
        code = postcode_clean(self.cleaned_data.get("postcode"), required=True)
        # Checked with the other fields, so every message shows at once (the service checks it again).
        if postcode_get(code) is None:
            raise forms.ValidationError(unknown_postcode_message())
        return code

    def data_for_service(self) -> ApplicationData:
        data: dict[str, Any] = {
            name: value.strip() if isinstance(value, str) else value for name, value in self.cleaned_data.items()
        }
        return ApplicationData(**data)


class _OnTheInitiativePage(PlainMessages, forms.Form):
    """A form of the initiative's page: ids start with the form's name, so two forms' "title" fields
    (publish, vacancy) never share an id and the error summary's links reach the right one."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class NoteForm(_OnTheInitiativePage):
    id_prefix = "note"
    text = forms.CharField(label=_("Note"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write the note first.")})  # fmt: skip


class GrantForm(_OnTheInitiativePage):
    id_prefix = "grant"
    amount = EuroField(label=_("Amount granted (euro)"),
                       error_messages={"required": _("Fill in the amount granted."),
                                                "invalid": _("Fill in an amount in euro, like 350 or 350.50.")})  # fmt: skip
    conditions = forms.CharField(label=_("Conditions"), max_length=2000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("For example: open to every resident; keep the receipts."))  # fmt: skip

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        left = budget_left(initiative.district_id, timezone.localdate().year)
        help_text = gettext("At most the %(asked)s asked.") % {"asked": euro(initiative.budget_requested)}
        if left is not None:
            help_text += " " + gettext("Left in the fund of wijk %(wijk)s this year: %(left)s.") % {
                "wijk": initiative.district.name, "left": euro(left)}
        self.fields["amount"].help_text = help_text

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        if amount > self.initiative.budget_requested:
            # The service refuses it too; said here at once, with the other fields' messages.
            raise forms.ValidationError(
                gettext("You can grant at most the %(asked)s asked. If the applicants need more, they change their "
                  "application first.") % {"asked": euro(self.initiative.budget_requested)})
        return amount


class DeclineForm(_OnTheInitiativePage):
    id_prefix = "decline"
    reason = forms.CharField(label=_("Reason for the refusal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Give the reason for the refusal: the applicants read it in the letter.")})  # fmt: skip


class EvaluateForm(_OnTheInitiativePage):
    id_prefix = "evaluate"
    participants = _people(_("Participants reached"))
    went_well = forms.CharField(label=_("What went well?"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    could_be_better = forms.CharField(label=_("What could be better?"), max_length=3000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class SettleForm(_OnTheInitiativePage):
    id_prefix = "settle"
    amount = EuroField(label=_("Amount settled (euro)"),
                                validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_AMOUNT)],
                                error_messages={"required": _("Fill in the amount spent; 0 if nothing was spent.")},
                                help_text=_("What the initiative really spent, at most the amount granted."))  # fmt: skip


class PhotoForm(_OnTheInitiativePage):
    id_prefix = "photo"
    photo = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG or WebP, at most 8 MB. Location and camera data are removed."))
    caption = forms.CharField(label=_("What does the photo show?"), max_length=200)
    consent = forms.BooleanField(label=_("The people in the photo agreed that we keep it"),
                                 error_messages={"required": _("A photo is kept only when the people in it agreed.")})  # fmt: skip


class PublishForm(_OnTheInitiativePage):
    id_prefix = "publish"
    title = forms.CharField(label=_("Title in the sociale kaart"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    schedule = forms.CharField(
        label=_("When it meets"), max_length=300,
        help_text=_("One time per line, for example: wo 18:00-20:00, or za 10:00-12:00 om de 2 weken."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    capacity = _people(_("Places (the maximum number of participants)"), minimum=1)
    centre = BoundedModelChoiceField(label=_("Community centre"), queryset=Centre.objects.none(), required=False,
                                     help_text=_("Empty: the place from the application."))  # fmt: skip
    contact_phone = PhoneField(label=_("Phone for questions"), required=False)
    contact_email = forms.EmailField(label=_("E-mail for questions"), required=False)

    def __init__(self, *args: Any, district_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["centre"]
        field.queryset = Centre.objects.filter(district_id=district_id) if district_id else Centre.objects.all()

    def clean_schedule(self) -> list[Slot]:
        try:
            return parse_schedule(self.cleaned_data["schedule"])
        except ScheduleError as error:
            raise forms.ValidationError(str(error)) from error


class VacancyForm(_OnTheInitiativePage):
    id_prefix = "vacancy"
    title = forms.CharField(label=_("Title of the vacancy"), max_length=200)
    description = forms.CharField(label=_("What the volunteers do"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    hours = forms.CharField(label=_("Time needed"), max_length=100, help_text=_("For example: 2 hours a week."))


class BookingForm(PlainMessages, forms.Form):
    room = BoundedModelChoiceField(label=_("Room"), queryset=CentreRoom.objects.none(),
                                   error_messages={"required": _("Choose a room.")})  # fmt: skip
    day = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"required": _("Fill in the date."), "invalid": _("Fill in a date, like 2026-03-18.")})  # fmt: skip
    starts = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}),
                             error_messages={"invalid": _("Fill in a time, like 14:00.")})  # fmt: skip
    ends = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}),
                           error_messages={"invalid": _("Fill in a time, like 16:00.")})  # fmt: skip
    title = forms.CharField(label=_("What"), max_length=120)
    booked_for = forms.CharField(label=_("For (group or organisation)"), max_length=120)
    expected_visitors = _people(_("Expected visitors"))
    repeat_weeks = forms.IntegerField(label=_("Repeat weekly, how many more times"), min_value=0, max_value=52,
                                      initial=0, help_text=_("0: once. 11: every week for twelve weeks."))  # fmt: skip
    initiative = BoundedModelChoiceField(label=_("For a residents' initiative"), queryset=Initiative.objects.none(),
                                         required=False, help_text=_("Only the granted and running initiatives of your wijken."))  # fmt: skip

    def __init__(self, *args: Any, centre: Centre, initiatives: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["room"]
        field.queryset = centre.rooms.all()
        if initiatives is None:
            del self.fields["initiative"]  # partners book for themselves
        else:
            chosen: Any = self.fields["initiative"]
            chosen.queryset = initiatives
            chosen.label_from_instance = lambda item: f"{item.title} ({item.reference})"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The end time must be after the start time."))
        return data


class VisitorCountForm(PlainMessages, forms.Form):
    day = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    part = forms.ChoiceField(label=_("Part of the day"), choices=PartOfDay.choices)
    visitors = _people(_("Visitors"))


class KeyFigureForm(PlainMessages, forms.ModelForm):
    class Meta:
        model = KeyFigure
        fields = ["district", "kind", "name", "role", "phone", "email"]

    def __init__(self, *args: Any, district_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["district"]
        field.queryset = field.queryset.filter(pk__in=district_ids)


class ContactForm(PlainMessages, forms.Form):
    on = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_("What was discussed"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    agreements = forms.CharField(label=_("Agreements"), max_length=2000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class WorryForm(PlainMessages, forms.Form):
    """A worry about a resident the broker met: casework routes it to the neighbourhood team."""

    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150,
                                error_messages={"required": _("Fill in the last name of the person.")})  # fmt: skip
    street = forms.CharField(label=_("Street"), max_length=150, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=20, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=8, error_messages={"required": _("Fill in the postcode of the person.")})
    concern = forms.CharField(label=_("What worries you?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    urgency = forms.ChoiceField(label=_("How urgent is it?"), choices=Urgency.choices, initial=Urgency.NORMAL)

    def clean_postcode(self) -> str:
        return postcode_clean(self.cleaned_data.get("postcode"), required=True)

    def signal_data(self) -> SignalData:
        data = self.cleaned_data
        return SignalData(last_name=data["last_name"], postcode=data["postcode"], concern=data["concern"],
                          first_name=data["first_name"], street=data["street"], house_number=data["house_number"],
                          urgency=data["urgency"])  # fmt: skip

# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from omzien.geo.validators import postcode_clean
from omzien.lib.forms import PlainMessages
from omzien.residents.models import ContactPreference
from omzien.wellbeing.instruments import ONS_ANSWERS, ONS_QUESTION, Instrument
from omzien.wellbeing.models import Measurement
from omzien.wellbeing.scoring import MISSING

DJG_CHOICES = [("1", _("yes")), ("0", _("more or less")), ("-1", _("no"))]
UCLA_CHOICES = [("1", _("hardly ever")), ("2", _("some of the time")), ("3", _("often"))]
CONSENT_TEXT = _(
    "I agree that the neighbourhood team of my neighbourhood receives my name, my contact details and the "
    "outcome of this test, to contact me."
)


def _item_fields(form: forms.Form, instrument: Instrument, *, required: bool) -> None:
    dutch = (get_language() or "nl").startswith("nl")
    choices = UCLA_CHOICES if instrument.code == "ucla3" else DJG_CHOICES
    for item in instrument.items:
        form.fields[f"item_{item.number}"] = forms.ChoiceField(
            label=item.nl if dutch else item.en, choices=choices, widget=forms.RadioSelect, required=required,
            error_messages={"required": _("Choose an answer for this statement.")},
        )  # fmt: skip


class StatementsMixin:
    """The statement fields in order, numbered from 1 in the template whatever fields come before them."""

    def statement_fields(self) -> list[forms.BoundField]:
        return [field for field in self if field.name.startswith("item_")]  # type: ignore[attr-defined]


def answers_from(form: forms.Form, instrument: Instrument) -> list[int]:
    return [int(form.cleaned_data[f"item_{item.number}"]) if form.cleaned_data.get(f"item_{item.number}") else MISSING
            for item in instrument.items]  # fmt: skip


class SelfTestForm(PlainMessages, StatementsMixin, forms.Form):
    """The public self-test: the eleven statements, and optionally a request to be contacted."""

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _item_fields(self, instrument, required=True)
        _contact_fields(self)
        self.fields["wants_contact"] = forms.BooleanField(
            label=_("I want someone to contact me"), required=False
        )

    def clean_postcode(self) -> str:
        return _clean_postcode(self.cleaned_data.get("postcode") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("wants_contact"):
            _require_contact(self, data)
        return data


class ContactForm(PlainMessages, forms.Form):
    """Asking for contact after the result, without doing the test again (the result travels signed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _contact_fields(self)

    def clean_postcode(self) -> str:
        return _clean_postcode(self.cleaned_data.get("postcode") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _require_contact(self, data)
        return data


def _contact_fields(form: forms.Form) -> None:
    form.fields["postcode"] = forms.CharField(
        label=_("Your postcode"), required=False, max_length=8,
        help_text=_("We use it to show help near you, and only store it if you ask us to contact you."),
    )  # fmt: skip
    form.fields["name"] = forms.CharField(label=_("Your name"), required=False, max_length=150)
    form.fields["phone"] = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    form.fields["email"] = forms.EmailField(label=_("E-mail address"), required=False)
    form.fields["preferred_contact"] = forms.ChoiceField(
        label=_("How would you like to be contacted?"), choices=ContactPreference.choices, required=False
    )
    form.fields["consent"] = forms.BooleanField(label=CONSENT_TEXT, required=False)
    # Needed for a contact request (``_require_contact``), so not "optional" beside their labels.
    for name in ("name", "postcode", "preferred_contact"):
        form.fields[name].optional_note = _("needed if you want us to contact you")  # type: ignore[attr-defined]
    for name in ("phone", "email"):
        form.fields[name].optional_note = _("a phone number or an e-mail address is needed for contact")  # type: ignore[attr-defined]


def _clean_postcode(raw: str) -> str:
    return postcode_clean(raw)


def _require_contact(form: forms.Form, data: dict[str, Any]) -> None:
    """What a contact request needs: a name, a way to reach the person, the postcode and their consent."""
    if not data.get("name"):
        form.add_error("name", _("Fill in your name, so we know whom to ask for."))
    if not data.get("phone") and not data.get("email"):
        form.add_error("phone", _("Fill in a phone number or an e-mail address."))
    if not data.get("postcode") and "postcode" not in form.errors:
        form.add_error("postcode", _("Fill in your postcode, so the team of your neighbourhood can help."))
    if not data.get("consent"):
        form.add_error("consent", _("We can only contact you with your permission."))
    if not data.get("preferred_contact"):
        form.add_error("preferred_contact", _("Choose how you would like to be contacted."))


class MeasurementForm(PlainMessages, StatementsMixin, forms.Form):
    """A professional records a scale (or the ONS direct question) with a resident."""

    def __init__(self, *args: Any, instrument: Instrument | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["context"] = forms.ChoiceField(label=_("Moment"), choices=Measurement.Context.choices)
        self.fields["mode"] = forms.ChoiceField(label=_("How"), choices=Measurement.Mode.choices)
        self.fields["supersedes"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        if instrument is not None:
            _item_fields(self, instrument, required=False)
            self.fields["incomplete"] = forms.BooleanField(
                label=_("Save as an incomplete measurement, without a score"), required=False,
                help_text=_("Only when the resident did not want to answer enough statements for a score."),
            )  # fmt: skip
            return
        dutch = (get_language() or "nl").startswith("nl")
        self.fields["item_1"] = forms.ChoiceField(
            label=ONS_QUESTION[0] if dutch else ONS_QUESTION[1], widget=forms.RadioSelect,
            choices=[(str(code), nl if dutch else en) for code, nl, en in ONS_ANSWERS],
            error_messages={"required": _("Choose an answer for this statement.")},
        )  # fmt: skip

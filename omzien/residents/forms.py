# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.accounts.models import Organisation
from omzien.geo.validators import postcode_clean
from omzien.lib.forms import (
    BoundedDateField,
    BoundedModelChoiceField,
    DateOfBirthField,
    PhoneField,
    PlainMessages,
)
from omzien.residents.models import ConsentMethod, ConsentPurpose, ContactPreference

LANGUAGES = [
    ("nl", _("Dutch")), ("en", _("English")), ("ar", _("Arabic")), ("tr", _("Turkish")), ("ber", _("Tamazight")),
    ("zh", _("Chinese")), ("srn", _("Sranan Tongo")), ("pap", _("Papiamento")), ("pl", _("Polish")),
    ("es", _("Spanish")), ("fr", _("French")), ("de", _("German")),
]  # fmt: skip


class ResidentForm(PlainMessages, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    date_of_birth = DateOfBirthField(
        label=_("Date of birth"), required=False, help_text=_("For example 17-03-1948."),
        input_formats=["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"],
    )  # fmt: skip
    street = forms.CharField(label=_("Street and house number"), max_length=200, required=False)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=8, required=False, help_text=_("For example 3561 AB.")
    )
    city = forms.CharField(label=_("Place"), max_length=100, required=False, initial="Utrecht")
    phone = PhoneField(label=_("Phone"), required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    preferred_contact = forms.ChoiceField(
        label=_("Preferred way of contact"), choices=ContactPreference.choices
    )
    consent_method = forms.ChoiceField(
        label=_("How did the resident consent to support?"), choices=ConsentMethod.choices,
        help_text=_("Only register a resident who agrees to support from your team."),
    )  # fmt: skip

    def clean_postcode(self) -> str:
        return postcode_clean(self.cleaned_data["postcode"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("preferred_contact") == ContactPreference.EMAIL and not data.get("email"):
            self.add_error("email", _("Fill in an e-mail address, or choose another way of contact."))
        if data.get("preferred_contact") == ContactPreference.PHONE and not data.get("phone"):
            self.add_error("phone", _("Fill in a phone number, or choose another way of contact."))
        return data


class ConsentForm(PlainMessages, forms.Form):
    purpose = forms.ChoiceField(label=_("Consent for"), choices=ConsentPurpose.choices)
    organisation = BoundedModelChoiceField(
        label=_("Partner organisation"), queryset=Organisation.objects.all(), required=False,
        help_text=_("Only for sharing: which organisation may see the details."),
    )  # fmt: skip
    given = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("given")), ("0", _("withdrawn"))],
        coerce=lambda value: value == "1",
    )
    method = forms.ChoiceField(label=_("How"), choices=ConsentMethod.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == ConsentPurpose.SHARING and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation this consent is about."))
        return data


class SearchForm(PlainMessages, forms.Form):
    q = forms.CharField(label=_("Search by name"), max_length=100, required=False)


class AccessLogPeriodForm(PlainMessages, forms.Form):
    """The period of "who viewed my details" (``?van=…&tot=…``)."""

    van = BoundedDateField(label=_("From"), required=False)
    tot = BoundedDateField(label=_("Until"), required=False)

# SPDX-License-Identifier: EUPL-1.2
from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.audit.models import Action, Outcome
from omzien.lib.forms import BoundedDateField, PlainMessages


class EntryFilterForm(PlainMessages, forms.Form):
    since = BoundedDateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = BoundedDateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("all"))] + list(Action.choices), required=False
    )
    outcome = forms.ChoiceField(
        label=_("Result"), choices=[("", _("all"))] + list(Outcome.choices), required=False
    )
    actor = forms.CharField(label=_("User"), max_length=150, required=False)
    subject = forms.UUIDField(label=_("Resident (pseudonymous id)"), required=False)

# SPDX-License-Identifier: EUPL-1.2
"""Input of the rights room: a resident's request, the officer's extension and decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.lib.forms import PlainMessages
from omzien.rights.models import RequestKind


class RequestForm(PlainMessages, forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask?"), choices=RequestKind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you ask for."), "invalid_choice": _("Choose what you ask for.")},
    )  # fmt: skip
    explanation = forms.CharField(
        label=_("Explanation"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a correction: what is wrong and what it should be. For an objection or restriction: which use, and why."),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Said at the explanation itself (the service refuses it too): a correction, restriction or objection
        # the privacy officer cannot act on without knowing what it is about.
        needs_words = (RequestKind.RECTIFICATION, RequestKind.RESTRICTION, RequestKind.OBJECTION)
        if cleaned.get("kind") in needs_words and not cleaned.get("explanation", "").strip():
            self.add_error(
                "explanation",
                _("Say what should change, or what you object to, so the privacy officer can act on it."),
            )
        return cleaned


class ExtendForm(PlainMessages, forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for the extension: the resident is told.")},
    )  # fmt: skip


class DecisionForm(PlainMessages, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=(("grant", _("grant")), ("refuse", _("refuse"))), widget=forms.RadioSelect,
        error_messages={"required": _("Choose grant or refuse."), "invalid_choice": _("Choose grant or refuse.")},
    )  # fmt: skip
    reasons = forms.CharField(
        label=_("Reasons"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reasons for the decision: the resident is told.")},
    )  # fmt: skip
    # For an objection (AVG art. 21): which processing it stops once granted.
    objection_to = forms.MultipleChoiceField(
        label=_("The objection stops"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=(("statistics", _("use in the statistics for the council")),
                 ("matching", _("matching with volunteers and hosts, and ranking on waiting lists"))),
        error_messages={"invalid_choice": _("Choose which use of the data the objection stops.")},
    )  # fmt: skip

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Said at the boxes to tick (the service refuses it too).
        if (
            self.kind == RequestKind.OBJECTION
            and cleaned.get("decision") == "grant"
            and not cleaned.get("objection_to")
        ):
            self.add_error("objection_to", _("Choose which use of the data the objection stops."))
        return cleaned


class LinkCodeForm(PlainMessages, forms.Form):
    code = forms.CharField(
        label=_("Link code"), max_length=40, strip=True,
        help_text=_("The code of twelve letters and digits your neighbourhood team gave you, e.g. 4K7P-XD9A-M3QT. Dashes and spaces do not matter."),
        error_messages={"required": _("Type the link code your neighbourhood team gave you.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}),
    )  # fmt: skip

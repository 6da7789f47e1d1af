# SPDX-License-Identifier: EUPL-1.2
"""Input shapes of casework: the report forms, the triage steps, the phone line's call log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.casework.models import MELDCODE_STEPS, Answer, Outcome, PhoneCall, ReporterRelation, Urgency
from omzien.casework.services import SignalData, route_for_postcode
from omzien.geo.selectors import normalize_postcode
from omzien.geo.validators import postcode_clean
from omzien.residents.models import ConsentMethod

PUBLIC_RELATIONS = [
    (value, label) for value, label in ReporterRelation.choices if value != ReporterRelation.SELF
]
ANSWERS = Answer.choices


class SignalForm(forms.Form):
    """A worry about someone: who it is about, what was noticed, whether they know, how urgent.

    Used by the public form (with the reporter's own details) and by logged-in reporters (whose
    details come from their account). Plain language on purpose: anyone may fill it in.
    """

    # About the resident.
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, error_messages={"required": _("Fill in the last name of the person.")}
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only if you know it."),
    )  # fmt: skip
    street = forms.CharField(label=_("Street"), max_length=150, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=20, required=False)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=8, help_text=_("For example 3561 AB. We need it to find the right team."),
        error_messages={"required": _("Fill in the postcode of the person.")},
    )  # fmt: skip
    phone = forms.CharField(label=_("Phone number of the person"), max_length=40, required=False)
    how_to_reach = forms.CharField(
        label=_("How can the team best reach the person?"), max_length=300, required=False,
        help_text=_("For example: at home in the morning, or through a daughter."),
    )  # fmt: skip
    concern = forms.CharField(
        label=_("What did you notice?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tell in your own words what worries you. For example: the curtains stay closed, or the person never goes out."),
        error_messages={"required": _("Tell us what you noticed.")},
    )  # fmt: skip
    resident_knows = forms.ChoiceField(
        label=_("Does the person know that you report this?"), choices=ANSWERS, widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer.")},
    )  # fmt: skip
    resident_agrees = forms.ChoiceField(
        label=_("Does the person agree?"), choices=ANSWERS, widget=forms.RadioSelect,
        error_messages={"required": _("Choose an answer.")},
    )  # fmt: skip
    urgency = forms.ChoiceField(
        label=_("How soon should the team look at it?"), widget=forms.RadioSelect, initial=Urgency.NORMAL,
        choices=[(Urgency.NORMAL, _("Within a few working days")), (Urgency.URGENT, _("Within one working day"))],
        help_text=_("Is there danger now? Then do not use this form: call 112."),
        error_messages={"required": _("Choose an answer.")},
    )  # fmt: skip

    def clean_postcode(self) -> str:
        code = postcode_clean(self.cleaned_data.get("postcode"), required=True)
        if route_for_postcode(code) is None:
            raise forms.ValidationError(
                _("We cannot find a neighbourhood team for this postcode. Check the postcode. Does the person live in another municipality? Then contact that municipality.")
            )
        return code

    def clean_date_of_birth(self) -> date | None:
        born = self.cleaned_data.get("date_of_birth")
        if born is not None and not date(1900, 1, 1) <= born <= timezone.localdate():
            raise forms.ValidationError(_("This date of birth cannot be right."))
        return born

    def signal_data(self, **reporter: Any) -> SignalData:
        data = self.cleaned_data
        return SignalData(
            first_name=data["first_name"].strip(), last_name=data["last_name"].strip(), date_of_birth=data["date_of_birth"],
            street=data["street"].strip(), house_number=data["house_number"].strip(), postcode=data["postcode"],
            phone=data["phone"].strip(), how_to_reach=data["how_to_reach"].strip(), concern=data["concern"].strip(),
            resident_knows=data["resident_knows"], resident_agrees=data["resident_agrees"], urgency=data["urgency"],
            **reporter,
        )  # fmt: skip


class PublicSignalForm(SignalForm):
    """The public form: neighbours, relatives and partners without an account, who also say who they are."""

    reporter_relation = forms.ChoiceField(
        label=_("Who are you?"), choices=PUBLIC_RELATIONS, widget=forms.RadioSelect,
        error_messages={"required": _("Choose who you are.")},
    )  # fmt: skip
    reporter_organisation_name = forms.CharField(
        label=_("Your organisation"), max_length=200, required=False,
        help_text=_("Only if you report for your work, for example a GP practice, housing corporation, police or pharmacy."),
    )  # fmt: skip
    reporter_name = forms.CharField(
        label=_("Your name"), max_length=150, error_messages={"required": _("Fill in your name.")}
    )
    reporter_phone = forms.CharField(label=_("Your phone number"), max_length=40, required=False)
    reporter_email = forms.EmailField(
        label=_("Your e-mail address"), required=False,
        help_text=_("We send you a confirmation. We never tell the person who reported."),
        error_messages={"invalid": _("This is not an e-mail address. It looks like name@example.nl.")},
    )  # fmt: skip
    wants_closing_message = forms.BooleanField(
        label=_("Send me a message when the team has looked at it"), required=False,
        help_text=_("The message does not say what the team did. That stays private."),
    )  # fmt: skip

    field_order = [
        "reporter_relation", "reporter_organisation_name", "reporter_name", "reporter_phone", "reporter_email",
    ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("wants_closing_message") and not data.get("reporter_email") and "reporter_email" not in self.errors:
            self.add_error("reporter_email", _("Fill in your e-mail address, so we can send you the message."))
        if data.get("reporter_relation") == ReporterRelation.PROFESSIONAL and not (data.get("reporter_organisation_name") or "").strip():
            self.add_error("reporter_organisation_name", _("Fill in the organisation you work for."))
        if not data.get("reporter_phone") and not data.get("reporter_email") and "reporter_email" not in self.errors:
            self.add_error("reporter_phone", _("Fill in a phone number or an e-mail address, so the team can ask you something."))
        return data

    def reporter(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reporter_relation": data["reporter_relation"], "reporter_name": data["reporter_name"].strip(),
            "reporter_phone": data["reporter_phone"].strip(), "reporter_email": data["reporter_email"] or "",
            "reporter_organisation_name": data["reporter_organisation_name"].strip(),
            "wants_closing_message": data["wants_closing_message"],
        }  # fmt: skip


class ColleagueChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class AssignForm(forms.Form):
    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = ColleagueChoiceField(label=_("Assign to"), queryset=members, empty_label=None)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a note first.")},
    )  # fmt: skip


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("Choose an outcome.")})  # fmt: skip
    reason = forms.CharField(
        label=_("Reason or explanation"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for 'no action' and for forwarding to another team."),
    )  # fmt: skip
    consent_method = forms.ChoiceField(
        label=_("For a new case: how did the resident agree to support?"), required=False,
        choices=[("", "—"), *ConsentMethod.choices],
    )  # fmt: skip
    resident = forms.ChoiceField(label=_("For 'added to a case': which client"), required=False)
    forward_team = forms.ChoiceField(label=_("For forwarding: which team"), required=False)
    acute = forms.BooleanField(label=_("Acute danger: report at once (the Meldcode allows skipping steps)"), required=False)

    def __init__(self, *args: Any, clients: Any = (), teams: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", "—"), *((str(c.public_id), c.full_name) for c in clients)]  # type: ignore[attr-defined]
        self.fields["forward_team"].choices = [("", "—"), *((str(t.public_id), t.name) for t in teams)]  # type: ignore[attr-defined]
        for key, label in MELDCODE_STEPS:
            self.fields[key] = forms.BooleanField(label=label, required=False)
        self.meldcode_keys = [key for key, _label in MELDCODE_STEPS]

    def meldcode(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {key: bool(data.get(key)) for key in [*self.meldcode_keys, "acute"]}


class DuplicateForm(forms.Form):
    original = forms.UUIDField(widget=forms.HiddenInput)


class CallForm(forms.Form):
    """A call to the phone line: anonymous by default; the caller's details only with their consent."""

    started_at = forms.DateTimeField(
        label=_("When did the call start?"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )  # fmt: skip
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600)
    topic = forms.ChoiceField(label=_("Main topic"), choices=PhoneCall.Topic.choices)
    loneliness_mentioned = forms.BooleanField(label=_("The caller talked about loneliness"), required=False)
    advice = forms.ChoiceField(label=_("Advice or referral given"), choices=PhoneCall.Advice.choices)
    consent = forms.BooleanField(
        label=_("The caller wants the neighbourhood team to contact them, and agreed that we pass on their details"),
        required=False,
    )  # fmt: skip
    first_name = forms.CharField(label=_("Caller's first name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Caller's last name"), max_length=150, required=False)
    postcode = forms.CharField(label=_("Caller's postcode"), max_length=8, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=20, required=False)
    phone = forms.CharField(label=_("Caller's phone number"), max_length=40, required=False)
    concern = forms.CharField(
        label=_("What should the team know?"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.ChoiceField(label=_("How soon?"), choices=Urgency.choices, initial=Urgency.NORMAL, required=False)

    def clean_started_at(self) -> Any:
        started = self.cleaned_data["started_at"]
        if started > timezone.now():
            raise forms.ValidationError(_("A call cannot start in the future."))
        # Calls are logged soon after; a date years back is a typing error (and would skew the counts).
        if started < timezone.now() - timedelta(days=366):
            raise forms.ValidationError(_("Log calls of the past year only. Check the date."))
        return started

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("consent"):
            return data
        if not (data.get("last_name") or "").strip():
            self.add_error("last_name", _("With consent, fill in the caller's last name."))
        if not (data.get("phone") or "").strip():
            self.add_error("phone", _("With consent, fill in how the team can call back."))
        if not (data.get("concern") or "").strip():
            self.add_error("concern", _("With consent, say what the team should know."))
        code = normalize_postcode(data.get("postcode") or "")
        if code is None or route_for_postcode(code) is None:
            self.add_error("postcode", _("With consent, fill in a postcode of our municipality, so the right team gets it."))
        else:
            data["postcode"] = code
        return data

    def signal_data(self) -> SignalData | None:
        data = self.cleaned_data
        if not data.get("consent"):
            return None
        return SignalData(
            first_name=data["first_name"].strip(), last_name=data["last_name"].strip(), postcode=data["postcode"],
            house_number=data["house_number"].strip(), phone=data["phone"].strip(), concern=data["concern"].strip(),
            resident_knows=Answer.YES, resident_agrees=Answer.YES, urgency=data.get("urgency") or Urgency.NORMAL,
            reporter_relation=ReporterRelation.SELF,
        )  # fmt: skip

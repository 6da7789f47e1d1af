# SPDX-License-Identifier: EUPL-1.2
"""Input shapes of casework: the report forms, the triage steps, the phone line's call log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omzien.casework.models import (
    MELDCODE_STEPS,
    Answer,
    Barrier,
    CloseReason,
    NetworkTie,
    Outcome,
    PhoneCall,
    ReporterRelation,
    Urgency,
)
from omzien.casework.services import SignalData, route_for_postcode
from omzien.geo.selectors import normalize_postcode
from omzien.geo.validators import postcode_clean
from omzien.lib.forms import DateOfBirthField, PhoneField, PlainMessages, date_picker
from omzien.residents.models import ConsentMethod

PUBLIC_RELATIONS = [
    (value, label) for value, label in ReporterRelation.choices if value != ReporterRelation.SELF
]
ANSWERS = Answer.choices


class SignalForm(PlainMessages, forms.Form):
    """A worry about someone: who it is about, what was noticed, whether they know, how urgent.

    Used by the public form (with the reporter's own details) and by logged-in reporters (whose
    details come from their account). Plain language on purpose: anyone may fill it in.
    """

    # About the resident.
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, error_messages={"required": _("Fill in the last name of the person.")}
    )
    date_of_birth = DateOfBirthField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only if you know it."),
    )  # fmt: skip
    street = forms.CharField(label=_("Street"), max_length=150, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=20, required=False)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=8, help_text=_("For example 3561 AB. We need it to find the right team."),
        error_messages={"required": _("Fill in the postcode of the person.")},
    )  # fmt: skip
    phone = PhoneField(label=_("Phone number of the person"), required=False)
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
    reporter_phone = PhoneField(label=_("Your phone number"), required=False)
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


class AssignForm(PlainMessages, forms.Form):
    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = ColleagueChoiceField(label=_("Assign to"), queryset=members, empty_label=None)


class NoteForm(PlainMessages, forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a note first.")},
    )  # fmt: skip


class DecisionForm(PlainMessages, forms.Form):
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


class DuplicateForm(PlainMessages, forms.Form):
    original = forms.UUIDField(widget=forms.HiddenInput)


class CallForm(PlainMessages, forms.Form):
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
    phone = PhoneField(label=_("Caller's phone number"), required=False)
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


# Cases: intake, advice, referrals, answers, follow-ups, closing.

DJG_ANSWERS = [("1", _("yes")), ("0", _("more or less")), ("-1", _("no"))]


def djg11_fields(form: forms.Form, *, required: bool) -> None:
    """The eleven De Jong Gierveld statements as radio groups (yes / more or less / no), in the page's language."""
    from django.utils.translation import get_language

    from omzien.wellbeing.instruments import INSTRUMENTS

    dutch = (get_language() or "nl").startswith("nl")
    for item in INSTRUMENTS["djg11"].items:
        form.fields[f"item_{item.number}"] = forms.ChoiceField(
            label=f"{item.number}. {item.nl if dutch else item.en}", choices=DJG_ANSWERS, widget=forms.RadioSelect,
            required=required, error_messages={"required": _("Choose an answer for this statement.")},
        )  # fmt: skip


def djg11_answers(form: forms.Form) -> list[int] | None:
    """The engine codes of the answered statements (MISSING for open ones); None when none was answered."""
    from omzien.wellbeing.instruments import INSTRUMENTS
    from omzien.wellbeing.scoring import MISSING

    values = [form.cleaned_data.get(f"item_{item.number}") for item in INSTRUMENTS["djg11"].items]
    if not any(values):
        return None
    return [int(value) if value else MISSING for value in values]


class StatementsForm(PlainMessages, forms.Form):
    def statement_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("item_")]


class IntakeForm(StatementsForm):
    goals = forms.CharField(
        label=_("Goals, in the resident's own words"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        error_messages={"required": _("Write down the resident's goals, in their own words.")},
    )  # fmt: skip
    interests = forms.CharField(label=_("Interests"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    can_offer = forms.CharField(label=_("What the resident can offer others"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    barriers = forms.MultipleChoiceField(label=_("Barriers"), required=False, choices=Barrier.choices,
                                         widget=forms.CheckboxSelectMultiple)  # fmt: skip
    barrier_note = forms.CharField(label=_("About the barriers"), required=False, max_length=1000)
    is_carer = forms.BooleanField(label=_("The resident is an informal carer (mantelzorger)"), required=False)
    other_problems = forms.BooleanField(label=_("There are other problems as well (debts, housing, health, care)"),
                                        required=False)  # fmt: skip

    def __init__(self, *args: Any, measurement_needed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        djg11_fields(self, required=False)
        self.measurement_needed = measurement_needed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.measurement_needed and djg11_answers(self) is None:
            raise forms.ValidationError(_("There is no recent measurement: answer the statements of the De Jong Gierveld scale."))
        return data


class TieForm(PlainMessages, forms.Form):
    name = forms.CharField(label=_("Who"), max_length=100, required=False,
                           help_text=_("As the resident calls them, e.g. 'daughter Anja'."))  # fmt: skip
    relation = forms.ChoiceField(label=_("Relation"), required=False, choices=[("", "—"), *NetworkTie.Relation.choices])
    frequency = forms.ChoiceField(label=_("How often they meet"), required=False,
                                  choices=[("", "—"), *NetworkTie.Frequency.choices])  # fmt: skip
    wish = forms.ChoiceField(label=_("Wish"), required=False, choices=NetworkTie.Wish.choices, initial=NetworkTie.Wish.SAME)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name", "").strip() and not (data.get("relation") and data.get("frequency")):
            raise forms.ValidationError(_("Give the relation and how often they meet for %(name)s.") % {"name": data["name"]})
        return data


TieFormSet = forms.formset_factory(TieForm, extra=0, min_num=8, max_num=20)


class AdviceForm(PlainMessages, forms.Form):
    chosen = forms.MultipleChoiceField(
        label=_("Routes chosen with the resident"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one route.")},
    )  # fmt: skip
    note = forms.CharField(label=_("Why (needed when you choose a route that was not proposed)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, routes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = routes  # type: ignore[attr-defined]


SHARE_LABELS = {
    "first_name": _("first name"), "last_name": _("last name"), "phone": _("phone"), "street": _("address"),
    "postcode": _("postcode"), "date_of_birth": _("date of birth"), "languages": _("languages"),
    "interests": _("interests"), "barriers": _("barriers"), "goals": _("goals"),
}  # fmt: skip


class ReferralForm(PlainMessages, forms.Form):
    activity = forms.ChoiceField(label=_("Activity or service"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    target_name = forms.CharField(label=_("Or the name of an organisation outside Omzien"), required=False, max_length=200)
    shared = forms.MultipleChoiceField(
        label=_("What the resident agrees to share with the organisation"), required=False,
        choices=list(SHARE_LABELS.items()), widget=forms.CheckboxSelectMultiple,
        initial=["first_name", "last_name", "phone"],
    )  # fmt: skip
    message = forms.CharField(label=_("Message to the organisation"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("No more than needed; it travels with the referral."))  # fmt: skip
    consent_method = forms.ChoiceField(
        label=_("How did the resident agree to the referral and to what is shared?"), choices=ConsentMethod.choices,
        widget=forms.RadioSelect, error_messages={"required": _("Say how the resident agreed.")},
    )  # fmt: skip

    def __init__(self, *args: Any, kind: str, activities: list[tuple[str, str]], organisations: list[tuple[str, str]],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["activity"].choices = [("", "—"), *activities]  # type: ignore[attr-defined]
        self.fields["organisation"].choices = [("", "—"), *organisations]  # type: ignore[attr-defined]
        if kind in ("day_activity", "directory"):
            del self.fields["organisation"], self.fields["target_name"]
            self.fields["activity"].required = True
            self.fields["activity"].error_messages["required"] = _("Choose the activity or service.")
        else:
            del self.fields["activity"]
            if kind != "organisation":
                del self.fields["target_name"]
            if kind == "person":
                self.fields["organisation"].required = True
                self.fields["organisation"].error_messages["required"] = _("Choose the organisation that finds the volunteer or host.")
            if kind == "team":
                del self.fields["organisation"], self.fields["shared"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organisation") and (data.get("target_name") or "").strip():
            raise forms.ValidationError(_("Choose an organisation in Omzien or type the name of one outside it, not both."))
        return data


class AnswerForm(PlainMessages, forms.Form):
    status = forms.ChoiceField(label=_("Answer"), widget=forms.RadioSelect,
                               error_messages={"required": _("Choose an answer.")})  # fmt: skip
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Needed when you decline or end it."))  # fmt: skip

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = statuses  # type: ignore[attr-defined]


class FollowUpAnswerForm(StatementsForm):
    """The resident's own answers through a personal link (also the professional's, in a conversation)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        djg11_fields(self, required=False)

    def clean(self) -> dict[str, Any]:
        from django.utils.text import get_text_list

        from omzien.wellbeing.scoring import MISSING
        from omzien.wellbeing.services import unscorable_reason

        data = super().clean() or {}
        answers = djg11_answers(self)
        if answers is None:
            raise forms.ValidationError(_("Answer the statements; you may leave one or two open."))
        # Said to the resident in their words — the scale's rule and "save it as incomplete" are the professional's.
        if unscorable_reason("djg11", answers):
            still_open: list[Any] = [str(n) for n, answer in enumerate(answers, start=1) if answer == MISSING]
            raise forms.ValidationError(
                _("Please also answer statements %(numbers)s: too many were left open to give a result.")
                % {"numbers": get_text_list(still_open, _("and"))}
            )
        return data


class CloseForm(PlainMessages, forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=CloseReason.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Choose the reason for closing.")})  # fmt: skip
    note = forms.CharField(label=_("Closing note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class WmoForm(PlainMessages, forms.Form):
    melding_on = forms.DateField(
        label=_("Date the resident asked for a Wmo provision (melding)"), widget=date_picker(),
        error_messages={"required": _("Give the date of the request."), "invalid": _("Give a valid date.")},
    )  # fmt: skip

    def clean_melding_on(self) -> date:
        value: date = self.cleaned_data["melding_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the request cannot be in the future."))
        if value < timezone.localdate() - timedelta(days=366):
            raise forms.ValidationError(_("The date is more than a year ago; check it."))
        return value


class AssignCaseForm(PlainMessages, forms.Form):
    professional = forms.ChoiceField(label=_("Professional"))

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].choices = [(str(user.pk), user.get_full_name() or user.username) for user in members]  # type: ignore[attr-defined]


class CaseOpenForm(PlainMessages, forms.Form):
    """Open a case for a resident the team knows, without a signal."""

    reason = forms.CharField(
        label=_("How did the question for support reach the team?"), max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: came by the team's office, phoned, brought by a colleague. No more than needed."),
        error_messages={"required": _("Say how the question for support reached the team.")},
    )  # fmt: skip
    professional = forms.ChoiceField(label=_("Professional"))
    consent_method = forms.ChoiceField(
        label=_("How did the resident consent to support from the neighbourhood team?"), choices=ConsentMethod.choices,
        widget=forms.RadioSelect, required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, members: Any, consent_needed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].choices = [(str(user.pk), user.get_full_name() or user.username) for user in members]  # type: ignore[attr-defined]
        self.consent_needed = consent_needed
        if not consent_needed:
            del self.fields["consent_method"]

    def clean_consent_method(self) -> str:
        value: str = self.cleaned_data.get("consent_method") or ""
        if self.consent_needed and not value:
            raise forms.ValidationError(_("The resident has not consented to support: say how they gave their consent."))
        return value

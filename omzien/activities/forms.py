# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.validators import MaxValueValidator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from omzien.activities.models import WEEKDAYS, Activity, Term
from omzien.activities.schedules import ScheduleError, Slot, parse_schedule
from omzien.geo.models import District
from omzien.geo.selectors import normalize_postcode, postcode_get
from omzien.geo.validators import postcode_clean
from omzien.lib.forms import BoundedModelMultipleChoiceField, PlainMessages
from omzien.residents.forms import LANGUAGES
from omzien.residents.models import ConsentMethod

RADII = [("1", "1 km"), ("2", "2 km"), ("3", "3 km"), ("5", "5 km"), ("10", "10 km")]
PARTS = [
    ("", _("any time")),
    ("morning", _("morning")),
    ("afternoon", _("afternoon")),
    ("evening", _("evening")),
]


def _term_choices(vocabulary: str) -> list[tuple[str, str]]:
    """The terms as filter choices, named and sorted in the language of the page."""
    names = [(t.code, t.display_name) for t in Term.objects.filter(vocabulary=vocabulary)]
    return sorted(names, key=lambda choice: choice[1].casefold())


def _search_choices() -> dict[str, list[tuple[str, str]]]:
    """Districts and taxonomy terms for the search filters, cached per language for five minutes (they rarely change)."""

    def build() -> dict[str, list[tuple[str, str]]]:
        return {
            "districts": list(District.objects.order_by("name").values_list("code", "name")),
            "interests": _term_choices(Term.Vocabulary.INTEREST),
            "groups": _term_choices(Term.Vocabulary.TARGET_GROUP),
        }

    return cache.get_or_set(f"activities:search-choices:{get_language()}", build, 300)  # type: ignore[return-value]


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _postcode_point(code: str) -> tuple[float, float] | None:
    """Where a postcode lies (PC6, else its PC4), cached for ten minutes: every search asks it."""
    key = f"activities:postcode-point:{code}"
    point = cache.get(key)
    if point is None:
        known = postcode_get(code)
        found = known is not None and known.lat is not None and known.lon is not None
        point = (known.lat, known.lon) if found else ()  # type: ignore[union-attr]
        cache.set(key, point, 600)
    return tuple(point) if point else None  # type: ignore[return-value]


class SearchForm(PlainMessages, forms.Form):
    where = forms.CharField(
        label=_("Postcode or address"), required=False, max_length=120,
        help_text=_("For example 3561 AB, or Zamenhofdreef 1, 3562 JT."),
    )  # fmt: skip
    radius = forms.ChoiceField(label=_("Distance"), choices=RADII, initial="3", required=False)
    wijk = forms.ChoiceField(label=_("District"), required=False)
    day = forms.ChoiceField(label=_("Day"), required=False)
    part = forms.ChoiceField(label=_("Part of the day"), choices=PARTS, required=False)
    interest = forms.ChoiceField(label=_("Interest"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("any language")), *LANGUAGES], required=False
    )
    group = forms.ChoiceField(label=_("For whom"), required=False)
    free = forms.BooleanField(label=_("Only with free places"), required=False)
    q = forms.CharField(label=_("Search words"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _search_choices()
        _choices(
            self,
            "wijk",
            [
                ("", _("all districts")),
                *choices["districts"],
            ],
        )
        _choices(self, "day", [("", _("any day")), *[(str(n), label) for n, label in WEEKDAYS]])
        _choices(self, "interest", [("", _("all interests")), *choices["interests"]])
        # "all groups" (no filter), not "everyone": the target group "Iedereen" is a choice of its own.
        _choices(self, "group", [("", _("all target groups")), *choices["groups"]])
        self.point: tuple[float, float] | None = None

    def clean_where(self) -> str:
        text = self.cleaned_data["where"].strip()
        if not text:
            return ""
        # Without a geocoder an address is placed by its postcode (the first thing in it that looks like one).
        candidates = [normalize_postcode(text)] + [
            normalize_postcode(" ".join(pair)) for pair in zip(text.split(), text.split()[1:], strict=False)
        ] + [normalize_postcode(word) for word in text.replace(",", " ").split()]  # fmt: skip
        codes = [code for code in candidates if code]
        if not codes:
            # A street and house number alone (no geocoder here): say what to type, not that a postcode is unknown.
            raise forms.ValidationError(
                _("Enter a postcode, like 3561 AB, or an address with its postcode: we find the place by its postcode.")
            )
        for code in codes:
            point = _postcode_point(code)
            if point is not None:
                self.point = point
                return code
        raise forms.ValidationError(
            _("We do not know this postcode. Enter a postcode in the municipality, like 3561 AB.")
        )


MAX_CAPACITY = 100_000  # places in one activity; more is a typing error


class ActivityForm(PlainMessages, forms.ModelForm):
    location_name = forms.CharField(label=_("Name of the location"), max_length=200, required=False,
                                    help_text=_("Optional. Leave the name, street and postcode empty for an activity without a fixed place."))  # fmt: skip
    street = forms.CharField(label=_("Street and house number"), max_length=200, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=8, required=False)
    wheelchair_accessible = forms.BooleanField(label=_("Wheelchair accessible"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    schedule = forms.CharField(
        label=_("When"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("One session per line: day, start and end, e.g. 'ma 10:00-12:00' or 'do 14:00-16:00 om de 2 weken'."),
    )  # fmt: skip
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=LANGUAGES, required=False,
                                          widget=forms.CheckboxSelectMultiple, initial=["nl"])  # fmt: skip
    interests = BoundedModelMultipleChoiceField(
        label=_("Interests"), queryset=Term.objects.filter(vocabulary=Term.Vocabulary.INTEREST),
        widget=forms.CheckboxSelectMultiple, required=False,
    )  # fmt: skip
    target_groups = BoundedModelMultipleChoiceField(
        label=_("For whom"), queryset=Term.objects.filter(vocabulary=Term.Vocabulary.TARGET_GROUP),
        widget=forms.CheckboxSelectMultiple, required=False,
    )  # fmt: skip

    class Meta:
        model = Activity
        fields = ["title", "description", "capacity", "access", "cost_eur", "cost_note", "contact_phone",
                  "contact_email", "is_active"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activity = self.instance
        if activity.pk:
            location = activity.location
            if location is not None:
                self.initial.update(location_name=location.name, street=location.street, postcode=location.postcode,
                                    wheelchair_accessible=location.wheelchair_accessible,
                                    hearing_loop=location.hearing_loop)  # fmt: skip
            self.initial["schedule"] = "\n".join(
                Slot(s.weekday, s.starts_at, s.ends_at, s.interval_weeks).text()
                for s in activity.schedules.all()
            )
            self.initial["languages"] = activity.languages
            self.initial["interests"] = list(activity.interests.all())
            self.initial["target_groups"] = list(activity.target_groups.all())
        self.fields["cost_eur"].min_value = Decimal(0)  # type: ignore[attr-defined]
        # The same bound on every database (SQLite's column would take 3,000,000,000; PostgreSQL's not).
        capacity = self.fields["capacity"]
        capacity.validators.append(MaxValueValidator(MAX_CAPACITY))
        capacity.widget.attrs["max"] = MAX_CAPACITY

    def clean_postcode(self) -> str:
        return postcode_clean(self.cleaned_data["postcode"])

    def clean_schedule(self) -> list[Slot]:
        try:
            return parse_schedule(self.cleaned_data["schedule"])
        except ScheduleError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_cost_eur(self) -> Decimal:
        cost = self.cleaned_data["cost_eur"]
        if cost is not None and cost < 0:
            raise forms.ValidationError(_("The cost cannot be negative."))
        return cost or Decimal(0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Any part of an address makes a fixed place; the postcode places it (a name alone is not enough).
        if (data.get("location_name") or data.get("street")) and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error(
                "postcode", _("Give the location's postcode, so residents can find it by distance.")
            )
        activity = self.instance
        if activity.pk and data.get("capacity") is not None and data["capacity"] < activity.places_taken:
            self.add_error("capacity", _("%(taken)s places are taken; the number of places cannot be lower.")
                           % {"taken": activity.places_taken})  # fmt: skip
        return data


class OnBehalfForm(PlainMessages, forms.Form):
    resident = forms.ChoiceField(label=_("Client"))
    consent_method = forms.ChoiceField(
        label=_("How did the client agree to share their name and contact details with the provider?"),
        choices=[(k, v) for k, v in ConsentMethod.choices if k != ConsentMethod.DIGITAL],
    )  # fmt: skip
    need = forms.TypedChoiceField(
        label=_("Need (for a waiting list)"), coerce=int, required=False,
        choices=[("", _("from the latest measurement")), (1, _("1 — low")), (2, _("2 — moderate")), (3, _("3 — high"))],
    )  # fmt: skip

    def __init__(self, *args: Any, clients: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "resident", [("", "—"), *clients])


class UploadForm(PlainMessages, forms.Form):
    file = forms.FileField(label=_("File (CSV or Excel)"),
                           help_text=_("One activity per row, with the columns of the example file."))  # fmt: skip

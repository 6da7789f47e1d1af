# SPDX-License-Identifier: EUPL-1.2
"""Input shape of the reports room's forms (the files themselves are checked by the statistical core)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from omzien.lib.forms import PlainMessages, date_picker
from omzien.lib.uploads import UploadRefusedError, xlsx_check
from omzien.reports.models import Edition
from omzien.reports.selectors import INDICATORS, LEVELS
from omzien.wellbeing.bulk import FILE_LIMITS

FILE_TYPES = (".csv", ".xlsx", ".sav")
LEVEL_CHOICES = [("wijk", _("wijken")), ("buurt", _("buurten"))]


MAX_FILE_MB = 100


class SurveyFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and Path(upload.name).suffix.lower() not in FILE_TYPES:
            raise forms.ValidationError(_("Choose a CSV, Excel (.xlsx) or SPSS (.sav) file."))
        if upload and upload.size > MAX_FILE_MB * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_MB})
        if upload and Path(upload.name).suffix.lower() == ".xlsx":
            # A workbook that declares more rows or columns than it may have is refused now, in a
            # moment, not after the background run has spent its time and memory on it.
            try:
                xlsx_check(upload.file, FILE_LIMITS)
            except UploadRefusedError as refused:
                raise forms.ValidationError(str(refused)) from refused
            finally:
                upload.seek(0)
        return upload


class UploadForm(PlainMessages, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example: Gezondheidsmonitor volwassenen 2024"))  # fmt: skip
    fieldwork_date = forms.DateField(label=_("Date of the survey"), help_text=_("For example 2024-10-01"),
                                     widget=date_picker())  # fmt: skip
    survey = SurveyFileField(
        label=_("Survey"),
        help_text=_("One row per respondent: item_1 … item_11, area (CBS code), age or age_group, sex; "
                    "optionally weight, stratum, psu, wave."),
    )  # fmt: skip
    margins = SurveyFileField(label=_("Population margins"),
                              help_text=_("CSV: area, age_group, sex, population (CBS style)."))  # fmt: skip
    buurten = forms.BooleanField(
        label=_("Also per buurt"), required=False, initial=True,
        help_text=_("Needs buurt codes (BU…) in the survey and the margins."),
    )  # fmt: skip
    codes = forms.CharField(label=_("Numeric answer codes"), required=False, max_length=200,
                            help_text=_("Only when the answers are numbers, e.g. 1=ja,2=min of meer,3=nee"))  # fmt: skip
    rename = forms.CharField(label=_("Column names"), required=False, max_length=500,
                             help_text=_("Only when the survey's columns are named otherwise, e.g. vraag1=item_1,"
                                         "wijkcode=area"))  # fmt: skip


class FigureChoiceForm(PlainMessages, forms.Form):
    """Which figures an edition page shows (a GET form; bad values fall back to the defaults)."""

    niveau = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)
    indicator = forms.ChoiceField(label=_("Indicator"), required=False, choices=[])
    golf = forms.CharField(label=_("Wave"), required=False)

    def __init__(self, *args: Any, edition: Edition | None = None, **kwargs: Any) -> None:
        from omzien.reports.models import INDICATOR_LABELS

        super().__init__(*args, **kwargs)
        indicator = self.fields["indicator"]
        level = self.fields["niveau"]
        assert isinstance(indicator, forms.ChoiceField) and isinstance(level, forms.ChoiceField)
        indicator.choices = [(i, INDICATOR_LABELS[i]) for i in INDICATORS]
        if edition is not None:
            level.choices = [(v, label) for v, label in LEVEL_CHOICES if v in edition.levels]

    def choice(self, name: str, default: str) -> str:
        value = self.cleaned_data.get(name) if self.is_valid() else None
        return value or default


__all__ = ["LEVELS"]


class WhatIfForm(PlainMessages, forms.Form):
    """A change in supply: places more or fewer at the activities of one kind in one wijk."""

    interest = forms.ChoiceField(label=_("Kind of activity"))
    wijk = forms.ChoiceField(label=_("Wijk"))
    places = forms.IntegerField(
        label=_("Places more (or fewer, with a minus sign)"), min_value=-1000, max_value=1000,
        help_text=_("For example 20, or -10."),
        error_messages={
            "invalid": _("Give a whole number of places, for example 20, or -10."),
            "min_value": _("Choose a number of places from -1000 to 1000."),
            "max_value": _("Choose a number of places from -1000 to 1000."),
            "required": _("Give the number of places more (or fewer, with a minus sign)."),
        },
    )  # fmt: skip
    name = forms.CharField(label=_("Name of the scenario"), max_length=120, required=False,
                           help_text=_("Optional; to find it back when comparing."))  # fmt: skip

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], wijken: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interest"].choices = kinds  # type: ignore[attr-defined]
        self.fields["wijk"].choices = wijken  # type: ignore[attr-defined]

    def clean_places(self) -> int:
        places: int = self.cleaned_data["places"]
        if places == 0:
            raise forms.ValidationError(_("Give a number of places other than 0."))
        return places


class VolunteersWhatIfForm(PlainMessages, forms.Form):
    """A change in volunteers: more or fewer for a person route in one wijk, or in the whole city."""

    route = forms.ChoiceField(label=_("Route"))
    district = forms.ChoiceField(label=_("Wijk"), required=False)
    volunteers = forms.IntegerField(
        label=_("Volunteers more (or fewer, with a minus sign)"), min_value=-500, max_value=500,
        help_text=_("For example 5, or -3."),
        error_messages={
            "invalid": _("Give a whole number of volunteers, for example 5, or -3."),
            "min_value": _("Choose a number of volunteers from -500 to 500."),
            "max_value": _("Choose a number of volunteers from -500 to 500."),
            "required": _("Give the number of volunteers more (or fewer, with a minus sign)."),
        },
    )  # fmt: skip
    label = forms.CharField(label=_("Name of the scenario"), max_length=120, required=False,
                            help_text=_("Optional; to find it back when comparing."))  # fmt: skip

    def __init__(self, *args: Any, routes: list[tuple[str, str]], wijken: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = routes  # type: ignore[attr-defined]
        self.fields["district"].choices = [("", _("The whole city")), *wijken]  # type: ignore[attr-defined]

    def clean_volunteers(self) -> int:
        volunteers: int = self.cleaned_data["volunteers"]
        if volunteers == 0:
            raise forms.ValidationError(_("Give a number of volunteers other than 0."))
        return volunteers

# SPDX-License-Identifier: EUPL-1.2
"""Form fields that refuse what the database cannot hold, with a form error instead of a server error.

A posted id of twenty digits reached the database in ``pk__in`` and raised OverflowError (SQLite) or
"value out of range" (PostgreSQL): an HTTP 500 on input. Django checks the range of single ``exact``
lookups itself, not of the ids a choice field looks up; these fields check them first.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _


def _key_in_range(field: Any, value: Any, message_key: str) -> None:
    model = field.queryset.model
    key = model._meta.get_field(field.to_field_name) if field.to_field_name else model._meta.pk
    internal = key.get_internal_type()
    if "Integer" not in internal and "AutoField" not in internal:
        return
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return  # not a number at all: Django's own check says so
    low, high = connection.ops.integer_field_range(internal)
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValidationError(field.error_messages[message_key], code=message_key,
                              params={"pk": value, "value": value})  # fmt: skip


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        for pk in value:
            _key_in_range(self, pk, "invalid_pk_value")
        return super()._check_values(value)  # type: ignore[misc]  # Django API the stubs leave out


class BoundedModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            _key_in_range(self, value, "invalid_choice")
        return super().to_python(value)


EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def date_picker() -> forms.DateInput:
    """A browser's date picker whose value is always ``2026-12-03``, the one notation it takes (see below)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BoundedDateField(forms.DateField):
    """A date between 1900 and 2999: year 1 or 9999 turned into a moment in a time zone fell off the
    calendar ("date value out of range", HTTP 500); now it is a form error.

    A browser's date picker (``type="date"``) takes only ``2026-12-03`` as its value: in Dutch Django
    writes a date as ``03-12-2026``, which the browser throws away, so a date filled in beforehand (today,
    the day of the calendar one came from, a stored date being edited) showed as an empty field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(self.widget, forms.DateInput) and self.widget.input_type == "date":
            self.widget.format = "%Y-%m-%d"

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not EARLIEST_DAY <= value <= LATEST_DAY:
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s."), code="out_of_range",
                params={"first": formats.date_format(EARLIEST_DAY), "last": formats.date_format(LATEST_DAY)},
            )  # fmt: skip


class DateOfBirthField(BoundedDateField):
    """A date of birth: from 1900, and not after today."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and value > timezone.localdate():
            raise ValidationError(_("This date of birth cannot be right."), code="future")


# What is left of a phone number once spaces, dashes, dots and brackets are taken out: an optional + and
# 6 to 15 digits (ITU E.164 allows 15).
_PHONE_DIGITS = re.compile(r"^\+?[0-9]{6,15}$")
_PHONE_SEPARATORS = re.compile(r"[\s().-]")


class PhoneField(forms.CharField):
    """A phone number as people write it (06-12345678, 030 286 00 00, +31 6 1234 5678), kept as typed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not _PHONE_DIGITS.match(_PHONE_SEPARATORS.sub("", value)):
            raise ValidationError(
                _("Fill in a phone number in digits, for example 06-12345678 or 030 286 00 00."), code="phone"
            )

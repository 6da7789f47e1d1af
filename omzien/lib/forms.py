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
from django.core.validators import (
    BaseValidator,
    EmailValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
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


# Django's own words ("This field is required.", "Select a valid choice. That choice is not one of the
# available choices.") are correct but not plain; each field of the room says what to do instead.
_PLAIN = {
    "required": _("Fill this in."),
    "invalid_choice": _("Choose one of the list."),
    "min_value": _("Fill in %(limit_value)s or more."),
    "max_value": _("Fill in at most %(limit_value)s."),
    "max_digits": _("That amount is too large."),
    "max_whole_digits": _("That amount is too large."),
    "max_decimal_places": _("Fill in at most two digits after the decimal sign."),
}
_PLAIN_CHOICE = {"required": _("Choose one.")}
_PLAIN_FILE = {"required": _("Choose a file."), "empty": _("The file is empty.")}


class PlainMessages:
    """Gives every field plain messages where it still has Django's default one ("Fill this in." for "This
    field is required.", "Fill in 1 or more." for "Ensure this value is greater than or equal to 1."). A
    form mixes it in before ``forms.Form``; a field's own messages are kept."""

    fields: dict[str, forms.Field]

    def plain_invalid(self, field: forms.Field) -> Any:
        """The "invalid" message for a kind of field, or None to keep the field's own."""
        if isinstance(field, forms.EmailField):
            return _("This is not an e-mail address. Check it, like name@example.nl.")
        if isinstance(field, forms.DateField):
            return _("Fill in a date, like 2026-03-18.")
        if isinstance(field, forms.TimeField):
            return _("Fill in a time, like 14:00.")
        if isinstance(field, forms.DecimalField):
            return _("Fill in an amount, like 350 or 350.50.")
        if isinstance(field, forms.IntegerField):
            return _("Fill in a whole number, like 12.")
        return None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            defaults: dict[str, Any] = {}
            for klass in reversed(type(field).__mro__):
                defaults.update(getattr(klass, "default_error_messages", {}))
            plain = dict(_PLAIN)
            if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
                plain.update(_PLAIN_CHOICE)
            if isinstance(field, forms.FileField):
                plain.update(_PLAIN_FILE)
            invalid = self.plain_invalid(field)
            if invalid is not None:
                plain["invalid"] = invalid
            for key, message in plain.items():
                if key in field.error_messages and field.error_messages[key] is defaults.get(key):
                    field.error_messages[key] = message
            if isinstance(field, forms.EmailField):
                # Django's shared validate_email carries its own message: this field gets a copy with ours.
                field.validators = [
                    EmailValidator(message=plain["invalid"]) if type(v) is EmailValidator and v.message is EmailValidator.message else v
                    for v in field.validators
                ]
            for validator in field.validators:
                # Lengths and limits are checked by validators, each with its own message.
                if not isinstance(validator, BaseValidator) or validator.message is not type(validator).message:
                    continue  # not one of those, or a message of its own
                if isinstance(validator, MaxLengthValidator):
                    validator.message = _("Use at most %(limit_value)d characters; this has %(show_value)d.")
                elif isinstance(validator, (MinValueValidator, MaxValueValidator)):
                    key = "min_value" if isinstance(validator, MinValueValidator) else "max_value"
                    validator.message = field.error_messages.get(key) or plain[key]

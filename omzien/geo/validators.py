# SPDX-License-Identifier: EUPL-1.2
"""The one postcode validator for every form, serializer and import (issue #14).

A Dutch postcode in any spelling ("3511 ab", " 3511AB ") is stored one way ("3511AB"); four digits
alone (a PC4 area) are accepted too, as everywhere in Omzien. The messages say what to type.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from omzien.geo.selectors import normalize_postcode

NOT_A_POSTCODE = _("This is not a Dutch postcode. Use four digits and two letters, like 3561 AB.")
POSTCODE_MISSING = _("Enter your postcode, like 3561 AB.")


def postcode_clean(raw: str | None, *, required: bool = False) -> str:
    """Return the postcode in its one spelling ("3511AB"), "" when left empty; ValidationError otherwise."""
    text = (raw or "").strip()
    if not text:
        if required:
            raise ValidationError(POSTCODE_MISSING, code="required")
        return ""
    code = normalize_postcode(text)
    if code is None:
        raise ValidationError(NOT_A_POSTCODE, code="invalid")
    return code

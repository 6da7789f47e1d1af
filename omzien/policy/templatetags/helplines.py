# SPDX-License-Identifier: EUPL-1.2
"""``{{ number|tel }}``: the ``tel:`` form of a phone number as people write it ("088-0767 000")."""

import re

from django import template

register = template.Library()


@register.filter
def tel(number: object) -> str:
    """Return the number's digits (and a leading +) for a ``tel:`` link."""
    text = str(number).strip()
    return ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)

# SPDX-License-Identifier: EUPL-1.2
"""Template filters of the reports room: proportions shown as percentages in the page's language."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """0.3521 → '35,2' (Dutch) or '35.2' (English); None → '—'."""
    if value is None:
        return "—"
    return number_format(value * 100, 1)


@register.filter
def pct_signed(value: float | None) -> str:
    """A difference in percentage points with its sign: '+2,1' or '−0,4'."""
    if value is None:
        return "—"
    text = number_format(abs(value) * 100, 1)
    return ("+" if value >= 0 else "−") + text


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)

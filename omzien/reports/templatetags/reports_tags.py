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


@register.filter
def svg_src(svg: str) -> str:
    """An SVG document as a data: URI for <img src>, so page and PDF carry it as an image with its alt text."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@register.filter
def points(value: float | None) -> str:
    """A change in DJG points with its sign and one decimal: '−1,4' / '+0,3'; None → '—'."""
    if value is None:
        return "—"
    return ("+" if value > 0 else "−" if value < 0 else "") + number_format(abs(value), 1)


@register.filter
def pct_points(value: float | None) -> str:
    """A difference of shares in percentage points with its sign: '+12,0'; None → '—'."""
    return pct_signed(value)

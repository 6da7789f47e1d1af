# SPDX-License-Identifier: EUPL-1.2
"""Template filters of the initiatives room: amounts and dates in the page's language (see ``formats``)."""

from __future__ import annotations

from typing import Any

from django import template

from omzien.initiatives import formats

register = template.Library()


@register.filter
def euro(value: Any) -> str:
    """``{{ amount|euro }}``: "€ 1.250,50" on a Dutch page, "€ 1,250.50" on an English one."""
    return formats.euro(value)


@register.filter
def amount(value: Any) -> str:
    """``{{ amount|amount }}``: "1.250,50" / "1,250.50", for a table whose caption says "in euro"."""
    return formats.amount(value)


@register.filter
def short_date(value: Any, kind: str = "day") -> str:
    """``{{ day|short_date }}``, ``{{ day|short_date:"weekday" }}`` or ``{{ moment|short_date:"moment" }}``."""
    return formats.short_date(value, kind)


@register.filter
def long_date(value: Any) -> str:
    """``{{ day|long_date }}``: "2 december 2026" / "2 December 2026"."""
    return formats.long_date(value)

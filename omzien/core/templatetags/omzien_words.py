# SPDX-License-Identifier: EUPL-1.2
"""Words for people where records hold codes: ``{{ resident.languages|language_names }}``."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from omzien.lib.languages import language_names as _language_names

register = template.Library()


@register.filter
def language_names(codes: Iterable[str] | str | None) -> str:
    return _language_names(codes)

# SPDX-License-Identifier: EUPL-1.2
"""Small template helpers of casework pages."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[str, object], key: str) -> object:
    """``mapping[key]``, or the key itself when it is missing (a route code without a label)."""
    return mapping.get(key, key)

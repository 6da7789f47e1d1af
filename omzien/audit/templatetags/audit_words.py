# SPDX-License-Identifier: EUPL-1.2
"""``{{ entry.actor_role|role_label }}``, ``{{ entry.purpose|purpose_label }}``: the access log in words."""

from __future__ import annotations

from django import template

from omzien.audit import words

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    return words.role_label(value)


@register.filter
def purpose_label(value: str) -> str:
    return words.purpose_label(value)

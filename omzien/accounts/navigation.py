# SPDX-License-Identifier: EUPL-1.2
"""The navigation each role sees. Menus are a convenience: every view still checks access itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from omzien.accounts.roles import Role, user_role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str


def _items(role: Role | None) -> list[tuple[Any, str]]:
    common = [(_("Start"), "accounts:start"), (_("Activities"), "activities:search")]
    by_role: dict[Role, list[tuple[Any, str]]] = {
        Role.RESIDENT: [
            (_("My activities"), "activities:mine"),
            (_("My details"), "residents:mine"),
            (_("Who viewed my details"), "residents:my_access_log"),
        ],
        Role.VOLUNTEER: [(_("My matches"), "residents:list")],
        Role.MEAL_HOST: [(_("My guests"), "residents:list")],
        Role.NEIGHBOURHOOD_PROFESSIONAL: [
            (_("Clients"), "residents:list"),
            (_("New resident"), "residents:create"),
            (_("Contact requests"), "wellbeing:contact_requests"),
        ],
        Role.COORDINATOR: [(_("Referrals"), "residents:list"), (_("Occupancy"), "activities:occupancy")],
        Role.ACTIVITY_PROVIDER: [
            (_("Our activities"), "activities:manage"),
            (_("Participants"), "residents:list"),
            (_("Occupancy"), "activities:occupancy"),
        ],
        Role.SOCIAL_BROKER: [(_("Referrals"), "residents:list"), (_("Occupancy"), "activities:occupancy")],
        Role.POLICY_OFFICER: [(_("Figures"), "residents:figures"), (_("Occupancy"), "activities:occupancy")],
        Role.ADMINISTRATOR: [(_("Administration"), "admin:index"), (_("Access log"), "audit:entries")],
    }
    return common + (by_role.get(role, []) if role else [])


def navigation_for(user: Any) -> list[NavItem]:
    """Return the menu for the user's role (empty for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return [NavItem(label, reverse(name)) for label, name in _items(user_role(user))]

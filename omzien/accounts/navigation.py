# SPDX-License-Identifier: EUPL-1.2
"""The navigation and start page each role sees, collected from the rooms' ``MenuEntry`` and ``StartCard``.

Menus are a convenience: every view still checks access itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from omzien.accounts.roles import role_decls, user_role
from omzien.lib.rooms import (
    EVERY_ROLE_MARK,
    PUBLIC,
    WITH_RESIDENTS_MARK,
    MenuEntry,
    StartCard,
    collector,
    rooms,
)


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    count: int | None = None  # a live number ("Contact requests (3)"), shown when above zero


@dataclass(frozen=True)
class Card:
    title: str | Promise
    text: str | Promise
    url: str


def _for_role(roles: frozenset[str], role: str) -> bool:
    values = {str(value) for value in roles}
    if role in values or EVERY_ROLE_MARK in values:
        return True
    decl = role_decls().get(role)
    return WITH_RESIDENTS_MARK in values and decl is not None and decl.sees_residents


@collector
def _menu_entries() -> list[MenuEntry]:
    """Every room's menu entries, by their order (room order within one order)."""
    entries = [entry for room in rooms() for entry in room.menu]
    return sorted(entries, key=lambda entry: entry.order)


@collector
def _start_cards() -> list[StartCard]:
    cards = [card for room in rooms() for card in room.start_cards]
    return sorted(cards, key=lambda card: card.order)


def _url(name: str) -> str | None:
    # A room still being built may declare an entry before its page exists: leave it out until then.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation_for(user: Any, *, with_counts: bool = True) -> list[NavItem]:
    """Return the menu for the user's role in use (empty for anonymous visitors), with live counts unless told not."""
    if not getattr(user, "is_authenticated", False):
        return []
    role = user_role(user)
    if role is None:
        # An account without a role still finds its start page and the public activities.
        return [NavItem(entry.label, url) for entry in _menu_entries()
                if EVERY_ROLE_MARK in entry.roles and (url := _url(entry.url_name))]  # fmt: skip
    return [
        NavItem(entry.label, url, entry.count(user) if entry.count and with_counts else None)
        for entry in _menu_entries()
        if _for_role(entry.roles, str(role)) and (url := _url(entry.url_name))
    ]


def menu_label_for(user: Any, url_name: str) -> str | Promise | None:
    """The label of the role's menu entry that leads to ``url_name`` (None when none does); no counts."""
    role = user_role(user) if getattr(user, "is_authenticated", False) else None
    if role is None:
        return None
    return next(
        (entry.label for entry in _menu_entries() if entry.url_name == url_name and _for_role(entry.roles, str(role))),
        None,
    )


def start_cards_for(user: Any) -> list[Card]:
    """Return the start-page blocks of the user's role in use."""
    role = user_role(user)
    if role is None:
        return []
    return [
        Card(card.title, card.text, url)
        for card in _start_cards()
        if _for_role(card.roles, str(role)) and (url := _url(card.url_name))
    ]


def public_cards() -> list[Card]:
    """The blocks every visitor sees on the home page: the rooms' start cards declared for PUBLIC
    (a public search, a sign-up form), so a room's public pages are found without typing an address."""
    return [
        Card(card.title, card.text, url)
        for card in _start_cards()
        if PUBLIC in {str(value) for value in card.roles} and (url := _url(card.url_name))
    ]

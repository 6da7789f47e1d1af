# SPDX-License-Identifier: EUPL-1.2
"""The room contract: what each room (Django app) tells the ground floor about itself.

A room declares, in its own ``room.py``, one ``ROOM = Room(...)``. The ground floor collects every
installed app's declaration (``rooms()``, the way ``omzien.lib.tick`` collects ``jobs.py``) and
builds from them: the roles and their permissions, the menu per role, the URL policy table, the
resident-link kinds and the fields each role sees through them, the demo city, the test world, the
resident's data export, erasure and retention, the AVG register of processing, the algorithm register
and the council's figures. Adding a room is a folder plus one ``INSTALLED_APPS`` line
(``docs/adding-a-room.md``).

This module imports no room and no model: callables are referenced here and called by the collectors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from importlib import import_module
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

# Pseudo-roles of the URL policy (the walker also requests every URL as an anonymous visitor).
PUBLIC = "public"
ANONYMOUS = "anonymous"
# Pseudo-roles the URL policy collector expands into real role values, so that a role a room adds
# reaches what every role reaches (or what every role working with residents reaches) by itself.
EVERY_ROLE_MARK = "every-role"
WITH_RESIDENTS_MARK = "roles-with-residents"
EVERY_ROLE = frozenset({EVERY_ROLE_MARK})
WITH_RESIDENTS = frozenset({WITH_RESIDENTS_MARK})


@dataclass(frozen=True)
class UrlRule:
    """Who may reach one URL pattern, and how the URL walker tries it.

    ``allowed`` holds role values (or ``PUBLIC``); ``sample_kwargs(name, world)`` returns the
    ``reverse()`` kwargs naming real objects of the test world; ``personal_data`` marks pages that
    show residents (the walker then checks the access log).
    """

    allowed: frozenset[str]
    method: str = "get"
    ok_status: tuple[int, ...] = (200,)
    sample_kwargs: Callable[[str, Any], dict[str, Any]] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    personal_data: bool = False


@dataclass(frozen=True)
class RoleDecl:
    """A role a room adds (a Django group of the same name, created and synced by the accounts room).

    ``two_factor``: staff roles must pass TOTP and get the short idle timeout. ``sees_residents``: a
    grant of this role is a sensitive change (four eyes, access log). ``demo_username``: the demo's
    one-click login for this role, if any, working at ``demo_organisation`` (a name in the demo city).
    ``start_text``: the sentence the role's start page opens with.
    """

    value: str
    label: Any  # a lazy translation
    two_factor: bool = True
    sees_residents: bool = False
    demo_username: str | None = None
    demo_organisation: str | None = None
    start_text: Any = ""


@dataclass(frozen=True)
class OrganisationKindDecl:
    value: str
    label: Any


@dataclass(frozen=True)
class MenuEntry:
    """One item of a role's menu; ``count(user)`` gives a live number shown as "Label (3)" when > 0."""

    label: Any
    url_name: str
    roles: frozenset[str]
    count: Callable[[Any], int] | None = None
    order: int = 50


@dataclass(frozen=True)
class StartCard:
    """A block on a role's start page: a heading, a sentence and the URL it leads to."""

    title: Any
    text: Any
    url_name: str
    roles: frozenset[str]
    order: int = 50


@dataclass(frozen=True)
class ResidentPageEntry:
    """A room's entry on the resident pages, so the residents room names no room's URL.

    ``page="detail"``: on a professional's view of a resident, for users with ``permission``: a link to
    (``method="get"``) or a button posting to (``"post"``, under ``heading`` and ``text``) one of the
    room's URLs that takes the resident's public_id. ``page="own"``: a link on the resident's own page
    to a URL without arguments.
    """

    label: Any
    url_name: str
    permission: str = ""
    page: str = "detail"
    method: str = "get"
    heading: Any = ""
    text: Any = ""
    testid: str = ""
    order: int = 50


@dataclass(frozen=True)
class LinkKindDecl:
    """A kind of ``ResidentLink`` a room opens, and what each role sees through it.

    ``fields`` maps a role to the resident fields it sees through a link of this kind.
    ``needs_sharing_consent``: partner staff see the resident only while the resident's consent to
    share with their organisation stands. ``personal``: the link names one user (a volunteer or
    host of a match), not a whole organisation.
    """

    value: str
    label: Any
    fields: Mapping[str, tuple[str, ...]]
    needs_sharing_consent: bool = True
    personal: bool = False


@dataclass(frozen=True)
class DataExportSection:
    """A section of the resident's data export (AVG art. 15/20): ``collect(resident)`` returns plain
    JSON-serialisable data, without what would identify others (art. 15(4))."""

    key: str
    title: Any
    collect: Callable[[Any], Any]


@dataclass(frozen=True)
class ErasureStep:
    """Removes or anonymises a resident's traces in one room; returns what it did, per kind of record.

    ``legal_hold`` lists what the step keeps because the law requires it, with the legal ground.
    ``labels`` words each kind ``erase`` counts for the privacy officer's report (kind -> lazy translation,
    e.g. ``"signals": _("Signals removed")``); the report shows "<label>: <count>" in the reader's language.
    """

    key: str
    erase: Callable[[Any], Mapping[str, int]]
    legal_hold: tuple[Any, ...] = ()
    labels: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RetentionRule:
    """Records of one kind that expire: ``apply(now, dry_run)`` removes (or, dry, counts) the expired
    ones and returns their number. ``policy_key`` names the retention period in the policy data."""

    key: str
    description: Any
    policy_key: str
    default: timedelta
    apply: Callable[[datetime, bool], int]
    basis: str = ""  # e.g. "VNG Selectielijst 2020, categorie 7.1.5"


@dataclass(frozen=True)
class ProcessingPurpose:
    """One line of the AVG art. 30 register of processing."""

    key: str
    name: Any
    legal_ground: Any
    data_categories: tuple[Any, ...]
    subject_categories: tuple[Any, ...]
    recipients: tuple[Any, ...]
    retention: Any
    special_categories: bool = False  # health data (art. 9)


@dataclass(frozen=True)
class AlgorithmDecl:
    """One entry of the Dutch algorithm register, in the fields of its publication standard
    (Algoritmeregister-Publicatiestandaard: Naam, Korte omschrijving, Doel en impact, Menselijke tussenkomst,
    Risicobeheer, Wettelijke basis, Link naar verwerkingsregister, Gegevens, Technische werking, Link naar
    broncode). The fields the municipality itself decides (organisation, contact, status, start date) come
    from policy in ``rights.selectors.algorithm_rows``.

    ``processing_purpose`` is the key of the room's ``ProcessingPurpose`` the algorithm serves (the link to
    the register of processing); ``category`` the standard's publication category: "impactful" (Impactvolle
    algoritmes, B) or "other" (Overige algoritmes, C).
    """

    key: str
    name: Any
    description: Any
    data: Any
    human_oversight: Any
    legal_basis: Any = ""
    risks: Any = ""
    source_url: str = ""
    goal: Any = ""
    methods: Any = ""
    processing_purpose: str = ""
    category: str = "impactful"


@dataclass(frozen=True)
class ReportSection:
    """A section of the council's figures: ``build(context)`` returns aggregates only, never a person."""

    key: str
    title: Any
    build: Callable[[Any], Any]
    order: int = 50


@dataclass(frozen=True)
class PolicyDecl:
    """A piece of municipal policy the room reads (kept as data with an admin screen and a history).

    ``kind`` is one of "int", "decimal", "duration_hours", "duration_days", "text", "json"; the
    default is what a new installation starts with. Read it with ``omzien.policy.get(key)``.
    """

    key: str
    label: Any
    kind: str
    default: Any
    help_text: Any = ""


@dataclass
class DemoContext:
    """What a room's ``demo(ctx)`` gets: the seeded randomness and what the rooms before it made.

    ``organisations``: name -> Organisation; ``users``: role value -> that role's demo user;
    ``residents``: the demo residents (the first ones belong to the demo users' own stories);
    ``now``: the demo's "today" (seed history with explicit times before it); ``extra``: what a room
    leaves for rooms after it, under keys it documents.
    """

    seed: int
    rng: Any  # random.Random
    fake: Any  # faker.Faker("nl_NL")
    now: datetime
    organisations: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    residents: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Room:
    """Everything the ground floor needs to know about one room. All parts are optional."""

    label: str  # the app label
    # Where the room's ``urls.py`` is mounted ("" for the site root); None: the room has no pages, or
    # conf/urls.py includes them itself.
    urls: str | None = None
    permissions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # role value -> "app.codename"
    roles: tuple[RoleDecl, ...] = ()
    organisation_kinds: tuple[OrganisationKindDecl, ...] = ()
    menu: tuple[MenuEntry, ...] = ()
    start_cards: tuple[StartCard, ...] = ()
    resident_page: tuple[ResidentPageEntry, ...] = ()
    url_policy: Mapping[str, UrlRule] = field(default_factory=dict)
    link_kinds: tuple[LinkKindDecl, ...] = ()
    # demo(ctx) adds the room's part of the demo city; runs after the rooms named in demo_after.
    demo: Callable[[Any], None] | None = None
    demo_after: tuple[str, ...] = ()
    # test_world(world) adds the room's objects to the access-test world (world.extra[...]).
    test_world: Callable[[Any], None] | None = None
    data_export: tuple[DataExportSection, ...] = ()
    erasure: tuple[ErasureStep, ...] = ()
    retention: tuple[RetentionRule, ...] = ()
    purposes: tuple[ProcessingPurpose, ...] = ()
    algorithms: tuple[AlgorithmDecl, ...] = ()
    report_sections: tuple[ReportSection, ...] = ()
    policies: tuple[PolicyDecl, ...] = ()
    # The access-log purposes this room records, in words for the log pages (code -> lazy translation).
    access_purposes: Mapping[str, Any] = field(default_factory=dict)
    # resident_urgency(resident) -> 1..3: how urgently the resident needs a scarce place, by this room's
    # knowledge (wellbeing: the latest loneliness measurement); the highest any room gives counts.
    resident_urgency: Callable[[Any], int] | None = None


_collector_caches: list[Any] = []


def collector(function: Callable[[], Any]) -> Any:
    """Cache a function that collects from ``rooms()``; emptied with it when the installed apps change."""
    cached = cache(function)
    _collector_caches.append(cached)
    return cached


def rooms_reset() -> None:
    """Forget every collected declaration (after ``INSTALLED_APPS`` changed, e.g. in a test)."""
    rooms.cache_clear()
    for cached in _collector_caches:
        cached.cache_clear()


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "INSTALLED_APPS":
        from django.urls import clear_url_caches

        rooms_reset()
        clear_url_caches()  # conf/urls.py mounts the rooms' URLs


setting_changed.connect(_on_setting_changed, dispatch_uid="omzien_rooms_reset")


@cache
def rooms() -> tuple[Room, ...]:
    """Every installed app's ``ROOM``, in ``INSTALLED_APPS`` order (apps without ``room.py`` skipped)."""
    from django.apps import apps

    found: list[Room] = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.room")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.room":
                raise
            continue
        room = getattr(module, "ROOM", None)
        if not isinstance(room, Room):
            raise TypeError(f"{config.name}.room must define ROOM = Room(...)")
        found.append(room)
    return tuple(found)


def room(label: str) -> Room | None:
    """The installed room with this app label, if any."""
    return next((found for found in rooms() if found.label == label), None)


def resident_urgency(resident: Any) -> int:
    """The resident's urgency (1-3) for scarce places: the highest any installed room gives, else 1."""
    return max((room.resident_urgency(resident) for room in rooms() if room.resident_urgency), default=1)


def rooms_in_dependency_order(
    after: Callable[[Room], tuple[str, ...]] = lambda room: room.demo_after,
) -> list[Room]:
    """The rooms sorted so that each comes after the rooms ``after(room)`` names (stable otherwise)."""
    by_label = {room.label: room for room in rooms()}
    ordered: list[Room] = []
    seen: set[str] = set()

    def visit(room: Room, path: tuple[str, ...]) -> None:
        if room.label in seen:
            return
        if room.label in path:
            raise ValueError(f"rooms depend on each other in a circle: {' -> '.join((*path, room.label))}")
        for label in after(room):
            if label in by_label:
                visit(by_label[label], (*path, room.label))
        seen.add(room.label)
        ordered.append(room)

    for room in rooms():
        visit(room, ())
    return ordered


# The declarations the residents' rights, the AVG register, the algorithm register and the council's
# report read: each collected from every installed room, keys unique across rooms.


def _declared(attribute: str) -> tuple[tuple[Room, Any], ...]:
    found: list[tuple[Room, Any]] = []
    seen: dict[str, str] = {}
    for declaring in rooms():
        for declaration in getattr(declaring, attribute):
            if declaration.key in seen:
                raise ImproperlyConfigured(
                    f"{attribute} key {declaration.key!r} is declared by both {seen[declaration.key]} and "
                    f"{declaring.label}"
                )
            seen[declaration.key] = declaring.label
            found.append((declaring, declaration))
    return tuple(found)


@collector
def processing_purposes() -> tuple[tuple[Room, ProcessingPurpose], ...]:
    """Every room's processing purposes (the AVG art. 30 register), in room order."""
    return _declared("purposes")


@collector
def algorithm_declarations() -> tuple[tuple[Room, AlgorithmDecl], ...]:
    """Every room's algorithms (the Dutch algorithm register), in room order."""
    return _declared("algorithms")


@collector
def data_export_sections() -> tuple[tuple[Room, DataExportSection], ...]:
    """The sections of a resident's data export (AVG art. 15 and 20), in room order."""
    return _declared("data_export")


@collector
def erasure_steps() -> tuple[tuple[Room, ErasureStep], ...]:
    """The steps that erase a resident (AVG art. 17), rooms that depend on others first.

    A room that runs after others in the demo (``demo_after``) may hold references to them, so its
    own data goes before theirs.
    """
    order = {declaring.label: position for position, declaring in enumerate(rooms_in_dependency_order())}
    return tuple(sorted(_declared("erasure"), key=lambda pair: -order.get(pair[0].label, 0)))


@collector
def retention_rules() -> tuple[tuple[Room, RetentionRule], ...]:
    """Every room's retention rules, in room order."""
    return _declared("retention")


@collector
def resident_page_entries() -> tuple[tuple[Room, ResidentPageEntry], ...]:
    """Every room's entries on the resident pages, by their declared order."""
    found = [(declaring, entry) for declaring in rooms() for entry in declaring.resident_page]
    return tuple(sorted(found, key=lambda pair: pair[1].order))


@collector
def report_sections() -> tuple[tuple[Room, ReportSection], ...]:
    """The sections of the council's figures and report, by their declared order."""
    return tuple(sorted(_declared("report_sections"), key=lambda pair: pair[1].order))


@collector
def access_purpose_words() -> dict[str, Any]:
    """Every room's access-log purposes in words (the audit pages show these instead of the codes)."""
    return {code: words for declaring in rooms() for code, words in declaring.access_purposes.items()}

# SPDX-License-Identifier: EUPL-1.2
"""The import contracts of omzien.lib.walls fail on the imports they forbid, for rooms that do not exist yet."""

from __future__ import annotations

from typing import Any

import grimp
import pytest

from omzien.lib.walls import (
    GroundFloorImportsNoRoom,
    PureCoresStayPure,
    RoomsImportWithoutCycles,
    RoomsTalkThroughPublicModules,
)

NOT_ROOMS = ["lib", "conf", "core", "policy", "geo", "audit", "accounts", "residents"]


def _graph(*imports: tuple[str, str]) -> Any:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_import(
            importer=importer, imported=imported, line_number=3, line_contents=f"import {imported}"
        )
    return graph


def _kept(contract_type: type, options: dict[str, Any], *imports: tuple[str, str]) -> bool:
    contract = contract_type("test", {}, options)
    return bool(contract.check(_graph(*imports), verbose=False).kept)


@pytest.mark.parametrize(
    ("importer", "imported", "kept"),
    [
        ("omzien.accounts.views", "omzien.newroom.services", False),  # a room added later
        ("omzien.residents.models", "omzien.conf.settings", False),
        ("omzien.accounts.views", "omzien.audit.events", True),
        ("omzien.residents.tests.test_x", "omzien.newroom.services", True),  # tests stand outside
        ("omzien.lib.testing.world", "omzien.newroom.models", True),
    ],
)
def test_the_ground_floor_may_not_import_any_room(importer: str, imported: str, kept: bool) -> None:
    options = {"ground_floor": ["lib", "policy", "geo", "audit", "accounts", "residents"],
               "ignore": ["omzien.lib.testing"]}  # fmt: skip
    assert _kept(GroundFloorImportsNoRoom, options, (importer, imported)) is kept


@pytest.mark.parametrize(
    ("imported", "kept"),
    [
        ("django.db", False),
        ("omzien.wellbeing.models", False),
        ("omzien.wellbeing.scoring", True),
        ("numpy", True),
    ],
)
def test_a_pure_core_imports_only_plain_python_and_other_cores(imported: str, kept: bool) -> None:
    options = {
        "cores": ["omzien.matching.engine", "omzien.wellbeing.scoring"],
        "forbidden_external": ["django"],
    }
    assert _kept(PureCoresStayPure, options, ("omzien.matching.engine.solve", imported)) is kept


def test_a_circle_between_rooms_breaks_the_build_however_long() -> None:
    options = {"not_rooms": NOT_ROOMS}
    line = [
        ("omzien.alpha.services", "omzien.beta.selectors"),
        ("omzien.beta.services", "omzien.gamma.models"),
    ]
    assert _kept(RoomsImportWithoutCycles, options, *line)
    assert not _kept(
        RoomsImportWithoutCycles, options, *line, ("omzien.gamma.views", "omzien.alpha.services")
    )
    # A room importing the ground floor (and the ground floor's own imports) is no circle between rooms.
    assert _kept(RoomsImportWithoutCycles, options, ("omzien.alpha.views", "omzien.accounts.models"),
                 ("omzien.accounts.models", "omzien.lib.rooms"))  # fmt: skip
    # Tests stand outside the building.
    assert _kept(RoomsImportWithoutCycles, options | {"ignore": []}, *line,
                 ("omzien.gamma.tests.test_x", "omzien.alpha.views"))  # fmt: skip


def test_rooms_talk_only_through_public_modules() -> None:
    options = {"not_rooms": NOT_ROOMS, "public": ["services", "selectors", "models"], "shared": []}
    assert _kept(
        RoomsTalkThroughPublicModules, options, ("omzien.newroom.views", "omzien.activities.services")
    )
    assert not _kept(
        RoomsTalkThroughPublicModules, options, ("omzien.newroom.views", "omzien.activities.views")
    )


def test_the_ground_floors_templates_name_no_rooms_url() -> None:
    # A room puts its links and buttons on the resident pages through Room.resident_page; a ground-floor
    # template that named a room's URL would break without that room (and import-linter cannot see it).
    import re
    from pathlib import Path

    from django.conf import settings

    ground = ("accounts", "residents", "audit", "geo", "policy")
    named = re.compile(r"""{%\s*url\s+['"](\w+):""")
    found = [
        f"{path.name}: {namespace}"
        for app in ground
        for path in (Path(settings.BASE_DIR) / "omzien" / app / "templates").rglob("*.html")
        for namespace in named.findall(path.read_text(encoding="utf-8"))
        if namespace not in ground
    ]
    assert found == []

# SPDX-License-Identifier: EUPL-1.2
"""An import-linter contract type: rooms talk to each other only through each other's public modules.

Every subpackage of ``omzien`` that is not named in ``not_rooms`` (the ground floor and the wiring) is
a room, so a room added later is covered without a change here. An import from one room into another
must land in a module named in ``public`` (``services``, ``selectors``, ``models`` for a foreign key)
or in one named in ``shared`` (the pure cores and a few libraries a room offers to others). Tests are
outside the building. Used by the contracts in ``pyproject.toml`` (``lint-imports``).
"""

from __future__ import annotations

from typing import Any

from importlinter import Contract, ContractCheck, fields, output


class RoomsTalkThroughPublicModules(Contract):
    not_rooms = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    shared = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def _values(self, name: str) -> list[str]:
        # import-linter replaces each field with its parsed value on the instance.
        return list(getattr(self, name))

    def _room(self, module: str) -> str | None:
        parts = module.split(".")
        if len(parts) < 3 or parts[0] != "omzien" or parts[1] in self._values("not_rooms") or "tests" in parts:
            return None
        return parts[1]

    def _is_public(self, module: str) -> bool:
        parts = module.split(".")
        shared = self._values("shared")
        return parts[2] in self._values("public") or any(
            module == name or module.startswith(f"{name}.") for name in shared
        )

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        broken: list[tuple[str, str, list[int]]] = []
        for importer in sorted(graph.modules):
            room = self._room(importer)
            if room is None:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                other = self._room(imported)
                if other is None or other == room or self._is_public(imported):
                    continue
                broken.append((importer, imported, _lines(graph, importer, imported)))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        _render(check, "Use the other room's services.py or selectors.py, or offer the module in 'shared'.")


def _top(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == "omzien" else None


def _outside_building(module: str, ignored_prefixes: list[str]) -> bool:
    """Tests and the test-world builder stand outside the building: they may use any room."""
    return "tests" in module.split(".") or any(
        module == prefix or module.startswith(f"{prefix}.") for prefix in ignored_prefixes
    )


def _lines(graph: Any, importer: str, imported: str) -> list[int]:
    return [detail["line_number"] for detail in graph.get_import_details(importer=importer, imported=imported)]


def _render(check: ContractCheck, advice: str) -> None:
    for importer, imported, lines in check.metadata["broken"]:
        output.print_error(f"{importer} -> {imported} (l.{', '.join(map(str, lines))})", bold=False)
        output.new_line()
    output.print(advice)


class GroundFloorImportsNoRoom(Contract):
    """The ground floor imports nothing above it: every other subpackage of ``omzien`` is a room or the
    wiring, so a room added later is forbidden here without a change to the contract."""

    ground_floor = fields.ListField(subfield=fields.StringField())
    ignore = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        floor = set(self.ground_floor)  # type: ignore[call-overload]
        ignored = list(self.ignore)  # type: ignore[call-overload]
        broken: list[tuple[str, str, list[int]]] = []
        for importer in sorted(graph.modules):
            if _top(importer) not in floor or _outside_building(importer, ignored):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                above = _top(imported)
                if above is not None and above not in floor:
                    broken.append((importer, imported, _lines(graph, importer, imported)))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        _render(check, "The ground floor may not import a room or the wiring: let the room register with it.")


class PureCoresStayPure(Contract):
    """The pure cores import no Django, no REST framework and nothing of Omzien but other pure cores."""

    cores = fields.ListField(subfield=fields.StringField())
    forbidden_external = fields.ListField(subfield=fields.StringField())

    def _is_core(self, module: str) -> bool:
        return any(module == core or module.startswith(f"{core}.") for core in self.cores)  # type: ignore[attr-defined]

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        external = set(self.forbidden_external)  # type: ignore[call-overload]
        broken: list[tuple[str, str, list[int]]] = []
        for importer in sorted(graph.modules):
            if not self._is_core(importer):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                root = imported.split(".")[0]
                if root in external or (root == "omzien" and not self._is_core(imported)):
                    broken.append((importer, imported, _lines(graph, importer, imported)))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        _render(check, "A pure core takes plain values: move the Django or room code to the room's services.")


class RoomsImportWithoutCycles(Contract):
    """Rooms may depend on each other in one direction only: no circle of imports between rooms, however
    long, and rooms added later are covered without a change to the contract."""

    not_rooms = fields.ListField(subfield=fields.StringField())
    ignore = fields.ListField(subfield=fields.StringField(), required=False, default=[])

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        not_rooms = set(self.not_rooms)  # type: ignore[call-overload]
        ignored = list(self.ignore)  # type: ignore[call-overload]
        # room -> room -> one example import, from module-level edges.
        edges: dict[str, dict[str, tuple[str, str]]] = {}
        for importer in sorted(graph.modules):
            room = _top(importer)
            if room is None or room in not_rooms or _outside_building(importer, ignored):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                other = _top(imported)
                if other is not None and other != room and other not in not_rooms:
                    edges.setdefault(room, {}).setdefault(other, (importer, imported))
        broken: list[tuple[str, str, list[int]]] = []
        for cycle in _cycles(edges):
            for here, there in zip(cycle, cycle[1:] + cycle[:1], strict=True):
                importer, imported = edges[here][there]
                broken.append((importer, imported, _lines(graph, importer, imported)))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        _render(check, "These imports close a circle between rooms: let one side ask through the room contract.")


def _cycles(edges: dict[str, dict[str, tuple[str, str]]]) -> list[list[str]]:
    """One cycle per strongly connected group of rooms (Tarjan's algorithm), as a list of rooms."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    cycles = []
    for group in groups:
        # The shortest circle through the group's first member (breadth-first): one concrete one to show.
        members, start = set(group), sorted(group)[0]
        came_from: dict[str, str] = {}
        queue, end = [start], None
        while queue and end is None:
            node = queue.pop(0)
            for nxt in sorted(edges.get(node, {})):
                if nxt == start:
                    end = node
                    break
                if nxt in members and nxt not in came_from:
                    came_from[nxt] = node
                    queue.append(nxt)
        path = [end] if end is not None else []
        while path and path[-1] != start:
            path.append(came_from[path[-1]])
        cycles.append(path[::-1])
    return cycles

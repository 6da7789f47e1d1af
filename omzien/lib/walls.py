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
                lines = [
                    detail["line_number"]
                    for detail in graph.get_import_details(importer=importer, imported=imported)
                ]
                broken.append((importer, imported, lines))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for importer, imported, lines in check.metadata["broken"]:
            output.print_error(f"{importer} -> {imported} (l.{', '.join(map(str, lines))})", bold=False)
            output.new_line()
        output.print("Use the other room's services.py or selectors.py, or offer the module in 'shared'.")

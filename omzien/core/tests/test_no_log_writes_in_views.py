# SPDX-License-Identifier: EUPL-1.2
"""Access-log writes come from services, selectors and access functions, never from views (issue #14).

A view that wrote the log itself could forget it on one of its paths, or log what another page logs
differently; with the writes in one place per rule, the page and the API and a command log alike.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import SimpleTestCase

import omzien

ROOT = Path(omzien.__file__).parent
WRITERS = {"record", "record_viewed", "record_listed", "record_denied"}


def view_modules() -> list[Path]:
    """Every views module of every room: views.py, a views/ package, and the API's views."""
    found = [*ROOT.glob("*/views.py"), *ROOT.glob("*/views/*.py"), *ROOT.glob("*/api/*.py")]
    return sorted(path for path in found if "tests" not in path.parts)


def log_writes(source: str) -> list[int]:
    """Return the lines that write the access log: ``events.record*(...)`` or a writer imported by name."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in WRITERS and isinstance(node.value, ast.Name):
            if node.value.id == "events":
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith("audit.events"):
            lines.extend(node.lineno for alias in node.names if alias.name in WRITERS)
    return lines


class NoLogWritesInViewsTests(SimpleTestCase):
    def test_no_view_writes_the_access_log(self) -> None:
        modules = view_modules()
        self.assertGreater(len(modules), 5)  # the walk found the rooms' views
        offenders = [
            f"{path.relative_to(ROOT)}:{line}" for path in modules for line in log_writes(path.read_text())
        ]
        self.assertEqual(offenders, [], "Write the access log in a service, selector or access function.")

    def test_the_check_finds_a_write_in_a_view(self) -> None:
        # The check itself must be able to fail: both spellings of a write are found.
        self.assertEqual(log_writes("from omzien.audit import events\nevents.record_listed(actor=a)\n"), [2])
        self.assertEqual(log_writes("from omzien.audit.events import record\n"), [1])
        self.assertEqual(log_writes("events.actor_for_request(request)\n"), [])


class OneListLogTests(SimpleTestCase):
    def test_lists_are_logged_only_through_record_listed(self) -> None:
        # "These people were shown in a list" has one call, events.record_listed: a hand-made
        # events.record(action=Action.LIST, ...) elsewhere is a second way of saying it.
        def lists_logged_by_hand(source: str) -> list[int]:
            return [node.lineno for node in ast.walk(ast.parse(source))
                    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "record"
                    and any(k.arg == "action" and ast.unparse(k.value).endswith(".LIST") for k in node.keywords)]  # fmt: skip

        offenders = [
            f"{path.relative_to(ROOT)}:{line}"
            for path in sorted(ROOT.rglob("*.py"))
            if "tests" not in path.parts and path != ROOT / "audit" / "events.py"
            for line in lists_logged_by_hand(path.read_text())
        ]
        self.assertEqual(
            lists_logged_by_hand("events.record(action=Action.LIST, actor=a)\n"), [1]
        )  # can fail
        self.assertEqual(offenders, [], "Log a list with events.record_listed.")

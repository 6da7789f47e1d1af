# SPDX-License-Identifier: EUPL-1.2
"""One small-cell rule (lib.disclosure) for every published count: the monitor, the report, the pages."""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import TestCase

import omzien
from omzien.lib.testing.world import build_world
from omzien.residents.selectors import residents_with_case_by_district

ROOT = Path(omzien.__file__).parent


def min_cell_comparisons(source: str) -> list[int]:
    """Lines that compare anything with a name ending in ``min_cell`` (a rule of its own)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.Lt | ast.LtE | ast.Gt | ast.GtE) for op in node.ops):
            names = [n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else ""
                     for n in [node.left, *node.comparators]]  # fmt: skip
            if any(name.endswith("min_cell") for name in names):
                lines.append(node.lineno)
    return lines


class OneSuppressionRuleTests(TestCase):
    def test_no_module_but_lib_disclosure_compares_a_count_with_the_minimum_cell(self) -> None:
        offenders = [
            f"{path.relative_to(ROOT)}:{line}"
            for path in ROOT.rglob("*.py")
            if "tests" not in path.parts and path != ROOT / "lib" / "disclosure.py"
            for line in min_cell_comparisons(path.read_text())
        ]
        self.assertEqual(offenders, [], "Suppress small cells with omzien.lib.disclosure.")
        self.assertEqual(min_cell_comparisons("if n >= min_cell: pass\n"), [1])  # the check can fail

    def test_the_residents_figures_hide_wijken_below_the_minimum(self) -> None:
        build_world()
        shown = {row.code: row.residents_with_case for row in residents_with_case_by_district(1)}
        self.assertTrue(any(count for count in shown.values()))  # the world's cases are counted
        smallest = min(count for count in shown.values() if count is not None)
        hidden = {row.code: row.residents_with_case for row in residents_with_case_by_district(smallest + 1)}
        self.assertEqual({code for code, count in hidden.items() if count is None},
                         {code for code, count in shown.items() if count is None or count <= smallest})  # fmt: skip

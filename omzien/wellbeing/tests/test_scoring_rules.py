# SPDX-License-Identifier: EUPL-1.2
"""One scoring entry point, and each measurement keeps the rules that scored it (issue #14)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.test import SimpleTestCase, TestCase, override_settings

import numpy as np

import omzien
from omzien.accounts.roles import Role
from omzien.audit import events
from omzien.lib.testing.world import build_world
from omzien.wellbeing import services
from omzien.wellbeing.instruments import DJG11
from omzien.wellbeing.scoring import MISSING, score

# Emotional items answered lonely twice: lonely on the subscale only when it counts from 2.
TWO_EMOTIONAL = [1 if item.subscale == "emotional" and item.number in (2, 3) else -1 for item in DJG11.items]


class MeasurementRulesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def record(self, answers: list[int]):  # type: ignore[no-untyped-def]
        return services.measurement_record(
            actor=events.Actor(display="t", role="test"), acting_user=self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL),
            resident=self.world.residents["a"], instrument_code="djg11", answers=answers, context="intake",
            mode="conversation",
        )  # fmt: skip

    def test_a_measurement_stores_the_rules_that_scored_it(self) -> None:
        measurement = self.record([0] * 11)
        measurement.refresh_from_db()
        self.assertEqual(
            measurement.scoring_rules,
            {"instrument": "djg11", "max_missing_total": 2, "max_missing_subscale": 1, "subscale_lonely_from": 3},
        )

    @override_settings(OMZIEN_DJG11_MAX_MISSING=0, OMZIEN_DJG11_SUBSCALE_LONELY_FROM=2)
    def test_changed_rules_score_the_form_and_the_self_test_alike_and_are_stored(self) -> None:
        one_open = [0] * 10 + [MISSING]
        self.assertIsNotNone(services.unscorable_reason("djg11", one_open))  # at most 0 open now
        measurement = self.record(TWO_EMOTIONAL)
        self.assertEqual(measurement.scoring_rules["max_missing_total"], 0)
        self.assertEqual(measurement.scoring_rules["subscale_lonely_from"], 2)
        self_test = services.answers_score("djg11", [TWO_EMOTIONAL])
        self.assertIs(self_test.emotional_lonely[0], True)
        self.assertEqual(self_test.rules, measurement.scoring_rules)


class OneEngineTests(SimpleTestCase):
    def test_unknown_rule_names_are_refused_not_ignored(self) -> None:
        with self.assertRaisesMessage(ValueError, "max_missing"):
            score(DJG11, np.zeros((1, 11), np.int8), rules={"max_missing": 0})

    def test_only_the_named_adapters_call_the_engine(self) -> None:
        # Forms, views and commands reach the engine through these: services (form and self-test),
        # bulk (``omzien score``) and the monitor's survey core. A new direct caller is a second way.
        root = Path(omzien.__file__).parent
        callers = set()
        for path in root.rglob("*.py"):
            if "tests" in path.parts or path.name == "scoring.py":
                continue
            tree = ast.parse(path.read_text())
            imports_engine = any(
                isinstance(node, ast.ImportFrom) and node.module == "omzien.wellbeing.scoring"
                and any(alias.name == "score" for alias in node.names)
                for node in ast.walk(tree)
            )  # fmt: skip
            if imports_engine:
                callers.add(str(path.relative_to(root)))
        self.assertEqual(callers, {"wellbeing/services.py", "wellbeing/bulk.py", "monitor/survey.py"})

# SPDX-License-Identifier: EUPL-1.2
"""One postcode validator (geo.validators.postcode_clean) for every form and serializer."""

from __future__ import annotations

import ast
from pathlib import Path

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.utils import translation

import omzien
from omzien.geo.validators import postcode_clean

ROOT = Path(omzien.__file__).parent


class PostcodeValidatorTests(SimpleTestCase):
    def test_any_spelling_becomes_the_one_spelling(self) -> None:
        for raw in ("3511 ab", " 3511AB ", "3511ab", "3511  AB"):
            with self.subTest(raw=raw):
                self.assertEqual(postcode_clean(raw), "3511AB")
        self.assertEqual(postcode_clean("3511"), "3511")  # a PC4 area
        self.assertEqual(postcode_clean(""), "")
        self.assertEqual(postcode_clean(None), "")

    def test_a_wrong_or_missing_postcode_says_what_to_type(self) -> None:
        with translation.override("nl"):
            for raw in ("0123AB", "12345", "35 11AB", "3511-AB", "AB3511"):
                with self.subTest(raw=raw), self.assertRaises(ValidationError) as raised:
                    postcode_clean(raw)
                self.assertIn("Dit is geen Nederlandse postcode", raised.exception.messages[0])
            with self.assertRaises(ValidationError) as raised:
                postcode_clean("  ", required=True)
            self.assertIn("3561 AB", raised.exception.messages[0])

    def test_every_postcode_field_is_cleaned_by_it(self) -> None:
        # Each clean_postcode / validate_postcode / _postcode helper in forms and serializers calls
        # postcode_clean: a form with its own rule would accept what another refuses.
        cleaners = []
        for path in [*ROOT.glob("*/forms.py"), *ROOT.glob("*/api/serializers.py")]:
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef) and node.name in ("clean_postcode", "validate_postcode", "_postcode", "_clean_postcode"):
                    calls = {c.func.id for c in ast.walk(node) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)}
                    cleaners.append((f"{path.relative_to(ROOT)}:{node.name}", bool(calls & {"postcode_clean", "_postcode", "_clean_postcode"})))
        self.assertGreaterEqual(len(cleaners), 5)
        self.assertEqual([name for name, uses in cleaners if not uses], [])

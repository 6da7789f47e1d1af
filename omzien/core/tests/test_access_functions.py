# SPDX-License-Identifier: EUPL-1.2
"""Views reach a person's record only through the rooms' access functions (STYLE: Permissions; issue #14).

An access function (``get_<entity>_for_user`` in the room's permissions.py) is where "missing" and
"not yours" become the same 404 and where the read is logged; a view that queried the model itself
would skip both.
"""

from __future__ import annotations

import ast

from django.apps import apps
from django.db import models
from django.test import SimpleTestCase

from omzien.core.tests.test_no_log_writes_in_views import ROOT, view_modules


def person_record_models() -> set[str]:
    """The models about a person: those with a pseudonymous id, or pointing at a resident."""
    resident = apps.get_model("residents", "Resident")
    names = set()
    for model in apps.get_models():
        if not model.__module__.startswith("omzien."):
            continue
        fields = model._meta.get_fields()
        if any(f.name == "pseudo_id" for f in fields) or any(
            isinstance(f, models.ForeignKey | models.OneToOneField) and f.related_model is resident
            for f in fields
        ):
            names.add(model.__name__)
    return names


def direct_queries(source: str, names: set[str]) -> list[int]:
    """Lines with ``<Model>.objects`` for one of these models."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr == "objects"
        and isinstance(node.value, ast.Name) and node.value.id in names
    ]  # fmt: skip


class AccessFunctionTests(SimpleTestCase):
    def test_views_query_no_person_record_model_themselves(self) -> None:
        names = person_record_models()
        self.assertTrue({"Resident", "Measurement", "Registration", "WaitingListEntry"} <= names, names)
        offenders = [
            f"{path.relative_to(ROOT)}:{line}"
            for path in view_modules()
            for line in direct_queries(path.read_text(), names)
        ]
        self.assertEqual(
            offenders, [], "Get the record through the room's get_<entity>_for_user access function."
        )
        self.assertEqual(
            direct_queries("Resident.objects.filter(user=u)\n", names), [1]
        )  # the check can fail

    def test_access_functions_are_named_get_entity_for_user(self) -> None:
        # The name says what it is: get_<entity>_for_user (or _for_token, for a partner system's key).
        import re

        pattern = re.compile(r"^get_[a-z_]+_for_(user|token)$")
        names = [
            f"{path.relative_to(ROOT)}:{node.name}"
            for path in sorted(ROOT.glob("*/permissions.py"))
            for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("get_")
        ]
        self.assertGreater(len(names), 10)
        self.assertEqual([name for name in names if not pattern.match(name.split(":")[1])], [])

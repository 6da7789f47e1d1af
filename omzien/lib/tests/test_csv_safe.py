# SPDX-License-Identifier: EUPL-1.2
"""Issue 15: every CSV Omzien writes neutralises formulas (one helper, lib.csv_safe)."""

from __future__ import annotations

import io

from django.test import TestCase
from django.urls import reverse

import polars as pl

from omzien.accounts.roles import Role
from omzien.audit import events
from omzien.audit.models import Action
from omzien.lib import csv_safe
from omzien.lib.testing.world import build_world, login_verified

ATTACKS = ["=HYPERLINK(\"http://x\",\"klik\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"]


def test_formulas_get_an_apostrophe_numbers_and_text_do_not() -> None:
    assert [csv_safe.neutralise(value) for value in ATTACKS] == ["'" + value for value in ATTACKS]
    for safe in ("-3", "+31", "-2,5", "1e5", "Koffie", "", 12, -4.5, None, "a=b"):
        assert csv_safe.neutralise(safe) == safe
    out = io.StringIO()
    csv_safe.writer(out).writerow(["=1+1", 3, "ok"])
    csv_safe.dict_writer(out, ["a"]).writerow({"a": "@x"})
    assert out.getvalue().splitlines() == ["'=1+1,3,ok", "'@x"]
    frame = csv_safe.frame_neutralise(pl.DataFrame({"t": ["=1", "-3", "x"], "n": [-1, 2, 3]}))
    assert frame["t"].to_list() == ["'=1", "-3", "x"]
    assert frame["n"].to_list() == [-1, 2, 3]


class ExportTests(TestCase):
    def test_a_residents_access_log_export_has_no_formula(self) -> None:
        world = build_world()
        resident = world.residents["self"]
        events.record(action=Action.READ, purpose="test",
                      actor=events.Actor(display="x", role="test", organisation_name="=cmd|' /C calc'!A0"),
                      subjects=[events.resident_subject(resident, "resident", resident.public_id)])  # fmt: skip
        login_verified(self.client, world.user(Role.RESIDENT))
        response = self.client.get(reverse("residents:my_access_log"), {"formaat": "csv"})
        text = response.content.decode()
        self.assertIn("'=cmd", text)
        self.assertNotIn(",=cmd", text)

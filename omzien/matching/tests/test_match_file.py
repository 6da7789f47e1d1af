# SPDX-License-Identifier: EUPL-1.2
"""``omzien match`` on a file: the column-wise instance equals the record-by-record one, and the
console command runs without Django, writes compact JSON and says what is wrong with a bad file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from omzien.matching.engine import instance as module
from omzien.matching.engine import instance_from_dict
from omzien.matching.tests.test_engine import instances

ROOT = Path(__file__).resolve().parents[3]


def _record_by_record(data: dict[str, Any]) -> module.Instance:
    saved = module._side_columns
    module._side_columns = lambda *args, **kwargs: None  # type: ignore[assignment]
    try:
        return instance_from_dict(data)
    finally:
        module._side_columns = saved


def _same(a: module.Instance, b: module.Instance) -> None:
    assert a.vocabulary == b.vocabulary
    for side in ("requests", "offers"):
        for name, value in getattr(a, side).__dict__.items():
            other = getattr(b, side).__dict__[name]
            if isinstance(value, list):
                assert value == other, (side, name)
            else:
                assert value.dtype == other.dtype and np.array_equal(value, other, equal_nan=True), (side, name)


@settings(max_examples=80)
@given(instances(), st.booleans())
def test_the_column_wise_instance_is_the_record_by_record_one(data: dict, odd: bool) -> None:
    if odd:
        # Values only the record-by-record path accepts (an id as a number, an empty text, "F"):
        # the column-wise path must hand those over and still give the same instance.
        data["requests"][0]["id"] = 12345
        data["offers"][0]["languages"] = [*data["offers"][0]["languages"], " "]
        data["offers"][-1]["gender"] = "F"
    _same(instance_from_dict(data), _record_by_record(data))


def _omzien(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    # No settings at all: the production settings would refuse to start without SECRET_KEY, so
    # this also proves the command never sets Django up.
    env["SECRET_KEY"] = ""
    return subprocess.run(  # noqa: S603 - our own console command
        [sys.executable, "-c", "import sys; from omzien.cli import main; main(sys.argv[1:])", *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_the_command_matches_a_file_without_django(tmp_path: Path) -> None:
    instance = {
        "requests": [{"id": "r1", "lat": 52.09, "lon": 5.12, "need": 3, "languages": ["nl"], "interests": ["koken"]},
                     {"id": "r2", "lat": 52.30, "lon": 5.50, "need": 1, "languages": ["nl"], "max_km": 2}],
        "offers": [{"id": "kookclub", "capacity": 1, "lat": 52.091, "lon": 5.121, "languages": ["nl"],
                    "interests": ["koken"]}],
    }  # fmt: skip
    (tmp_path / "city.json").write_text(json.dumps(instance), encoding="utf-8")
    done = _omzien("match", "city.json", "-o", "result.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Matched 1 of 2 requests" in done.stdout
    result = json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))
    assert [(a["request"], a["offer"]) for a in result["assignments"]] == [("r1", "kookclub")]
    assert result["unmatched"] == [{"request": "r2", "reason": "no_feasible_offer"}]
    assert "\n" not in (tmp_path / "result.json").read_text(encoding="utf-8")


def test_a_bad_file_is_refused_with_what_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"requests": [{"id": "r1"}], "offers": []}', encoding="utf-8")
    done = _omzien("match", "bad.json", "-o", "result.json", cwd=tmp_path)
    assert done.returncode == 1
    assert "requests[0] (id r1): field 'lat': missing" in done.stderr
    assert not (tmp_path / "result.json").exists()
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert "is not valid JSON" in _omzien("match", "broken.json", "-o", "r.json", cwd=tmp_path).stderr

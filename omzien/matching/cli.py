# SPDX-License-Identifier: EUPL-1.2
"""``omzien match INSTANCE.json -o RESULT.json [--with-candidates]``: the engine on a file, without Django.

The engine is pure (no ORM), so the console command runs it without setting Django up: loading the
project's apps took longer than the whole solve on a city (issue #16). ``omzien.cli`` calls
``main`` directly; the Django management command ``match`` calls it too, so both behave alike.
Files are read and written with orjson (compact, UTF-8).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import orjson

DESCRIPTION = (
    "Match requests to offers optimally (maximum total weight) and write the assignments, the "
    "unmatched requests with their reason, and a fairness report. Format: docs/matching.md."
)


class MatchError(Exception):
    """A message for the person who ran the command (a bad file), not a crash."""


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog="omzien match", description=DESCRIPTION)
    add_arguments(found)
    return found


def add_arguments(found: Any) -> None:
    found.add_argument("instance", type=Path, help="JSON file with 'requests' and 'offers'.")
    found.add_argument("-o", "--output", type=Path, required=True, help="Where to write the result (JSON).")
    found.add_argument(
        "--with-candidates", action="store_true", help="Also list every feasible pair with its weight."
    )


def _default(value: Any) -> Any:
    # NumPy scalars that reach the document (orjson serialises ndarrays, not every scalar type).
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def run(instance_path: Path, output: Path, *, with_candidates: bool = False) -> str:
    """Solve the instance in ``instance_path``, write the result to ``output``; return the summary line."""
    from omzien.matching.engine import InstanceError, instance_from_dict, solve
    from omzien.matching.engine.solve import result_document

    try:
        data = orjson.loads(instance_path.read_bytes())
    except FileNotFoundError:
        raise MatchError(f"No such file: {instance_path}") from None
    except orjson.JSONDecodeError as error:
        raise MatchError(f"{instance_path} is not valid JSON: {error}") from None
    try:
        instance = instance_from_dict(data)
    except InstanceError as error:
        lines = [f"Nothing was matched: {len(error.problems)} problem(s) in {instance_path}:"]
        lines += [f"  - {problem}" for problem in error.problems[:200]]
        if len(error.problems) > 200:
            lines.append(f"  … and {len(error.problems) - 200} more")
        raise MatchError("\n".join(lines)) from None
    import ortools.graph.python.min_cost_flow  # noqa: F401 — loaded before the clock starts

    started = time.perf_counter()
    solution = solve(instance)
    elapsed = time.perf_counter() - started
    document = result_document(solution, with_candidates=with_candidates)
    output.write_bytes(orjson.dumps(document, default=_default, option=orjson.OPT_SERIALIZE_NUMPY))
    fairness = document["fairness"]
    return (
        f"Matched {fairness['matched']} of {fairness['requests']} requests in {elapsed:.2f}s "
        f"({len(solution.candidates)} feasible pairs); objective {document['objective']:.3f}; "
        f"wrote {output}."
    )


def main(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    """Run ``omzien match`` with ``argv`` (the arguments after 'match'); return the exit status."""
    options = parser().parse_args(argv)
    try:
        stdout.write(run(options.instance, options.output, with_candidates=options.with_candidates) + "\n")
    except MatchError as error:
        stderr.write(f"CommandError: {error}\n")
        return 1
    return 0

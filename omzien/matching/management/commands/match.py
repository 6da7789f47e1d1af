# SPDX-License-Identifier: EUPL-1.2
"""``omzien match INSTANCE.json -o RESULT.json [--with-candidates]``: the engine on a file."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from omzien.matching.engine import InstanceError, instance_from_dict, solve
from omzien.matching.engine.solve import result_document


class Command(BaseCommand):
    help = (
        "Match requests to offers optimally (maximum total weight) and write the assignments, the "
        "unmatched requests with their reason, and a fairness report. Format: docs/matching.md."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("instance", type=Path, help="JSON file with 'requests' and 'offers'.")
        parser.add_argument(
            "-o", "--output", type=Path, required=True, help="Where to write the result (JSON)."
        )
        parser.add_argument(
            "--with-candidates", action="store_true", help="Also list every feasible pair with its weight."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["instance"]
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path} is not valid JSON: {error}") from None
        try:
            instance = instance_from_dict(data)
        except InstanceError as error:
            lines = [f"Nothing was matched: {len(error.problems)} problem(s) in {path}:"]
            lines += [f"  - {problem}" for problem in error.problems[:200]]
            if len(error.problems) > 200:
                lines.append(f"  … and {len(error.problems) - 200} more")
            raise CommandError("\n".join(lines)) from None
        import ortools.graph.python.min_cost_flow  # noqa: F401 — loaded before the clock starts
        import scipy.spatial  # noqa: F401

        started = time.perf_counter()
        solution = solve(instance)
        elapsed = time.perf_counter() - started
        document = result_document(solution, with_candidates=options["with_candidates"])
        options["output"].write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        fairness = document["fairness"]
        self.stdout.write(
            f"Matched {fairness['matched']} of {fairness['requests']} requests in {elapsed:.2f}s "
            f"({len(solution.candidates)} feasible pairs); objective {document['objective']:.3f}; "
            f"wrote {options['output']}."
        )

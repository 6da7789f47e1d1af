# SPDX-License-Identifier: EUPL-1.2
"""``python -m benchmarks [--scale S] [name ...]``: run the benchmarks and print their figures as JSON."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from typing import Any


def main() -> None:
    from benchmarks import BENCHMARKS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is the size the issue's targets name.")
    parser.add_argument("names", nargs="*", help="e.g. geo (default: all)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.test")
    import django

    django.setup()
    chosen = [b for b in BENCHMARKS if not args.names or b.removeprefix("benchmarks.bench_") in args.names]
    for module_name in chosen:
        module = importlib.import_module(module_name)
        if getattr(module, "NEEDS_DATABASE", False):
            figures = _with_throwaway_database(module.run, args.scale)
        else:
            figures = module.run(args.scale)
        print(json.dumps({"benchmark": module_name, "scale": args.scale, **figures}, indent=2))
        sys.stdout.flush()


def _with_throwaway_database(work: Any, scale: float) -> Any:
    """Run ``work`` in a fresh test database (``test_…`` beside DATABASE_URL's), dropped afterwards."""
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        return work(scale)
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()

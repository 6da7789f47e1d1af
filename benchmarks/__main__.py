# SPDX-License-Identifier: EUPL-1.2
"""``python -m benchmarks [--scale S] [name ...]``: run the benchmarks and print their figures as JSON."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys


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
        figures = importlib.import_module(module_name).run(args.scale)
        print(json.dumps({"benchmark": module_name, "scale": args.scale, **figures}, indent=2))
        sys.stdout.flush()


if __name__ == "__main__":
    main()

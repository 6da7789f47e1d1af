# SPDX-License-Identifier: EUPL-1.2
"""The ``omzien`` console command: Django's management commands under the project's name.

``omzien migrate``, ``omzien tick``, ``omzien import_geo`` … all run through here. Settings come
from ``DJANGO_SETTINGS_MODULE`` (default: the production settings, which need ``SECRET_KEY``);
for a local demo set ``DJANGO_SETTINGS_MODULE=omzien.conf.dev``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["match"]:
        # The matching engine needs no database: run it without loading Django (issue #16).
        from omzien.matching.cli import main as match

        sys.exit(match(arguments[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["omzien", *arguments])


if __name__ == "__main__":
    main()

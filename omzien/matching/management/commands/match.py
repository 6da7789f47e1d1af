# SPDX-License-Identifier: EUPL-1.2
"""``omzien match INSTANCE.json -o RESULT.json [--with-candidates]``: the engine on a file.

``omzien match`` runs ``omzien.matching.cli`` without setting Django up; this command is the same
through Django (``django-admin match``, ``call_command("match", …)``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from omzien.matching.cli import DESCRIPTION, MatchError, add_arguments, run


class Command(BaseCommand):
    help = DESCRIPTION
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(run(options["instance"], options["output"], with_candidates=options["with_candidates"]))
        except MatchError as error:
            raise CommandError(str(error)) from None

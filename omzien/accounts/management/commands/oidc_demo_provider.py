# SPDX-License-Identifier: EUPL-1.2
"""``omzien oidc_demo_provider``: the demo's DigiD stand-in, a real OpenID Connect provider on loopback."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run the demo's OpenID Connect provider (DigiD stand-in) on 127.0.0.1; demo mode only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=9400)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OMZIEN_DEMO:
            raise CommandError("The demo provider runs only in demo mode (OMZIEN_DEMO=true).")
        from omzien.accounts.demo_provider import serve_forever

        serve_forever(options["port"])

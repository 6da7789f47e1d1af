# SPDX-License-Identifier: EUPL-1.2
"""``omzien seed_demo``: fill an empty database with the demo city (deterministic, repeatable)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from omzien.core.demo_city import DEMO_PASSWORD, demo_city_seed


class Command(BaseCommand):
    help = "Load the demo city: Utrecht's wijken, organisations, ten buurtteams, synthetic residents, demo users."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=344)
        parser.add_argument("--residents", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OMZIEN_DEMO:
            raise CommandError(
                "seed_demo only runs with OMZIEN_DEMO=true: it must never touch a real database."
            )
        started = time.monotonic()
        result = demo_city_seed(seed=options["seed"], residents=options["residents"])
        if result.already_loaded:
            self.stdout.write(f"Demo city already loaded ({result.residents} residents); nothing changed.")
            return
        self.stdout.write(
            f"Demo city loaded in {time.monotonic() - started:.1f}s: {result.organisations} organisations, "
            f"{result.residents} residents, {result.users} demo users (password '{DEMO_PASSWORD}'), {result.links} links."
        )

# SPDX-License-Identifier: EUPL-1.2
"""``omzien seed_demo``: fill an empty database with the demo city (deterministic, repeatable)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from omzien.geo.services import demo_geography_load


class Command(BaseCommand):
    help = "Load the demo city: Utrecht's wijken with real populations and synthetic buurten and postcodes."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.OMZIEN_DEMO:
            raise CommandError(
                "seed_demo only runs with OMZIEN_DEMO=true: it must never touch a real database."
            )
        result = demo_geography_load()
        self.stdout.write(
            f"Demo city: {result.districts} wijken, {result.neighbourhoods} buurten, {result.postcodes} postcodes."
        )

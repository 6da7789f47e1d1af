# SPDX-License-Identifier: EUPL-1.2
"""The demo city: every room's ``demo(ctx)`` in dependency order, on top of Utrecht's geography.

Deterministic from a seed and fast (bulk inserts). Every person in it is made up (Faker nl_NL);
the organisations are the ones named in the council letter, their descriptions written for the demo.
Each room adds its part through the ``DemoContext`` (``omzien.lib.rooms``): the accounts room the
organisations and a user per role, the residents room the people, then the others.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from omzien.accounts.demo import DEMO_PASSWORD
from omzien.accounts.models import Organisation, User
from omzien.geo.services import demo_geography_load
from omzien.lib.rooms import DemoContext, rooms_in_dependency_order
from omzien.residents.models import Resident, ResidentLink

__all__ = ["DEMO_PASSWORD", "DemoCityResult", "demo_city_seed"]


@dataclass
class DemoCityResult:
    organisations: int
    residents: int
    users: int
    links: int
    already_loaded: bool = False


def demo_city_seed(*, seed: int = 344, residents: int = 8000) -> DemoCityResult:
    """Load the demo city into an empty database; a second run changes nothing."""
    demo_geography_load()
    if Organisation.objects.filter(name="U Centraal").exists():
        return DemoCityResult(
            Organisation.objects.count(),
            Resident.objects.count(),
            User.objects.count(),
            ResidentLink.objects.count(),
            True,
        )
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    ctx = DemoContext(seed=seed, rng=random.Random(seed), fake=fake, now=timezone.now())  # noqa: S311 - demo data
    ctx.extra["demo_residents"] = residents
    with transaction.atomic():
        for room in rooms_in_dependency_order(lambda room: room.demo_after):
            if room.demo is not None:
                room.demo(ctx)
    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables have no planner statistics until autovacuum comes by; without them
        # PostgreSQL planned the attendance-per-wijk figure as nested loops that ran for minutes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return DemoCityResult(
        len(ctx.organisations), len(ctx.residents), len(ctx.users), ResidentLink.objects.count()
    )

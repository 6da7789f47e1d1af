# SPDX-License-Identifier: EUPL-1.2
"""After a transactional test on PostgreSQL the database is the migrated one again (conftest's django_db_setup puts
the migrated rows back instead of Django's flush): what a test wrote is gone, what the migrations wrote is there."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

import pytest

from omzien.accounts.models import Organisation
from omzien.accounts.roles import Role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_1_a_transactional_test_writes_and_removes_a_role_group() -> None:
    Organisation.objects.create(name="Left behind?")
    Group.objects.filter(name=Role.NEIGHBOURHOOD_PROFESSIONAL.value).delete()
    assert not Group.objects.filter(name=Role.NEIGHBOURHOOD_PROFESSIONAL.value).exists()


def test_2_the_next_one_finds_the_migrated_database_again() -> None:
    # The two run in this order in one process (a module stays on one xdist worker).
    assert not Organisation.objects.filter(name="Left behind?").exists()
    resident = Group.objects.get(name=Role.NEIGHBOURHOOD_PROFESSIONAL.value)
    assert resident.permissions.exists()
    assert Permission.objects.filter(codename="view_organisation").exists()

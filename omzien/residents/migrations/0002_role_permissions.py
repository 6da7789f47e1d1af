# SPDX-License-Identifier: EUPL-1.2
"""Which roles may work with resident records at all (the access functions then decide whom)."""

from django.db import migrations

from omzien.accounts.migrations import _helpers

GRANTS = {
    "neighbourhood_professional": ["view_resident", "add_resident", "change_resident", "record_consent"],
    "coordinator": ["view_resident"],
    "activity_provider": ["view_resident"],
    "social_broker": ["view_resident"],
    "volunteer": ["view_resident"],
    "meal_host": ["view_resident"],
    "policy_officer": ["view_aggregates"],
}


def grant_permissions(apps, schema_editor):
    for group, codenames in GRANTS.items():
        _helpers.grant(apps, ["residents"], group, [("residents", codename) for codename in codenames])


class Migration(migrations.Migration):
    dependencies = [("residents", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]

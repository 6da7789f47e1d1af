# SPDX-License-Identifier: EUPL-1.2
"""The nine roles as groups, with their permissions (accounts.roles.ROLE_PERMISSIONS)."""

from django.db import migrations

from omzien.accounts.migrations._helpers import roles_sync


def create_roles(apps, schema_editor):
    roles_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("geo", "0001_initial"),
        ("residents", "0001_initial"),
        ("audit", "0001_initial"),
        ("wellbeing", "0001_initial"),
        ("activities", "0001_initial"),
        ("axes", "__latest__"),
        ("otp_totp", "__latest__"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

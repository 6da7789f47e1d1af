# SPDX-License-Identifier: EUPL-1.2
"""The nine roles as groups, and the administrator's permissions on accounts and organisations."""

from django.db import migrations

from omzien.accounts.migrations._helpers import grant

ROLES = [
    "resident", "volunteer", "meal_host", "neighbourhood_professional", "coordinator", "activity_provider",
    "social_broker", "policy_officer", "administrator",
]  # fmt: skip
ADMINISTRATOR_PERMISSIONS = [
    ("accounts", "view_user"), ("accounts", "add_user"), ("accounts", "change_user"),
    ("accounts", "view_organisation"), ("accounts", "add_organisation"), ("accounts", "change_organisation"),
    ("auth", "view_group"), ("geo", "view_district"), ("geo", "view_neighbourhood"), ("geo", "change_neighbourhood"),
    ("geo", "view_postcode"), ("geo", "view_municipality"),
    # Unlocking accounts and resetting a lost authenticator app are the administrator's work.
    ("axes", "view_accessattempt"), ("axes", "delete_accessattempt"), ("axes", "view_accesslog"),
    ("axes", "view_accessfailurelog"), ("otp_totp", "view_totpdevice"), ("otp_totp", "delete_totpdevice"),
]  # fmt: skip


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    grant(apps, ["accounts", "auth", "geo", "axes", "otp_totp"], "administrator", ADMINISTRATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("geo", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "__latest__"),
        ("otp_totp", "__latest__"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

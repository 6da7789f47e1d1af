# SPDX-License-Identifier: EUPL-1.2
"""Removing another account's second factor waits for a second administrator: the request gets its field,
and the administrator role loses the permission to delete an authenticator app directly (the roles'
sync after migrate adds permissions, it never takes one away)."""

from django.db import migrations, models


def administrators_no_longer_delete_second_factors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    removed = Permission.objects.filter(content_type__app_label="otp_totp", codename="delete_totpdevice")
    for group in Group.objects.filter(name="administrator"):
        group.permissions.remove(*removed)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_oidc_identity"),
        ("otp_totp", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="rolegrantrequest",
            name="remove_second_factor",
            field=models.BooleanField(default=False, verbose_name="remove the second factor"),
        ),
        migrations.RunPython(administrators_no_longer_delete_second_factors, migrations.RunPython.noop),
    ]

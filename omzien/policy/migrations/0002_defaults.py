# SPDX-License-Identifier: EUPL-1.2
"""Every declared policy key with its default, and the administrator's right to change them.

Keys declared later get their row from the post-migrate sync (omzien.policy.apps)."""

from django.db import migrations
from django.utils import timezone


def defaults_and_grants(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from omzien.policy.store import declarations, to_json

    Policy = apps.get_model("policy", "Policy")
    HistoricalPolicy = apps.get_model("policy", "HistoricalPolicy")
    existing = set(Policy.objects.values_list("key", flat=True))
    now = timezone.now()
    for key, decl in declarations().items():
        if key in existing:
            continue
        row = Policy.objects.create(key=key, value=to_json(decl.kind, decl.default))
        # The history starts with the default (historical models in a migration record nothing themselves).
        HistoricalPolicy.objects.create(
            id=row.pk, key=row.key, value=row.value, updated_at=row.updated_at, history_date=now,
            history_type="+", history_change_reason="default",
        )
    config = apps.get_app_config("policy")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrator, _created = Group.objects.get_or_create(name="administrator")
    administrator.permissions.add(
        *Permission.objects.filter(content_type__app_label="policy", codename__in=[
            "view_policy", "change_policy", "view_historicalpolicy",
        ])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("policy", "0001_initial"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(defaults_and_grants, migrations.RunPython.noop)]

# SPDX-License-Identifier: EUPL-1.2
"""Shared by the data migrations that create the roles."""


def roles_sync(apps, *, strict: bool = False) -> None:
    """Create every role's group with the permissions the rooms grant it (accounts.roles.role_permissions).

    Idempotent. In a migration (``strict=False``) a room whose models are not migrated yet is skipped:
    the sync after every migrate (``strict=True``, all models there) adds its permissions.
    """
    from django.contrib.auth.management import create_permissions

    from omzien.accounts.roles import role_permissions

    table = role_permissions()
    labels = {permission.split(".")[0] for permissions in table.values() for permission in permissions}
    for label in sorted(labels):
        try:
            config = apps.get_app_config(label)
        except LookupError:
            if strict:
                raise
            continue
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # One query for every permission the roles name (this runs after each flush of a transactional test).
    existing = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.filter(content_type__app_label__in=labels).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, permissions in table.items():
        group, _created = Group.objects.get_or_create(name=role)
        missing = [permission for permission in permissions if permission not in existing]
        if missing and strict:
            raise LookupError(f"role {role!r}: no permission {missing[0]!r}")
        group.permissions.add(*(existing[permission] for permission in permissions if permission in existing))

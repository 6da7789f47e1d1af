# SPDX-License-Identifier: EUPL-1.2
"""Shared by the data migrations that create the roles."""


def roles_sync(apps) -> None:
    """Create every role's group with the permissions in accounts.roles.ROLE_PERMISSIONS (idempotent)."""
    from django.contrib.auth.management import create_permissions

    from omzien.accounts.roles import ROLE_PERMISSIONS

    labels = {permission.split(".")[0] for permissions in ROLE_PERMISSIONS.values() for permission in permissions}
    for label in labels:
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        for permission in permissions:
            app_label, codename = permission.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))

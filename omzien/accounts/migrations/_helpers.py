# SPDX-License-Identifier: EUPL-1.2
"""Shared by the data migrations that give roles their permissions."""


def grant(apps, app_labels, group_name, permissions):
    from django.contrib.auth.management import create_permissions

    for label in app_labels:
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)
    for app_label, codename in permissions:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))

# SPDX-License-Identifier: EUPL-1.2
"""Permissions follow the role in use: an account with several roles acts in one at a time."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import QuerySet

from omzien.accounts.roles import user_role, user_roles


class RoleInUseBackend(ModelBackend):
    """Django's model backend, except that the groups of the account's *other* roles grant nothing.

    A resident who also volunteers sees, while acting as a resident, only what a resident may; the
    volunteer's permissions count once they switch (``accounts:role_switch``). Groups that are no
    role keep counting.
    """

    def _get_group_permissions(self, user_obj: Any) -> QuerySet[Permission]:
        in_use = user_role(user_obj)
        others = [role.value for role in user_roles(user_obj) if role != in_use]
        groups = user_obj.groups.exclude(name__in=others)
        return Permission.objects.filter(group__in=groups)

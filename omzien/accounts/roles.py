# SPDX-License-Identifier: EUPL-1.2
"""The nine roles. A role is a Django Group (created by a migration, managed in the admin).

Code asks ``user_role(user)`` and checks permissions; it never compares role strings in scattered
places. Which role may reach which URL is in ``omzien.conf.url_policy``; which residents a role
sees is in ``omzien.residents.permissions``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("resident")
    VOLUNTEER = "volunteer", _("volunteer")
    MEAL_HOST = "meal_host", _("meal host")
    NEIGHBOURHOOD_PROFESSIONAL = "neighbourhood_professional", _("neighbourhood team professional")
    COORDINATOR = "coordinator", _("coordinator")
    ACTIVITY_PROVIDER = "activity_provider", _("activity provider")
    SOCIAL_BROKER = "social_broker", _("social broker")
    POLICY_OFFICER = "policy_officer", _("policy officer")
    ADMINISTRATOR = "administrator", _("administrator")


# Roles that work with other people's records or with the whole system: a second factor is required.
TWO_FACTOR_REQUIRED = frozenset(
    {
        Role.NEIGHBOURHOOD_PROFESSIONAL,
        Role.COORDINATOR,
        Role.ACTIVITY_PROVIDER,
        Role.SOCIAL_BROKER,
        Role.POLICY_OFFICER,
        Role.ADMINISTRATOR,
    }
)
# The Django permissions each role's group holds: one table, applied by the roles migration and kept
# in sync after every migrate (accounts.services.roles_sync). Which *objects* a role reaches is decided
# by the access functions, not here.
ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.RESIDENT: (),
    Role.VOLUNTEER: ("residents.view_resident",),
    Role.MEAL_HOST: ("residents.view_resident",),
    Role.NEIGHBOURHOOD_PROFESSIONAL: (
        "residents.view_resident", "residents.add_resident", "residents.change_resident", "residents.record_consent",
        "wellbeing.view_measurement", "wellbeing.add_measurement", "activities.register_resident",
        "wellbeing.view_contactrequest", "wellbeing.change_contactrequest",
    ),
    Role.COORDINATOR: (
        "residents.view_resident", "activities.view_occupancy", "activities.run_allocation",
        "activities.register_resident",
    ),
    Role.ACTIVITY_PROVIDER: (
        "residents.view_resident", "activities.view_activity", "activities.add_activity", "activities.change_activity",
        "activities.record_attendance", "activities.view_occupancy",
    ),
    Role.SOCIAL_BROKER: ("residents.view_resident", "activities.view_occupancy"),
    Role.POLICY_OFFICER: ("residents.view_aggregates", "activities.view_occupancy"),
    Role.ADMINISTRATOR: (
        "accounts.view_user", "accounts.add_user", "accounts.change_user",
        "accounts.view_organisation", "accounts.add_organisation", "accounts.change_organisation",
        "auth.view_group", "geo.view_municipality", "geo.view_district", "geo.view_neighbourhood",
        "geo.change_neighbourhood", "geo.view_postcode", "audit.view_accesslogentry",
        # Unlocking accounts and removing a lost authenticator app are the administrator's work.
        "axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accesslog", "axes.view_accessfailurelog",
        "otp_totp.view_totpdevice", "otp_totp.delete_totpdevice",
        # The taxonomy of interests and target groups is maintained in the admin.
        "activities.view_term", "activities.add_term", "activities.change_term", "activities.view_activity",
    ),
}  # fmt: skip

# Roles with the shorter idle timeout for staff (residents, volunteers and hosts get the longer one).
STAFF_ROLES = TWO_FACTOR_REQUIRED


def user_role(user: object) -> Role | None:
    """Return the user's role, or None for anonymous users and accounts without one.

    An account has one role; should it be in several role groups, the first in ``Role`` order counts.
    The group names are cached on the user object for the rest of the request.
    """
    if user is None or isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_omzien_role", "unset")
    if cached != "unset":
        return cached if isinstance(cached, Role) else None
    names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
    role = next((role for role in Role if role.value in names), None)
    user._omzien_role = role  # type: ignore[attr-defined]
    return role


def needs_two_factor(user: object) -> bool:
    """Return True when the user must pass a second factor: their role requires it, or they chose it.

    Residents, volunteers and meal hosts may link an authenticator app themselves; from then on
    their log-in asks for its code too.
    """
    if user_role(user) in TWO_FACTOR_REQUIRED:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_omzien_has_device", None)
    if cached is None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        cached = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        user._omzien_has_device = cached  # type: ignore[attr-defined]
    return bool(cached)

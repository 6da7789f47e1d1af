# SPDX-License-Identifier: EUPL-1.2
"""Writes about accounts: ending sessions, deactivating, two-factor devices, the login slow-down."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omzien.accounts.models import Organisation, RoleGrantRequest, User, UserSession
from omzien.accounts.roles import Role, roles_seeing_residents, user_roles
from omzien.audit import events
from omzien.audit.models import Action, Outcome
from omzien.lib import throttle


def user_sessions_end(*, user: User, actor: events.Actor) -> int:
    """End every session of the user at once; return how many ended."""
    with transaction.atomic():
        keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        deleted, _detail = Session.objects.filter(session_key__in=keys).delete()
        UserSession.objects.filter(user=user).delete()
        events.record(
            action=Action.SESSION_REVOKED,
            actor=actor,
            subjects=[events.Subject(object_type="user", object_id=str(user.public_id))],
            purpose="account_management",
        )
    return deleted


def user_deactivate(*, user: User, actor: events.Actor) -> None:
    """Deactivate an account and end its sessions: its next request lands on the login page."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        user_sessions_end(user=user, actor=actor)


def totp_device_for(user: User) -> Any:
    """Return the user's unconfirmed TOTP device, creating one to set up when there is none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)
    return device


def totp_device_confirm(*, device: Any, actor: events.Actor) -> None:
    """Confirm a TOTP device after a correct first code; earlier devices of the user are removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        events.record(
            action=Action.MFA_CHANGE,
            actor=actor,
            subjects=[events.Subject(object_type="user", object_id=str(device.user.public_id))],
            purpose="account_management",
        )


def totp_token_check(*, device: Any, token: str, user: User, actor: events.Actor) -> bool:
    """Check a second-factor code; return whether it is right. Either outcome goes to the access log."""
    subject = events.Subject(object_type="user", object_id=str(user.public_id))
    if device.verify_token(token):
        events.record(action=Action.MFA_OK, actor=actor, subjects=[subject], purpose="login")
        return True
    events.record(
        action=Action.MFA_FAILED, outcome=Outcome.DENIED, actor=actor, subjects=[subject], purpose="login"
    )
    return False


def role_in_use_set(*, session: Any, user: User, role: str, actor: events.Actor) -> bool:
    """Make one of the account's roles the role in use for this session; False if it does not hold it.

    Menus, pages and permissions follow the role in use from the next request on; the switch is
    logged, and every access-log entry names the role it was made in.
    """
    from omzien.accounts.roles import ROLE_SESSION_KEY, user_roles

    if role not in {held.value for held in user_roles(user)}:
        return False
    session[ROLE_SESSION_KEY] = role
    events.record(
        action=Action.ROLE_CHANGE,
        actor=actor,
        subjects=[events.Subject(object_type="user", object_id=str(user.public_id), fields=("role_in_use",))],
        purpose="account_management",
    )
    return True


# The per-account slow-down. django-axes locks an account at one address after a few failures, so an
# attacker elsewhere cannot lock the real user out, but guesses spread over many addresses would run
# unbounded. After OMZIEN_LOGIN_ACCOUNT_FAILURES failures for one account (all addresses together)
# within the window, a client that has not logged in to this account before may try it only once per
# OMZIEN_LOGIN_SLOWDOWN_SECONDS: guesses are bounded, while the real user's browser carries a signed
# device cookie from an earlier log-in (OWASP "device cookies") and is not slowed at all.
ACCOUNT_FAILURES = "login-account-failures"
ACCOUNT_SLOWDOWN = "login-account-slowdown"


def _failure_rate() -> throttle.Rate:
    return throttle.Rate(settings.OMZIEN_LOGIN_ACCOUNT_FAILURES, settings.OMZIEN_LOGIN_ACCOUNT_WINDOW_MINUTES * 60)


def login_wait_seconds(*, username: str, known_device: bool, actor: events.Actor) -> int:
    """Seconds this attempt must wait (0: go ahead); an attempt let through takes the account's slot.

    A refusal goes to the access log (as a lock-out of the account, with the client's address).
    """
    if known_device or not throttle.peek(ACCOUNT_FAILURES, username, _failure_rate()).exceeded_or_at_limit:
        return 0
    slot = throttle.hit(ACCOUNT_SLOWDOWN, username, throttle.Rate(1, settings.OMZIEN_LOGIN_SLOWDOWN_SECONDS))
    if not slot.exceeded:
        return 0
    user = User.objects.filter(username=username).first()
    events.record(
        action=Action.LOCKOUT, outcome=Outcome.DENIED, actor=actor, purpose="login",
        subjects=[events.Subject(object_type="user", object_id=str(user.public_id) if user else "")],
    )  # fmt: skip
    return slot.retry_after()


def login_failure_count(*, username: str) -> None:
    """Count a failed log-in for the account, from whatever address (the slow-down's measure)."""
    throttle.hit(ACCOUNT_FAILURES, username, _failure_rate())


# Four eyes for privileged changes to an account (issue 15): a role that sees residents, another
# organisation, superuser status. The administrators' screen asks (``role_grant_request``); the
# change is made only when a second administrator confirms (``role_grant_confirm``). Nobody asks for
# or confirms such a change to their own account.
@dataclass(frozen=True)
class PrivilegedChange:
    add_roles: tuple[str, ...] = ()
    change_organisation: bool = False
    organisation: Organisation | None = None
    make_superuser: bool = False
    remove_second_factor: bool = False

    def __bool__(self) -> bool:
        return bool(self.add_roles or self.change_organisation or self.make_superuser or self.remove_second_factor)


def privileged_change(
    *, user: User | None, roles_new: set[str], organisation_new: Organisation | None, superuser_new: bool
) -> PrivilegedChange:
    """The part of an edit of ``user`` (None: a new account) that needs a second administrator."""
    held = set(user.groups.values_list("name", flat=True)) if user is not None and user.pk else set()
    adding = sorted((roles_new - held) & roles_seeing_residents())
    moving = user is not None and user.pk is not None and user.organisation_id != (organisation_new.pk if organisation_new else None)
    promoting = superuser_new and not (user is not None and user.is_superuser)
    return PrivilegedChange(tuple(adding), moving, organisation_new if moving else None, promoting)


def is_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or Role.ADMINISTRATOR in user_roles(user))


def _grant_log(grant: RoleGrantRequest, actor: events.Actor, status: str, outcome: str = Outcome.SUCCESS) -> None:
    user = grant.user
    changes: dict[str, Any] = {"grant_request": grant.pk, "status": status}
    if grant.add_roles:
        held = sorted(user.groups.values_list("name", flat=True))
        changes["roles"] = {"old": held, "new": sorted(set(held) | set(grant.add_roles))}
    if grant.change_organisation:
        changes["organisation"] = {"old": str(user.organisation or ""), "new": str(grant.organisation or "")}
    if grant.make_superuser:
        changes["is_superuser"] = {"old": user.is_superuser, "new": True}
    if grant.remove_second_factor:
        changes["second_factor"] = {"old": "set", "new": "removed"}
    events.record(
        action=Action.ROLE_CHANGE, outcome=outcome, actor=actor, purpose="account_management",
        subjects=[events.Subject(object_type="user", object_id=str(user.public_id),
                                 fields=tuple(key for key in changes if key not in {"grant_request", "status"}),
                                 changes=changes)],
    )  # fmt: skip


def role_grant_request(*, user: User, change: PrivilegedChange, requested_by: User, actor: events.Actor) -> RoleGrantRequest:
    """Ask for a privileged change; it waits for a second administrator. Never for one's own account."""
    if user.pk == requested_by.pk:
        raise PermissionDenied(_("You cannot give yourself a role that sees residents, another organisation or superuser status. Ask another administrator."))
    with transaction.atomic():
        grant = RoleGrantRequest.objects.create(
            user=user, requested_by=requested_by, add_roles=list(change.add_roles),
            change_organisation=change.change_organisation, organisation=change.organisation,
            make_superuser=change.make_superuser, remove_second_factor=change.remove_second_factor,
        )  # fmt: skip
        _grant_log(grant, actor, "requested")
    return grant


def role_grant_confirm(*, grant: RoleGrantRequest, by: User, actor: events.Actor) -> None:
    """The second administrator confirms: the change is made now (the signals log old and new values)."""
    with transaction.atomic():
        grant = RoleGrantRequest.objects.select_for_update().select_related("user").get(pk=grant.pk)
        _decide_check(grant, by, actor)
        user = grant.user
        _grant_log(grant, actor, "confirmed")
        if grant.add_roles:
            user.groups.add(*Group.objects.filter(name__in=grant.add_roles))
        if grant.change_organisation or grant.make_superuser:
            if grant.change_organisation:
                user.organisation = grant.organisation
            if grant.make_superuser:
                user.is_superuser = True
            user.save(update_fields=["organisation", "is_superuser"])
        if grant.remove_second_factor:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            # The owner links a new app at the next log-in; sessions that passed the old one end.
            TOTPDevice.objects.filter(user=user).delete()
            user_sessions_end(user=user, actor=actor)
        grant.status, grant.decided_by, grant.decided_at = RoleGrantRequest.Status.CONFIRMED, by, timezone.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])


def role_grant_reject(*, grant: RoleGrantRequest, by: User, actor: events.Actor) -> None:
    """A second administrator refuses: nothing changes on the account."""
    with transaction.atomic():
        grant = RoleGrantRequest.objects.select_for_update().select_related("user").get(pk=grant.pk)
        _decide_check(grant, by, actor, rejecting=True)
        _grant_log(grant, actor, "rejected")
        grant.status, grant.decided_by, grant.decided_at = RoleGrantRequest.Status.REJECTED, by, timezone.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])


def _decide_check(grant: RoleGrantRequest, by: User, actor: events.Actor, rejecting: bool = False) -> None:
    if grant.status != RoleGrantRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    # The one who asked may withdraw (reject) their own request, never confirm it.
    allowed = is_administrator(by) and by.pk != grant.user_id and (rejecting or by.pk != grant.requested_by_id)
    if not allowed:
        events.record_denied(
            action=Action.ROLE_CHANGE, actor=actor, http_status=403, purpose="account_management",
            subject=events.Subject(object_type="user", object_id=str(grant.user.public_id),
                                   changes={"grant_request": grant.pk, "status": "confirm refused"}),
        )  # fmt: skip
        raise PermissionDenied(_("A second administrator decides: not the one who asked, and not the account's owner."))

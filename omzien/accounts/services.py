# SPDX-License-Identifier: EUPL-1.2
"""Writes about accounts: ending sessions, deactivating, two-factor devices, the login slow-down."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction

from omzien.accounts.models import User, UserSession
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

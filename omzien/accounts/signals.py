# SPDX-License-Identifier: EUPL-1.2
"""Authentication events into the access log (security.md A4), and session tracking.

Signals are used here because the events come from Django and django-axes, not from our services.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from axes.signals import user_locked_out

from omzien.accounts.models import User, UserSession
from omzien.audit import events
from omzien.audit.models import Action, Outcome


def _actor(request: Any, user: Any = None) -> events.Actor:
    if request is not None and user is None:
        return events.actor_for_request(request)
    client_ip = events.client_ip_for(request) if request is not None else None
    return events.actor_for_user(user, client_ip=client_ip)


def _account_subject(user: Any) -> events.Subject:
    return events.Subject(object_type="user", object_id=str(user.public_id) if user else "")


@receiver(user_logged_in)
def on_logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    if request is not None:
        # The absolute session limit counts from here.
        from omzien.accounts.middleware import LAST_SEEN_KEY, STARTED_KEY

        request.session[STARTED_KEY] = request.session[LAST_SEEN_KEY] = time.time()
    if request is not None and request.session.session_key:
        UserSession.objects.update_or_create(session_key=request.session.session_key, defaults={"user": user})
    events.record(
        action=Action.LOGIN, actor=_actor(request, user), subjects=[_account_subject(user)], purpose="login"
    )


@receiver(user_logged_out)
def on_logged_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    events.record(
        action=Action.LOGOUT, actor=_actor(request, user), subjects=[_account_subject(user)], purpose="login"
    )


def _known_user(credentials: dict[str, Any]) -> Any:
    # Only an existing account's id is logged: a mistyped username may be a password typed in the wrong box.
    username = credentials.get("username") or ""
    return get_user_model().objects.filter(username=username).first() if username else None


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    user = _known_user(credentials)
    actor = _actor(request, user) if user else events.Actor(display="(unknown account)", role="anonymous",
                                                           client_ip=events.client_ip_for(request) if request else None)  # fmt: skip
    events.record(
        action=Action.LOGIN_FAILED,
        outcome=Outcome.DENIED,
        actor=actor,
        subjects=[_account_subject(user)],
        purpose="login",
    )


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    user = _known_user({"username": username})
    actor = events.Actor(
        user_id=user.public_id if user else None, display=user.get_username() if user else "(unknown account)",
        role="anonymous", client_ip=ip_address,
    )  # fmt: skip
    events.record(
        action=Action.LOCKOUT,
        outcome=Outcome.DENIED,
        actor=actor,
        subjects=[_account_subject(user)],
        purpose="login",
    )


@receiver(pre_save, sender=User)
def remember_active_state(sender: Any, instance: User, **kwargs: Any) -> None:
    before = (
        User.objects.filter(pk=instance.pk).values("is_active", "is_superuser", "organisation__name").first()
        if instance.pk
        else None
    )
    instance._was_active = before["is_active"] if before else None  # type: ignore[attr-defined]
    instance._was_privileged = before  # type: ignore[attr-defined]


@receiver(post_save, sender=User)
def on_privileged_change(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    # Superuser status and organisation decide what an account may see: every change goes into the
    # chained access log with the old and the new value, whoever or whatever made it.
    before = getattr(instance, "_was_privileged", None)
    organisation = str(instance.organisation) if instance.organisation_id else ""
    changes: dict[str, Any] = {}
    if created:
        if instance.is_superuser:
            changes["is_superuser"] = {"old": None, "new": True}
    elif before is not None:
        if before["is_superuser"] != instance.is_superuser:
            changes["is_superuser"] = {"old": before["is_superuser"], "new": instance.is_superuser}
        if (before["organisation__name"] or "") != organisation:
            changes["organisation"] = {"old": before["organisation__name"] or "", "new": organisation}
    instance._was_privileged = None  # type: ignore[attr-defined]
    if changes:
        events.record(
            action=Action.ROLE_CHANGE,
            actor=events.actor_for_current_request(),
            subjects=[events.Subject(object_type="user", object_id=str(instance.public_id),
                                     fields=tuple(changes), changes=changes)],
            purpose="account_management",
        )  # fmt: skip


@receiver(post_save, sender=User)
def on_password_change(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    # Django keeps the new raw password in ``_password`` from set_password() until the save is done,
    # and clears it first when it only upgrades the hash at log-in: so this is a real change.
    if created or getattr(instance, "_password", None) is None:
        return
    events.record(
        action=Action.PASSWORD_CHANGE,
        actor=events.actor_for_current_request(),
        subjects=[_account_subject(instance)],
        purpose="account_management",
    )


@receiver(post_save, sender=User)
def end_sessions_of_deactivated_user(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    # Covers deactivation through the admin or any other save, not only accounts.services.
    if not created and getattr(instance, "_was_active", None) and not instance.is_active:
        from omzien.accounts.services import user_sessions_end

        user_sessions_end(user=instance, actor=events.Actor(display="system", role="system", channel="web"))


@receiver(m2m_changed, sender=User.groups.through)
def on_role_change(sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any) -> None:
    # A role change is a privileged change (BIO 5.18.01): logged, and the cached role is dropped.
    if not isinstance(instance, User):
        return
    if action in {"pre_add", "pre_remove", "pre_clear"}:
        instance._groups_before = sorted(instance.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    instance.__dict__.pop("_omzien_roles", None)
    new = sorted(instance.groups.values_list("name", flat=True))
    old = getattr(instance, "_groups_before", None)
    if old == new:
        return  # adding a role already held changes nothing
    events.record(
        action=Action.ROLE_CHANGE,
        actor=events.actor_for_current_request(),
        subjects=[events.Subject(object_type="user", object_id=str(instance.public_id), fields=("groups",),
                                 changes={"groups": {"old": old, "new": new}})],
        purpose="account_management",
    )  # fmt: skip


def roles_sync_after_migrate(sender: Any, apps: Any = None, **kwargs: Any) -> None:
    from django.apps import apps as global_apps

    from omzien.accounts.migrations._helpers import roles_sync

    # The global registry: migrate passes its StateApps, whose stubs are named by label ("accounts"), so
    # asking it for "omzien.accounts" said no and the sync never ran (a room's later permissions were lost).
    if all(global_apps.is_installed(name) for name in ("omzien.accounts", "omzien.residents", "omzien.audit")):
        roles_sync(global_apps, strict=True)

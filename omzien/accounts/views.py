# SPDX-License-Identifier: EUPL-1.2
"""Log in, second factor, log out, session extension, start page, and the demo's one-click login."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts import services
from omzien.accounts.demo import demo_usernames
from omzien.accounts.forms import LoginForm, TokenForm
from omzien.accounts.middleware import LAST_SEEN_KEY, session_expires_at
from omzien.accounts.navigation import start_cards_for
from omzien.accounts.roles import needs_two_factor, role_decls, role_for_value, user_role
from omzien.accounts.twofactor import DEMO_SKIP_KEY
from omzien.audit import events


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Log in with username and password; staff continue to the second factor."""
    if request.user.is_authenticated and request.method == "GET":
        return redirect("accounts:start")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        wait = services.login_wait_seconds(
            username=username, known_device=_known_device(request, username), actor=events.actor_for_request(request)
        )
        if wait:
            return _slowed_down(request, wait)
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is None:
            services.login_failure_count(username=username)
            form.add_error(None, _("The username or password is not correct."))
        else:
            login(request, user)  # a new session key (session fixation)
            target = _next_url(request, reverse("accounts:start"))
            if needs_two_factor(user):
                target = f"{reverse('accounts:two_factor')}?{urlencode({'next': target})}"
            return _remember_device(HttpResponseRedirect(target), username)
    from omzien.accounts.oidc import oidc_enabled

    return render(
        request, "accounts/login.html", {"form": form, "next": _next_url(request, ""), "digid": oidc_enabled()}
    )


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's password reset; the browser that proved it reads the account's mailbox becomes a known
    browser for it, so a slow-down caused by someone else's guesses does not hold the owner back."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user  # the account whose reset link was valid
        return _remember_device(response, user.get_username())


DEVICE_SALT = "omzien.accounts.known-device"


def _device_mark(username: str) -> str:
    # A keyed hash: the cookie says "this browser logged in to this account" without naming it.
    return salted_hmac(DEVICE_SALT, username, algorithm="sha256").hexdigest()[:32]


def _known_device(request: HttpRequest, username: str) -> bool:
    mark = request.get_signed_cookie(
        settings.OMZIEN_DEVICE_COOKIE_NAME, default="", salt=DEVICE_SALT,
        max_age=settings.OMZIEN_LOGIN_DEVICE_DAYS * 86400,
    )  # fmt: skip
    return isinstance(mark, str) and bool(mark) and constant_time_compare(mark, _device_mark(username))


def _remember_device(response: HttpResponse, username: str) -> HttpResponse:
    response.set_signed_cookie(
        settings.OMZIEN_DEVICE_COOKIE_NAME, _device_mark(username), salt=DEVICE_SALT,
        max_age=settings.OMZIEN_LOGIN_DEVICE_DAYS * 86400, secure=settings.SESSION_COOKIE_SECURE,
        httponly=True, samesite="Lax",
    )  # fmt: skip
    return response


def _slowed_down(request: HttpRequest, wait: int) -> HttpResponse:
    """Many failures for this account from many places: this browser waits (the password is not tried)."""
    response = render(request, "accounts/slowed_down.html", {"seconds": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the TOTP code; without a confirmed device, set one up first."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(
            f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': _next_url(request, reverse('accounts:start'))})}"
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_token_check(device=device, token=form.cleaned_data["token"], user=request.user,  # type: ignore[arg-type]
                                     actor=events.actor_for_request(request)):  # fmt: skip
            otp_login(request, device)
            request.session.cycle_key()  # a new session key after the second factor too (ASVS 7.2.4)
            return HttpResponseRedirect(_next_url(request, reverse("accounts:start")))
        form.add_error(
            "token", _("This code is not correct or has expired. Try the code your app shows now.")
        )
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request, "")})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: show the QR code and the key, then check a first code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        # Replacing a device goes through the administrator, who first checks who is asking.
        return redirect("accounts:two_factor")
    device = services.totp_device_for(request.user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            services.totp_device_confirm(device=device, actor=events.actor_for_request(request))
            otp_login(request, device)
            request.session.cycle_key()
            messages.success(
                request, _("Your authenticator app is linked. From now on you log in with a code from it.")
            )
            return HttpResponseRedirect(_next_url(request, reverse("accounts:start")))
        form.add_error(
            "token", _("This code is not correct. Check the time on your phone and try the newest code.")
        )
    import base64

    import qrcode
    import qrcode.image.svg

    secret = base64.b32encode(device.bin_key).decode()
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": image.to_string(encoding="unicode"),
            "secret": secret,
            "next": _next_url(request, ""),
        },
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    from omzien.accounts.oidc import oidc_enabled, provider_logout_url

    id_token = request.session.get("oidc_id_token")
    logout(request)  # deletes the server-side session: the old cookie no longer works
    messages.info(request, _("You are logged out."))
    # Logged in with DigiD: log out at the broker too, which sends the browser back to the home page.
    at_broker = provider_logout_url(request, id_token) if id_token and oidc_enabled() else None
    return HttpResponseRedirect(at_broker) if at_broker else redirect("home")


@require_POST
@login_required
def session_extend(request: HttpRequest) -> JsonResponse:
    """Count as activity (the 'stay logged in' button) and return the new expiry."""
    request.session[LAST_SEEN_KEY] = time.time()
    return JsonResponse({"expires_at": session_expires_at(request)})


@require_GET
@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Each role's start page: what it can do here, with its menu."""
    role = user_role(request.user)
    decl = role_decls().get(str(role)) if role else None
    return render(
        request,
        "accounts/start.html",
        {
            "role": role,
            "role_text": decl.start_text if decl else "",
            # Staff always use a second factor; the others may choose one.
            "second_factor_optional": decl is not None and not decl.two_factor,
            "cards": start_cards_for(request.user),
        },
    )


@require_POST
@login_required
def role_switch(request: HttpRequest) -> HttpResponse:
    """Switch to another of the account's roles for this session, then start again from its start page."""
    role = request.POST.get("role", "")
    actor = events.actor_for_request(request)
    if services.role_in_use_set(session=request.session, user=request.user, role=role, actor=actor):  # type: ignore[arg-type]
        chosen = role_for_value(role)
        messages.success(request, _("You now work as %(role)s.") % {"role": chosen.label if chosen else role})
    else:
        messages.error(request, _("Your account does not have that role."))
    return redirect("accounts:start")


@require_POST
def demo_login(request: HttpRequest) -> HttpResponse:
    """Log in as the demo user of a role, second factor skipped (demo mode only)."""
    if not settings.OMZIEN_DEMO:
        raise Http404("Demo mode is off.")
    role = role_for_value(request.POST.get("role", ""))
    username = demo_usernames().get(role) if role else None
    if username is None:
        raise Http404("No such role.")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        messages.error(request, _("The demo city has not been loaded yet: run 'omzien seed_demo'."))
        return redirect("home")
    login(request, user, backend="omzien.accounts.backends.RoleInUseBackend")
    request.session[DEMO_SKIP_KEY] = True
    return redirect("accounts:start")


def lockout(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """What a locked-out login attempt sees (django-axes calls this)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)

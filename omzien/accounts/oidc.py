# SPDX-License-Identifier: EUPL-1.2
"""Residents log in with DigiD through the municipality's OpenID Connect broker (mozilla-django-oidc).

The library does the redirect, state, nonce, PKCE and the code exchange. Omzien adds what a municipal login
needs on top:

- the ID token checked completely: the broker's signature (keys from its JWKS), the issuer, the audience
  (our client id), expiry and issue time, and the nonce of this browser's login (the library leaves audience
  and issuer unchecked and lets an expired token escape as a server error);
- the level of assurance (DigiD Midden by default) and no logins on someone else's behalf (DigiD Machtigen);
- the identifier (the BSN) kept only as a keyed hash (HMAC-SHA256, ``OMZIEN_OIDC_SUBJECT_KEY``): a returning
  resident is recognised by it; a first login waits for the one-time link code (the rights room's page);
- a clear page and an access-log entry for every way a login can go wrong (``LoginRefused.reason``);
- logging out at the broker too (RP-initiated logout with the ID token as hint).

Staff never log in here: they keep a password and a second factor.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

import jwt
import requests
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from omzien.accounts.models import OidcIdentity
from omzien.accounts.roles import Role, role_needs_two_factor, user_roles
from omzien.audit import events
from omzien.audit.models import Action

logger = logging.getLogger(__name__)

# A verified DigiD login that no account knows yet waits here for the link code, briefly.
PENDING_KEY = "omzien_oidc_pending"
PENDING_SECONDS = 15 * 60
# Clocks of broker and server may differ a little (seconds accepted around exp, iat and nbf).
CLOCK_LEEWAY = 60
# DigiD's levels as SAML authentication context classes, lowest first (Logius, DigiD koppelvlakspecificatie).
LOA_LEVELS = (
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",  # Basis
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",  # Midden
    "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",  # Substantieel
    "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",  # Hoog
)

# What the resident reads for each way a login can go wrong (and the access log's object id).
REASONS: dict[str, Any] = {
    "state": _(
        "The answer from DigiD does not belong to a login started in this browser: it is old, was used "
        "before, or was altered on the way. Nothing was saved."
    ),
    "nonce": _("The answer from DigiD does not match the login you started here. Nothing was saved."),
    "signature": _(
        "The answer from DigiD was not signed by the municipality's login service, so we cannot trust it. "
        "Nothing was saved."
    ),
    "expired": _("The answer from DigiD had expired before it reached us. Nothing was saved."),
    "time": _("The answer from DigiD is dated in the future. Nothing was saved."),
    "audience": _("The answer from DigiD was meant for another service, not for Omzien. Nothing was saved."),
    "issuer": _("The answer did not come from the municipality's login service. Nothing was saved."),
    "incomplete": _("The answer from DigiD is missing required parts. Nothing was saved."),
    "assurance": _(
        "Omzien holds data about your health and support, so it needs DigiD with the DigiD app or an SMS "
        "check (level Midden) at least. Log in again with the app or SMS."
    ),
    "identifier": _("DigiD did not give us your citizen service number, so we cannot recognise you."),
    "mandate": _(
        "Logging in on behalf of someone else (DigiD Machtigen) is not possible in Omzien yet. Log in with "
        "your own DigiD, or ask the neighbourhood team for help."
    ),
    "staff_account": _(
        "This DigiD login belongs to an account of a staff member. Staff log in with their username, "
        "password and code."
    ),
    "inactive": _(
        "This account has been closed. Contact your neighbourhood team if you think this is wrong."
    ),
    "cancelled": _("You cancelled logging in at DigiD. Nothing happened."),
    "provider_error": _("DigiD could not log you in. Please try again later."),
    "unreachable": _("DigiD cannot be reached right now. Please try again in a few minutes."),
    "token_exchange": _("DigiD did not accept the login on our side. Nothing was saved."),
}


class LoginRefused(Exception):  # noqa: N818 - a refusal, told to the person, not a programming error
    """A DigiD login Omzien refuses; ``reason`` is a key of ``REASONS``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def oidc_enabled() -> bool:
    return bool(settings.OMZIEN_OIDC_ISSUER)


_metadata: dict[str, dict[str, Any]] = {}


def provider_metadata() -> dict[str, Any]:
    """The broker's discovery document (cached per issuer); its issuer must be the configured one."""
    issuer = settings.OMZIEN_OIDC_ISSUER
    if issuer not in _metadata:
        try:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
            )
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError):
            raise LoginRefused("unreachable") from None
        if str(data.get("issuer", "")).rstrip("/") != issuer:  # OpenID Connect Discovery 1.0 §4.3
            raise LoginRefused("issuer")
        _metadata[issuer] = data
    return _metadata[issuer]


def metadata_forget() -> None:
    """Forget the cached discovery documents (a test's provider, or a broker that moved its endpoints)."""
    _metadata.clear()


# Settings that, left empty, come from the discovery document.
_DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OMZIEN_OIDC_END_SESSION_ENDPOINT": "end_session_endpoint",
}


def oidc_setting(attr: str, *args: Any) -> Any:
    """mozilla-django-oidc's settings, with the broker's endpoints from discovery where not configured."""
    if attr in _DISCOVERED:
        return getattr(settings, attr, "") or provider_metadata().get(_DISCOVERED[attr], "")
    return import_from_settings(attr, *args)


def subject_hash(identifier: str) -> str:
    """The keyed hash by which a DigiD user is recognised: HMAC-SHA256 with the key from the settings."""
    key = settings.OMZIEN_OIDC_SUBJECT_KEY.encode()
    return hmac.new(key, identifier.strip().encode(), hashlib.sha256).hexdigest()


def bsn_valid(value: str) -> bool:
    """Nine digits passing the BSN's eleven test (weights 9..2 and -1), not all zeros."""
    if len(value) != 9 or not value.isdigit() or value == "000000000":
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:8], range(9, 1, -1), strict=True))
    return (total - int(value[8])) % 11 == 0


def loa_sufficient(value: object) -> bool:
    """Whether a DigiD level (an authentication context class) reaches the configured minimum."""
    minimum = settings.OMZIEN_OIDC_LOA_MINIMUM
    if not minimum:
        return True
    if not isinstance(value, str) or value not in LOA_LEVELS or minimum not in LOA_LEVELS:
        return False
    return LOA_LEVELS.index(value) >= LOA_LEVELS.index(minimum)


class ResidentOidcBackend(OIDCAuthenticationBackend):
    """The broker's answer to a resident's login: checked in full, then the linked account, or none yet.

    Grants no permissions itself: they follow the role in use (``RoleInUseBackend``).
    """

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Not the library's __init__: that reads the endpoints now, which would ask the broker on every
        # password log-in too. They are read when a DigiD answer is handled.
        self.UserModel = get_user_model()

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 - the library's attribute names
        return str(oidc_setting("OIDC_OP_TOKEN_ENDPOINT"))

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:  # noqa: N802
        return str(oidc_setting("OIDC_OP_USER_ENDPOINT"))

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return str(oidc_setting("OIDC_OP_JWKS_ENDPOINT"))

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_CLIENT_ID)

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_CLIENT_SECRET)

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_SIGN_ALGO)

    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        # Only the callback view calls with exactly these; a password log-in passes username and password.
        if not oidc_enabled() or request is None or set(kwargs) != {"nonce", "code_verifier"}:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException:
            raise LoginRefused("unreachable") from None

    def get_token(self, payload: dict[str, Any]) -> Any:
        try:
            return super().get_token(payload)
        except requests.HTTPError:
            raise LoginRefused("token_exchange") from None

    def retrieve_matching_jwk(self, token: str) -> Any:
        """The broker's signing key for this token: by ``kid``, or the only key when the set holds one.

        OpenID Connect Core §10.1: a ``kid`` is required only when the key set holds several keys (the
        library's own lookup insists on one always).
        """
        try:
            header = jwt.get_unverified_header(token)
            response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            keys = [key for key in response.json().get("keys", []) if key.get("use", "sig") == "sig"]
        except (jwt.PyJWTError, ValueError, AttributeError):
            raise LoginRefused("signature") from None
        kid = header.get("kid")
        candidates = [key for key in keys if key.get("kid") == kid] if kid else keys
        candidates = [key for key in candidates if key.get("alg", header.get("alg")) == header.get("alg")]
        if len(candidates) != 1:
            raise LoginRefused("signature")
        try:
            return jwt.PyJWK(candidates[0], algorithm=header.get("alg"))
        except jwt.PyJWTError:
            raise LoginRefused("signature") from None

    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        """Signature, algorithm, issuer, audience, expiry and issue time of the ID token."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
        except jwt.PyJWTError:
            raise LoginRefused("signature") from None
        if algorithm != self.OIDC_RP_SIGN_ALGO:  # never "none", never a symmetric key from a public value
            raise LoginRefused("signature")
        try:
            claims: dict[str, Any] = jwt.decode(
                payload, key, algorithms=[algorithm], audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OMZIEN_OIDC_ISSUER, leeway=CLOCK_LEEWAY,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )  # fmt: skip
        except jwt.ExpiredSignatureError:
            raise LoginRefused("expired") from None
        except jwt.InvalidAudienceError:
            raise LoginRefused("audience") from None
        except jwt.InvalidIssuerError:
            raise LoginRefused("issuer") from None
        except (jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError):
            raise LoginRefused("time") from None
        except jwt.MissingRequiredClaimError:
            raise LoginRefused("incomplete") from None
        except jwt.PyJWTError:
            raise LoginRefused("signature") from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:  # OpenID Connect Core §3.1.3.7
            raise LoginRefused("audience")
        return claims

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        claims = self._verify_jws(token, self.retrieve_matching_jwk(token))
        if "nonce" in kwargs:  # the ID token of this login (a signed userinfo answer carries none)
            expected = kwargs["nonce"] or ""
            if not expected or not hmac.compare_digest(str(claims.get("nonce", "")), expected):
                raise LoginRefused("nonce")
            self._id_claims = claims
        return claims

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            info: dict[str, Any] = super().get_userinfo(access_token, id_token, payload)
        except requests.HTTPError:
            raise LoginRefused("provider_error") from None
        if info.get("sub") != payload.get("sub"):  # OpenID Connect Core §5.3.2
            raise LoginRefused("signature")
        return info

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The account linked to this DigiD user, or None with the keyed hash waiting for a link code."""
        claims = {**self.get_userinfo(access_token, id_token, payload), **payload}  # the signed token wins
        if claims.get("act") or claims.get("representee"):
            raise LoginRefused("mandate")
        if settings.OMZIEN_OIDC_LOA_MINIMUM and not loa_sufficient(
            claims.get(settings.OMZIEN_OIDC_LOA_CLAIM)
        ):
            raise LoginRefused("assurance")
        identifier = str(claims.get(settings.OMZIEN_OIDC_IDENTIFIER_CLAIM) or "").strip()
        if not identifier or (settings.OMZIEN_OIDC_IDENTIFIER_CLAIM == "bsn" and not bsn_valid(identifier)):
            raise LoginRefused("identifier")
        digest = subject_hash(identifier)
        identity = OidcIdentity.objects.select_related("user").filter(subject_hash=digest).first()
        if identity is None:
            self.request.session[PENDING_KEY] = {
                "subject_hash": digest,
                "until": time.time() + PENDING_SECONDS,
            }
            return None
        user = identity.user
        if not user.is_active:
            raise LoginRefused("inactive")
        roles = user_roles(user)
        if Role.RESIDENT not in roles or any(role_needs_two_factor(role) for role in roles):
            raise LoginRefused("staff_account")
        OidcIdentity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
        return user

    # Permissions come from the role in use alone.
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False


def pending_subject_hash(request: HttpRequest) -> str | None:
    """The keyed hash of a verified DigiD login that waits for its link code, while it is fresh."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or float(pending.get("until", 0)) < time.time():
        return None
    value = pending.get("subject_hash")
    return value if isinstance(value, str) and len(value) == 64 else None


def refused(request: HttpRequest, reason: str) -> HttpResponse:
    """The page that says why a DigiD login was refused, and the access-log entry (no personal data)."""
    reason = reason if reason in REASONS else "provider_error"
    status = 503 if reason == "unreachable" else 403
    events.record_denied(
        action=Action.LOGIN_FAILED, actor=events.actor_for_request(request),
        subject=events.Subject(object_type="oidc_login", object_id=reason), purpose="login", http_status=status,
    )  # fmt: skip
    logger.warning("DigiD login refused: %s", reason)
    return render(
        request, "accounts/oidc_refused.html", {"reason": reason, "message": REASONS[reason]}, status=status
    )


class ResidentLoginView(OIDCAuthenticationRequestView):
    """Start a DigiD login: to the broker with state, nonce and a PKCE challenge kept in this session."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)  # endpoints are read in get()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404("DigiD login is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except LoginRefused as refusal:
            return refused(request, refusal.reason)
        response: HttpResponse = super().get(request)
        return response

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return {"ui_locales": get_language() or "nl"}


class ResidentCallbackView(OIDCAuthenticationCallbackView):
    """The broker's answer: a refusal page for anything wrong, else the resident's start page, or the link code."""

    get_settings = staticmethod(oidc_setting)

    @property
    def failure_url(self) -> str:
        return reverse("accounts:login")

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404("DigiD login is not configured.")
        request.session.pop(PENDING_KEY, None)
        if request.GET.get("error"):
            super().get(request)  # forgets the state (no replay) and logs out
            return refused(
                request, "cancelled" if request.GET["error"] == "access_denied" else "provider_error"
            )
        state = request.GET.get("state", "")
        if not request.GET.get("code") or state not in request.session.get("oidc_states", {}):
            return refused(request, "state")
        try:
            response: HttpResponse = super().get(request)
        except LoginRefused as refusal:
            return refused(request, refusal.reason)
        if request.user.is_authenticated:
            return response
        if pending_subject_hash(request):
            try:
                return HttpResponseRedirect(reverse("rights:link_account"))
            except NoReverseMatch:  # the rights room is not installed: nobody can link a first login
                request.session.pop(PENDING_KEY, None)
        return refused(request, "inactive")


def provider_logout_url(request: HttpRequest, id_token: str) -> str | None:
    """The broker's end-session URL for this login (RP-initiated logout), or None when there is none."""
    try:
        endpoint = oidc_setting("OMZIEN_OIDC_END_SESSION_ENDPOINT")
    except LoginRefused:
        return None
    if not endpoint:
        return None
    query = urlencode({
        "id_token_hint": id_token, "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("home")),
    })  # fmt: skip
    return f"{endpoint}?{query}"

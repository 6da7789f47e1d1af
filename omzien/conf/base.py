# SPDX-License-Identifier: EUPL-1.2
"""All of Omzien's settings, read from the environment in this one place.

``dev.py`` and ``test.py`` only set other defaults for the same variables and then import this
module, so there is no production-only code path. Every variable is documented in
``docs/configuration.md``, generated from the help texts below (``omzien config_docs``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF

from omzien.lib.env import (
    ImproperlyConfiguredError,
    env_bool,
    env_int,
    env_list,
    env_optional,
    env_secret,
    env_str,
    group,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "omzien"

group("Core")
DEBUG = env_bool("DEBUG", False, "Django debug mode: stack traces in the browser. Never on in production.")
OMZIEN_DEMO = env_bool(
    "OMZIEN_DEMO",
    False,
    "Demo mode: the home page offers a one-click login per role and demo data may be loaded. "
    "Never on in production.",
)
SECRET_KEY = (
    env_secret(
        "SECRET_KEY",
        None,
        "Django's secret key (sessions, password reset tokens). Required; at least 50 random characters.",
    )
    or ""
)
if not SECRET_KEY:
    raise ImproperlyConfiguredError(
        "SECRET_KEY (or SECRET_KEY_FILE) must be set. For a local demo, set "
        "DJANGO_SETTINGS_MODULE=omzien.conf.dev instead."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"], "Host names this instance answers to.")
OMZIEN_INSTANCE_ID = env_str(
    "OMZIEN_INSTANCE_ID",
    "omzien-local",
    "Name of this installation; written into every audit entry as the source system.",
)
VAR_DIR = Path(
    env_str(
        "OMZIEN_VAR_DIR",
        str(BASE_DIR / "var"),
        "Folder for the SQLite database and collected static files.",
        shown_default="<project folder>/var",
    )
)

group("Database")
DATABASE_URL = env_str(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'omzien.sqlite3'}",
    "Database to use: `sqlite:///path` (embedded default) or `postgres://user:password@host:port/name` "
    "(production).",
    shown_default="sqlite:///<OMZIEN_VAR_DIR>/omzien.sqlite3",
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int(
            "DATABASE_CONN_MAX_AGE",
            60,
            "Seconds a database connection is kept open for reuse (0: close after each request).",
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must work on a fresh checkout: create the folder SQLite writes into.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the task worker and the web server write without 'database is locked' errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "omzien.lib",
    "omzien.core",
    "omzien.geo",
    "omzien.accounts",
    "omzien.audit",
    "omzien.residents",
    "omzien.policy",
    "omzien.matching",
    "omzien.wellbeing",
    "omzien.activities",
    "omzien.volunteers",
    "omzien.hsds",
    "omzien.monitor",
    "omzien.reports",
    "omzien.casework",
    "omzien.initiatives",
    "omzien.rights",
    "omzien.operations",
    "omzien.conf.apps.OmzienAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "omzien.conf.staticfiles.OmzienStaticFilesConfig",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
]
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Omzien API",
    "DESCRIPTION": "Omzien's JSON API. The directory (sociale kaart) is public as Open Referral HSDS 3.0 under /api/hsds/.",
    "VERSION": "1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # The HSDS objects every response of /api/hsds/ refers to (omzien/hsds/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "omzien.hsds.openapi.add_components",
    ],
    # One name for a choice set that several fields share (yes / no / unknown on a partner's signal).
    "ENUM_NAME_OVERRIDES": {"SignalAnswerEnum": "omzien.casework.models.Answer"},
}
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "omzien.lib.middleware.RequestIdMiddleware",
    "omzien.audit.events.AuditMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "omzien.lib.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "omzien.accounts.middleware.SessionPolicyMiddleware",
    "omzien.lib.middleware.NulByteMiddleware",
    "omzien.residents.middleware.DeniedAccessLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "omzien.lib.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "omzien.conf.urls"
WSGI_APPLICATION = "omzien.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "omzien.lib.context_processors.site",
                "omzien.accounts.context_processors.account",
                "omzien.policy.context_processors.helplines",
            ],
        },
    },
]

group("Security")
OMZIEN_HTTPS = env_bool(
    "OMZIEN_HTTPS",
    True,
    "Served over HTTPS: secure `__Host-` cookies, HSTS and a redirect from http. Off only for local demos.",
)
OMZIEN_TRUST_PROXY_HEADERS = env_bool(
    "OMZIEN_TRUST_PROXY_HEADERS",
    False,
    "Trust `X-Forwarded-Proto` and `X-Forwarded-For` from the reverse proxy in front of Omzien.",
)
OMZIEN_TRUSTED_PROXIES = env_int(
    "OMZIEN_TRUSTED_PROXIES",
    1,
    "With trusted proxy headers: how many reverse proxies in front of Omzien append to `X-Forwarded-For`. "
    "The client's address is that many entries from the right; entries further left are the client's own words.",
)
OMZIEN_PUBLIC_FORM_RATE = env_str(
    "OMZIEN_PUBLIC_FORM_RATE",
    "10/h",
    "How often one address may send each public form (self-test contact request, public signal, sign-up): "
    "'count/period', period s, m, h or d, e.g. '10/h' or '5/10m'. Beyond it: a page asking to try again later (HTTP 429).",
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [], "Origins (scheme and host) allowed to post forms, when behind a proxy."
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = OMZIEN_HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
if OMZIEN_HTTPS:
    # The __Host- prefix makes the browser refuse the cookie unless it is Secure, for '/' and host-only.
    SESSION_COOKIE_NAME = "__Host-omzien-session"
    CSRF_COOKIE_NAME = "__Host-omzien-csrf"
    LANGUAGE_COOKIE_NAME = "__Host-omzien-language"
    OMZIEN_DEVICE_COOKIE_NAME = "__Host-omzien-device"
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
else:
    SESSION_COOKIE_NAME = "omzien-session"
    CSRF_COOKIE_NAME = "omzien-csrf"
    LANGUAGE_COOKIE_NAME = "omzien-language"
    OMZIEN_DEVICE_COOKIE_NAME = "omzien-device"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if OMZIEN_TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
if env_bool(
    "OMZIEN_FAST_PASSWORD_HASHER",
    False,
    "Use a fast, insecure password hasher. Only for the test suite; never in production.",
):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

group("Accounts and sessions")
# The model backend, with permissions of the role in use only (an account may hold several roles).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "omzien.accounts.backends.RoleInUseBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"
OMZIEN_STAFF_IDLE_MINUTES = env_int(
    "OMZIEN_STAFF_IDLE_MINUTES",
    15,
    "Minutes without activity after which a staff session ends (roles with a second factor).",
)
OMZIEN_RESIDENT_IDLE_MINUTES = env_int(
    "OMZIEN_RESIDENT_IDLE_MINUTES",
    30,
    "Minutes without activity after which a resident's, volunteer's or host's session ends.",
)
OMZIEN_SESSION_ABSOLUTE_HOURS = env_int(
    "OMZIEN_SESSION_ABSOLUTE_HOURS",
    12,
    "Hours after logging in after which every session ends, active or not.",
)
SESSION_COOKIE_AGE = OMZIEN_SESSION_ABSOLUTE_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AXES_FAILURE_LIMIT = env_int(
    "OMZIEN_LOGIN_FAILURE_LIMIT",
    5,
    "Failed log-ins from one address for one account before it is locked there.",
)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int(
        "OMZIEN_LOGIN_LOCKOUT_MINUTES",
        15,
        "Minutes an account stays locked at an address after too many failures.",
    )
)
# Lock the combination of account and address, so an attacker elsewhere cannot lock the real user out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
OMZIEN_LOGIN_ACCOUNT_FAILURES = env_int(
    "OMZIEN_LOGIN_ACCOUNT_FAILURES",
    10,
    "Failed log-ins for one account, from all addresses together, after which an unknown browser is slowed down.",
)
OMZIEN_LOGIN_ACCOUNT_WINDOW_MINUTES = env_int(
    "OMZIEN_LOGIN_ACCOUNT_WINDOW_MINUTES", 60, "Minutes over which an account's failed log-ins are counted."
)
OMZIEN_LOGIN_SLOWDOWN_SECONDS = env_int(
    "OMZIEN_LOGIN_SLOWDOWN_SECONDS",
    30,
    "When slowed down, one attempt per this many seconds for the account from browsers that never logged in to it; "
    "a browser that did (a signed device cookie) is not slowed.",
)
OMZIEN_LOGIN_DEVICE_DAYS = env_int(
    "OMZIEN_LOGIN_DEVICE_DAYS", 180, "Days a browser stays known for an account after logging in to it."
)
AXES_LOCKOUT_CALLABLE = "omzien.accounts.views.lockout"
AXES_CLIENT_IP_CALLABLE = "omzien.lib.client.client_address_for_axes"
AXES_VERBOSE = False  # its log lines would carry user names and addresses
AXES_ENABLE_ADMIN = True
OTP_TOTP_ISSUER = env_str("OMZIEN_TOTP_ISSUER", "Omzien", "Name shown for Omzien in authenticator apps.")

OMZIEN_AUDIT_RETENTION_YEARS = env_int(
    "OMZIEN_AUDIT_RETENTION_YEARS",
    5,
    "Years the access log keeps its entries (NEN 7513: at least 5); `omzien audit expire`, run as the "
    "maintenance database role, removes older ones while `omzien audit verify` still proves the rest.",
)

OMZIEN_AUDIT_CHAINS = env_int(
    "OMZIEN_AUDIT_CHAINS",
    16,
    "Hash chains the access log is written in side by side on PostgreSQL (SQLite: always one): an audited "
    "action locks one chain's head until its transaction ends, so this many can be written at the same time. "
    "Raising it is always safe; lowering it leaves the higher chains as they are (still verified).",
)

group(
    "Resident login (OpenID Connect, DigiD)",
    "Residents log in with DigiD through the municipality's OpenID Connect broker (the one Open Inwoner "
    "and Open Formulieren use); staff keep a password and TOTP. For production, register Omzien at the "
    "broker as a confidential client with the redirect URI `https://<host>/account/digid/terug/` and the "
    "post-logout URI `https://<host>/`, and set `OMZIEN_OIDC_ISSUER`, `OMZIEN_OIDC_CLIENT_ID`, "
    "`OMZIEN_OIDC_CLIENT_SECRET` (or `_FILE`), `OMZIEN_OIDC_SUBJECT_KEY` (or `_FILE`), the scope the broker "
    "wants for the BSN (often `openid bsn`), the claim that holds the BSN and the claim and minimum of the "
    "level of assurance. Endpoints come from the issuer's discovery document unless set. Acting for someone "
    "else (DigiD Machtigen) is not supported: such a login is refused. `docs/rights.md` explains the link "
    "code, the keyed hash and the legal ground.",
)
OMZIEN_OIDC_ISSUER = (
    env_optional(
        "OMZIEN_OIDC_ISSUER",
        "The broker's issuer URL (its `iss`); empty: no DigiD login. `scripts/demo` points it at the demo "
        "provider it starts on http://127.0.0.1:9400.",
    )
    or ""
).rstrip("/")
OIDC_RP_CLIENT_ID = env_str(
    "OMZIEN_OIDC_CLIENT_ID", "omzien", "Omzien's client id at the broker (the ID token's `aud`)."
)
OIDC_RP_CLIENT_SECRET = (
    env_secret("OMZIEN_OIDC_CLIENT_SECRET", "omzien-demo", "Omzien's client secret at the broker.") or ""
)
OIDC_RP_SCOPES = env_str(
    "OMZIEN_OIDC_SCOPES",
    "openid",
    "Scopes asked for; add what the broker needs to release the BSN (e.g. `openid bsn`).",
)
OIDC_RP_SIGN_ALGO = env_str(
    "OMZIEN_OIDC_SIGN_ALGORITHM",
    "RS256",
    "Signature algorithm of the ID token (RS256 or ES256; never HS256 or none).",
)
if OMZIEN_OIDC_ISSUER and OIDC_RP_SIGN_ALGO[:2] not in ("RS", "ES", "PS"):
    raise ImproperlyConfiguredError(
        "OMZIEN_OIDC_SIGN_ALGORITHM must be an asymmetric algorithm (RS…, PS… or ES…)."
    )
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str(
    "OMZIEN_OIDC_AUTHORIZATION_ENDPOINT", "", "Authorization endpoint; empty: from discovery."
)
OIDC_OP_TOKEN_ENDPOINT = env_str("OMZIEN_OIDC_TOKEN_ENDPOINT", "", "Token endpoint; empty: from discovery.")
OIDC_OP_USER_ENDPOINT = env_str(
    "OMZIEN_OIDC_USERINFO_ENDPOINT", "", "Userinfo endpoint; empty: from discovery."
)
OIDC_OP_JWKS_ENDPOINT = env_str(
    "OMZIEN_OIDC_JWKS_ENDPOINT", "", "JWKS endpoint (the broker's signing keys); empty: from discovery."
)
OMZIEN_OIDC_END_SESSION_ENDPOINT = env_str(
    "OMZIEN_OIDC_END_SESSION_ENDPOINT",
    "",
    "End-session endpoint (logging out at the broker too); empty: from discovery.",
)
OMZIEN_OIDC_IDENTIFIER_CLAIM = env_str(
    "OMZIEN_OIDC_IDENTIFIER_CLAIM",
    "bsn",
    "Claim that identifies the resident (the BSN at a DigiD broker; `sub` where the broker gives a pairwise id). "
    "Omzien stores only its keyed hash.",
)
OMZIEN_OIDC_LOA_CLAIM = env_str(
    "OMZIEN_OIDC_LOA_CLAIM",
    "acr",
    "Claim holding the level of assurance (DigiD: a SAML authentication context class).",
)
OMZIEN_OIDC_LOA_MINIMUM = env_str(
    "OMZIEN_OIDC_LOA_MINIMUM",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "Lowest accepted level: DigiD Basis (…:PasswordProtectedTransport), Midden (…:MobileTwoFactorContract, the "
    "default: health-related data), Substantieel (…:Smartcard) or Hoog (…:SmartcardPKI); empty: not checked.",
)
OMZIEN_OIDC_SUBJECT_KEY = (
    env_secret(
        "OMZIEN_OIDC_SUBJECT_KEY",
        None,
        "Key of the HMAC-SHA256 by which a returning resident is recognised (never the BSN itself); at least 32 random "
        "characters, kept apart from the database. Changing it unlinks every DigiD login.",
    )
    or ""
)
if OMZIEN_OIDC_ISSUER and not OMZIEN_DEMO and OIDC_RP_CLIENT_SECRET == "omzien-demo":  # noqa: S105 - refuses it
    raise ImproperlyConfiguredError("OMZIEN_OIDC_CLIENT_SECRET must be set to the secret the broker issued.")
if OMZIEN_OIDC_ISSUER and len(OMZIEN_OIDC_SUBJECT_KEY) < 32:
    raise ImproperlyConfiguredError(
        "OMZIEN_OIDC_SUBJECT_KEY (at least 32 characters) must be set with OMZIEN_OIDC_ISSUER."
    )
# OpenID Connect's default client authentication (client_secret_basic); false: the secret in the form body.
OIDC_TOKEN_USE_BASIC_AUTH = env_bool(
    "OMZIEN_OIDC_TOKEN_BASIC_AUTH",
    True,
    "Send the client id and secret to the token endpoint as HTTP Basic (client_secret_basic, the standard's "
    "default); false: in the form body (client_secret_post), for brokers that ask for that.",
)
OIDC_TIMEOUT = env_int(
    "OMZIEN_OIDC_TIMEOUT_SECONDS", 10, "Seconds to wait for the broker's token, key and userinfo answers."
)
OMZIEN_OIDC_LINK_CODE_DAYS = env_int(
    "OMZIEN_OIDC_LINK_CODE_DAYS", 14, "Days a one-time link code from the neighbourhood team stays valid."
)
# mozilla-django-oidc, through Omzien's subclasses (omzien.accounts.oidc): the callback's URL name, the ID token kept
# for logging out at the broker, PKCE on top of state and nonce, and no account made from a login alone.
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_STORE_ID_TOKEN = True
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_REDIRECT_REQUIRE_HTTPS = False
# Always listed (it answers only the broker's callback and grants no permissions); off while no issuer is set.
AUTHENTICATION_BACKENDS.append("omzien.accounts.oidc.ResidentOidcBackend")
if OMZIEN_OIDC_ISSUER:
    # Logging out posts a form whose redirect ends at the broker's end-session page (CSP form-action covers redirects).
    _issuer = urlsplit(OMZIEN_OIDC_ISSUER)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(f"{_issuer.scheme}://{_issuer.netloc}")

group("Measurement")
OMZIEN_DJG11_SUBSCALE_LONELY_FROM = env_int(
    "OMZIEN_DJG11_SUBSCALE_LONELY_FROM", 3,
    "DJG-11: a subscale counts as lonely from this many lonely items (sources differ: VZinfo 3, RIVM 2016 wijk pages 2).",
)  # fmt: skip
OMZIEN_DJG11_MAX_MISSING = env_int(
    "OMZIEN_DJG11_MAX_MISSING", 2, "DJG-11: the total is valid with at most this many items unanswered."
)
OMZIEN_DJG11_MAX_MISSING_SUBSCALE = env_int(
    "OMZIEN_DJG11_MAX_MISSING_SUBSCALE",
    1,
    "DJG-11: a subscale is valid with at most this many of its items unanswered.",
)
OMZIEN_DJG6_MAX_MISSING = env_int(
    "OMZIEN_DJG6_MAX_MISSING",
    1,
    "DJG-6: the total is valid with at most this many items unanswered (subscales only when complete).",
)

group("Monitor")
OMZIEN_MONITOR_DIRECT_MIN_RESPONDENTS = env_int(
    "OMZIEN_MONITOR_DIRECT_MIN_RESPONDENTS", 30,
    "Loneliness monitor: areas with fewer respondents than this also get a Fay–Herriot model estimate.",
)  # fmt: skip

group("Activities")
OMZIEN_MAP_TILE_URL = env_str(
    "OMZIEN_MAP_TILE_URL", "",
    "Optional map tile server (e.g. https://{s}.tile.example.org/{z}/{x}/{y}.png); empty: the map shows only wijk and buurt outlines. Its host is added to the CSP.",
)  # fmt: skip
OMZIEN_MAP_TILE_ATTRIBUTION = env_str(
    "OMZIEN_MAP_TILE_ATTRIBUTION", "", "Attribution shown with the map tiles."
)
if OMZIEN_MAP_TILE_URL:
    _tiles = urlsplit(OMZIEN_MAP_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"
    )

group("Language and time")
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
# Short dates per language (omzien/conf/formats): "3 dec 2026" in Dutch, "3 Dec 2026" in English.
FORMAT_MODULE_PATH = ["omzien.conf.formats"]
LOCALE_PATHS = [PACKAGE_DIR / "conf" / "locale"]
TIME_ZONE = env_str(
    "TIME_ZONE", "Europe/Amsterdam", "Time zone for dates shown to people and for periodic work."
)
USE_I18N = True
USE_TZ = True

group("Static files")
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES_DIR = Path(
    env_str(
        "OMZIEN_NODE_MODULES",
        str(BASE_DIR / "node_modules"),
        "Folder where `npm ci` installed the front-end packages (NL Design System CSS, htmx, Leaflet).",
        shown_default="<project folder>/node_modules",
    )
)
# Only the built files of each npm package are published, under a stable prefix.
STATICFILES_DIRS = [
    ("vendor/utrecht-css", NODE_MODULES_DIR / "@utrecht/component-library-css/dist"),
    ("vendor/utrecht-tokens", NODE_MODULES_DIR / "@utrecht/design-tokens/dist"),
    ("vendor/noto-sans", NODE_MODULES_DIR / "@fontsource-variable/noto-sans"),
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org/dist"),
    ("vendor/leaflet", NODE_MODULES_DIR / "leaflet/dist"),
]
OMZIEN_STATIC_MANIFEST = env_bool(
    "OMZIEN_STATIC_MANIFEST",
    True,
    "Serve collected, hashed and compressed static files (run `omzien collectstatic` first). "
    "Off in tests and development, where files are served straight from their folders.",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if OMZIEN_STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env_str(
    "OMZIEN_MEDIA_ROOT",
    str(VAR_DIR / "media"),
    "Folder for files kept on the default storage; `omzien backup` copies it. Several machines must share it.",
    shown_default="<OMZIEN_VAR_DIR>/media",
)
FILE_UPLOAD_TEMP_DIR = env_optional(
    "OMZIEN_UPLOAD_TEMP_DIR",
    "Folder where an upload larger than 2.5 MB is received before Omzien reads it (empty: the system's temporary "
    "folder). When its disk is full the upload is refused with a clear page (HTTP 507) and nothing is saved.",
)
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "omzien.lib.uploads.TemporaryFileUploadHandler",  # removes a half-written file when the disk is full
]
WHITENOISE_USE_FINDERS = not OMZIEN_STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not OMZIEN_STATIC_MANIFEST

group("Background work")
TASKS = {
    "default": {
        "BACKEND": env_str(
            "OMZIEN_TASK_BACKEND",
            "django_tasks_db.DatabaseBackend",
            "Django tasks backend. The database backend needs `omzien db_worker` running; the test "
            "suite runs tasks immediately (`django_tasks.backends.immediate.ImmediateBackend`).",
        ),
        "QUEUES": ["default"],
    }
}
OMZIEN_REDIS_URL = env_str(
    "OMZIEN_REDIS_URL",
    "redis://127.0.0.1:6379/0",
    "Redis, for the RQ task backend (`OMZIEN_TASK_BACKEND=django_tasks_rq.RQBackend`, workers: `omzien "
    "rqworker default`) and the shared cache (`OMZIEN_CACHE=redis`); needs `uv sync --group redis`. Unused "
    "with the defaults (the database task backend, a local cache).",
)
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": OMZIEN_REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    # The worker must run jobs as django-tasks' own job class (it calls the Task): `omzien rqworker` uses this.
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
OMZIEN_TASK_STALL_MINUTES = env_int(
    "OMZIEN_TASK_STALL_MINUTES",
    30,
    "Minutes after which a task still marked running is taken to have lost its worker (killed, machine "
    "gone) and is queued again by `omzien tick`; keep it well above the longest task.",
)

group("Caches and sessions")
OMZIEN_CACHE = env_str(
    "OMZIEN_CACHE",
    "local",
    "Where Django's cache lives (search choices, postcode points; copies of what PostgreSQL holds): `local` (each "
    "process its own memory; entries live at most ten minutes, so machines may differ that long), `database` (a "
    "table every machine shares; run `omzien createcachetable` once) or `redis` (`OMZIEN_REDIS_URL`; needs "
    "`uv sync --group redis`). A Redis that is gone makes the cache empty, never a page fail.",
)
_CACHE_BACKENDS: dict[str, dict[str, Any]] = {
    # Room for the public pages each process keeps for a minute (omzien.lib.page_cache); Django's default is 300.
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}},
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "omzien_cache"},
    "redis": {"BACKEND": "omzien.lib.cache.FailOpenRedisCache", "LOCATION": OMZIEN_REDIS_URL},
}
if OMZIEN_CACHE not in _CACHE_BACKENDS:
    raise ImproperlyConfiguredError(
        f"OMZIEN_CACHE must be one of {', '.join(_CACHE_BACKENDS)}, not {OMZIEN_CACHE!r}."
    )
CACHES = {"default": _CACHE_BACKENDS[OMZIEN_CACHE]}
OMZIEN_SESSIONS = env_str(
    "OMZIEN_SESSIONS",
    "database",
    "Where sessions live: `database` (PostgreSQL; every machine shares them) or `cached_database` (written to "
    "PostgreSQL and kept in the cache too, so a request reads its session from Redis; with Redis gone they are "
    "read from PostgreSQL). Never only in a cache: a cache may drop entries, and people would be logged out.",
)
_SESSION_ENGINES = {
    "database": "django.contrib.sessions.backends.db",
    "cached_database": "django.contrib.sessions.backends.cached_db",
}
if OMZIEN_SESSIONS not in _SESSION_ENGINES:
    raise ImproperlyConfiguredError(
        f"OMZIEN_SESSIONS must be database or cached_database, not {OMZIEN_SESSIONS!r}."
    )
SESSION_ENGINE = _SESSION_ENGINES[OMZIEN_SESSIONS]

group("E-mail")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend",
    "How e-mail leaves Omzien. The demo prints mail on the console "
    "(`django.core.mail.backends.console.EmailBackend`).",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost", "SMTP server.")
EMAIL_PORT = env_int("EMAIL_PORT", 25, "SMTP port.")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "", "SMTP user name.")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "", "SMTP password.") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False, "Use STARTTLS for SMTP.")
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Omzien <noreply@omzien.localhost>", "Sender of Omzien's mail."
)

group("Backup and restore")
OMZIEN_BACKUP_RECIPIENTS = env_list(
    "OMZIEN_BACKUP_RECIPIENTS",
    [],
    "Public `age` keys (`age1…`, comma-separated) that `omzien backup` encrypts for; make them with "
    "`age-keygen` and keep the private key away from the database server (docs/deployment.md).",
)
OMZIEN_BACKUP_IDENTITY_FILE = env_optional(
    "OMZIEN_BACKUP_IDENTITY_FILE",
    "Private `age` key file that `omzien restore` and `omzien backup verify` decrypt with (or `--identity`).",
)
OMZIEN_ERASURE_JOURNAL = env_str(
    "OMZIEN_ERASURE_JOURNAL",
    str(VAR_DIR / "erasures.jsonl"),
    "Append-only file of erased residents' pseudonymous ids; `omzien restore` erases them again. Keep it "
    "where backups are kept, on storage every machine shares; empty: no journal.",
    shown_default="<OMZIEN_VAR_DIR>/erasures.jsonl",
)

group("Operations")
ADMINS_EMAIL = env_optional("OMZIEN_ADMINS_EMAIL", "Address that receives error reports (optional).")
ADMINS = [("Omzien beheer", ADMINS_EMAIL)] if ADMINS_EMAIL else []
LOG_LEVEL = env_str(
    "LOG_LEVEL", "INFO", "Level of the application log on standard error (DEBUG, INFO, WARNING)."
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "omzien.lib.logging.RequestIdFilter"}},
    "formatters": {
        # No personal data goes into logs; the request id ties a line to an audit entry instead.
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# SPDX-License-Identifier: EUPL-1.2
"""The demo's and the tests' DigiD stand-in: a real OpenID Connect provider (oidc-provider-mock) on loopback.

It signs real RS256 ID tokens, publishes its keys, checks the PKCE verifier and serves discovery and
end-session, so Omzien's login runs the same code as against the municipality's broker. Two changes around
it, as WSGI middleware: its pages' stylesheet from a CDN is left out (no request leaves the machine), and a
test may make it alter the ID token it hands out (``ProviderControl.tamper_token``), to prove a tampered
token is refused. The demo's residents are predefined users whose claims carry a BSN and the DigiD level.

Test-and-demo only: oidc-provider-mock is in the test dependency group, which ``scripts/install`` installs.
"""

from __future__ import annotations

import base64
import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# Synthetic BSNs that pass the eleven test (never issued: the 9999 range is for tests).
DEMO_BSN_LINKED = "999990019"
DEMO_BSN_NEW = "999990020"
DIGID_MIDDEN = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
DEMO_USERS = (
    {"sub": "demo-bewoner", "bsn": DEMO_BSN_LINKED, "acr": DIGID_MIDDEN},
    {"sub": "nieuwe-bewoner", "bsn": DEMO_BSN_NEW, "acr": DIGID_MIDDEN},
)

_CDN_STYLESHEET = re.compile(rb"<link\s+rel=\"stylesheet\"\s+href=\"https://[^\"]+\"\s*/?>", re.S)


@dataclass
class ProviderControl:
    """What a test changes in the running provider."""

    tamper_token: bool = False
    token_requests: list[str] = field(default_factory=list)


def _tampered(id_token: str) -> str:
    """The same token with another subject in its payload: the signature no longer matches."""
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["bsn"] = DEMO_BSN_NEW if claims.get("bsn") != DEMO_BSN_NEW else DEMO_BSN_LINKED
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def wrap(app: Any, control: ProviderControl) -> Callable[..., Iterable[bytes]]:
    """The provider's WSGI app with its CDN stylesheet removed and, on request, the ID token altered."""

    def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(app(environ, capture))
        headers = [(name, value) for name, value in captured["headers"] if name.lower() != "content-length"]
        content_type = dict((name.lower(), value) for name, value in headers).get("content-type", "")
        path = environ.get("PATH_INFO", "")
        if content_type.startswith("text/html"):
            body = _CDN_STYLESHEET.sub(b"", body)
        if path == "/oauth2/token" and content_type.startswith("application/json"):
            control.token_requests.append(path)
            if control.tamper_token:
                answer = json.loads(body)
                answer["id_token"] = _tampered(answer["id_token"])
                body = json.dumps(answer).encode()
        headers.append(("Content-Length", str(len(body))))
        start_response(captured["status"], headers)
        return [body]

    return middleware


def _app(users: Iterable[dict[str, Any]]) -> Any:
    # authlib refuses plain http unless told: the provider listens on loopback only.
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")
    import oidc_provider_mock

    predefined = [
        oidc_provider_mock.User(sub=user["sub"], claims={k: v for k, v in user.items() if k != "sub"})
        for user in users
    ]
    app = oidc_provider_mock.app(require_nonce=True, user_claims=predefined)
    # The library switches on Werkzeug's interactive debugger (a console that runs code); not here.
    app.debug = False
    app.wsgi_app = getattr(app.wsgi_app, "app", app.wsgi_app)
    return app


@contextmanager
def provider_running(
    port: int = 0, users: Iterable[dict[str, Any]] = DEMO_USERS
) -> Iterator[tuple[str, ProviderControl]]:
    """Run the provider on 127.0.0.1 in a thread; yield its issuer URL and its control."""
    import werkzeug.serving

    control = ProviderControl()
    server = werkzeug.serving.make_server("127.0.0.1", port, wrap(_app(users), control), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", control
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)


def serve_forever(port: int) -> None:
    """Run the demo provider in the foreground (``omzien oidc_demo_provider``)."""
    import werkzeug.serving

    werkzeug.serving.run_simple(
        "127.0.0.1", port, wrap(_app(DEMO_USERS), ProviderControl()), threaded=True, use_reloader=False
    )

# SPDX-License-Identifier: EUPL-1.2
"""Organisation keys for the partner API: ``Authorization: Bearer omz_…`` (issued in the admin)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from omzien.casework.services import token_for_key


class OrganisationTokenAuthentication(BaseAuthentication):
    """The request acts for the organisation whose active key it carries; there is no user."""

    keyword = b"bearer"

    def authenticate(self, request: Any) -> tuple[None, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the key as: Authorization: Bearer <key>.")
        token = token_for_key(parts[1].decode(errors="replace"))
        if token is None:
            raise AuthenticationFailed("Unknown or revoked key.")
        return None, token

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="omzien"'


class HasOrganisationToken(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return request.auth is not None


class OrganisationTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "omzien.casework.api.auth.OrganisationTokenAuthentication"
    name = "organisationKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organisation's key, issued, rotated and revoked by an Omzien administrator. Every use is logged.",
        }

# SPDX-License-Identifier: EUPL-1.2
"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Return the values the base layout needs on every page."""
    return {
        "omzien_demo": settings.OMZIEN_DEMO,
        "languages": settings.LANGUAGES,
        "request_id": getattr(request, "request_id", ""),
    }

# SPDX-License-Identifier: EUPL-1.2
"""Policy values templates show on many pages."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from omzien import policy


def helplines(request: HttpRequest) -> dict[str, object]:
    """Return the helplines (read only when a page shows them)."""
    return {"helplines": SimpleLazyObject(lambda: policy.get("helplines"))}

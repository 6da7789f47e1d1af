# SPDX-License-Identifier: EUPL-1.2
"""The hsds room's declaration: the open, read-only directory API (Open Referral HSDS 3.0)."""

from __future__ import annotations

from typing import Any

from omzien.lib.rooms import PUBLIC, Room, UrlRule

EVERYONE = frozenset({PUBLIC})


def _service_at_location(name: str, world: Any) -> dict[str, Any]:
    from omzien.hsds.documents import service_at_location_id

    return {"id": service_at_location_id(world.extra["activity"])}


def _taxonomy_id() -> str:
    from omzien.activities.models import Term
    from omzien.hsds.documents import taxonomy_id

    return taxonomy_id(Term.Vocabulary.INTEREST)


def _term_id() -> str:
    from omzien.activities.models import Term

    return str(Term.objects.order_by("pk").values_list("public_id", flat=True).first())


ROOM = Room(
    label="hsds",
    urls="api/hsds/",
    url_policy={
        "hsds:info": UrlRule(allowed=EVERYONE),
        "hsds:services": UrlRule(allowed=EVERYONE),
        "hsds:service": UrlRule(
            allowed=EVERYONE, sample_kwargs=lambda n, w: {"id": str(w.extra["activity"].public_id)}
        ),
        "hsds:service_at_locations": UrlRule(allowed=EVERYONE),
        "hsds:service_at_location": UrlRule(allowed=EVERYONE, sample_kwargs=_service_at_location),
        "hsds:organizations": UrlRule(allowed=EVERYONE),
        "hsds:organization": UrlRule(
            allowed=EVERYONE, sample_kwargs=lambda n, w: {"id": str(w.organisations["axion"].public_id)}
        ),
        "hsds:taxonomies": UrlRule(allowed=EVERYONE),
        "hsds:taxonomy": UrlRule(allowed=EVERYONE, sample_kwargs=lambda n, w: {"id": _taxonomy_id()}),
        "hsds:taxonomy_terms": UrlRule(allowed=EVERYONE),
        "hsds:taxonomy_term": UrlRule(allowed=EVERYONE, sample_kwargs=lambda n, w: {"id": _term_id()}),
        "hsds:profile": UrlRule(allowed=EVERYONE),
        "hsds:not_found": UrlRule(allowed=EVERYONE, ok_status=(404,), sample_kwargs=lambda n, w: {"rest": "nope"}),
        # The API's description (conf/urls.py mounts them).
        "api_schema": UrlRule(allowed=EVERYONE),
        "api_docs": UrlRule(allowed=EVERYONE),
    },
    demo_after=("activities",),
)

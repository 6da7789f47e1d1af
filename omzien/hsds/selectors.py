# SPDX-License-Identifier: EUPL-1.2
"""Reads for the HSDS API: filtered, stably ordered activity ids and one page of them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from omzien.activities.models import Activity, Term
from omzien.activities.selectors import km_between
from omzien.geo.selectors import postcode_get
from omzien.hsds.documents import TAXONOMIES, derived_id, services_queryset, taxonomy_id

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200


class QueryError(ValueError):
    """A parameter the API cannot use; the message names it."""


@dataclass
class Page:
    items: list[Any]
    total_items: int
    page_number: int
    per_page: int

    def wrapper(self, contents: list[dict[str, Any]]) -> dict[str, Any]:
        """The HSDS ``Page`` object around the contents."""
        total_pages = max(1, math.ceil(self.total_items / self.per_page))
        return {
            "total_items": self.total_items, "total_pages": total_pages, "page_number": self.page_number,
            "size": len(contents), "first_page": self.page_number == 1, "last_page": self.page_number >= total_pages,
            "empty": not contents, "contents": contents,
        }  # fmt: skip


def _int(params: Any, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise QueryError(f"'{name}' must be a whole number") from error
    if not low <= value <= high:
        raise QueryError(f"'{name}' must be between {low} and {high}")
    return value


def page_of(ids: list[int], params: Any) -> tuple[list[int], Page]:
    per_page = _int(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    number = _int(params, "page", 1, 1, 10**6)
    chosen = ids[(number - 1) * per_page : number * per_page]
    return chosen, Page(items=chosen, total_items=len(ids), page_number=number, per_page=per_page)


def filtered_page(params: Any, *, with_location: bool = False) -> tuple[list[int], Page]:
    """One page of matching activity ids: counted and sliced in SQL, or by distance with ``postcode``."""
    if params.get("postcode"):
        return page_of(filtered_activity_ids(params, with_location=with_location), params)
    activities = _filtered(params, with_location=with_location).order_by("pk")
    per_page = _int(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    number = _int(params, "page", 1, 1, 10**6)
    ids = list(activities.values_list("pk", flat=True)[(number - 1) * per_page : number * per_page])
    return ids, Page(items=ids, total_items=activities.count(), page_number=number, per_page=per_page)


def filtered_activity_ids(params: Any, *, with_location: bool = False) -> list[int]:
    """Activity ids matching the Open Referral UK filters, nearest first with ``postcode``, else by id.

    ``postcode`` + ``proximity`` (metres, default 5000), ``taxonomy_term_id`` (alias ``taxonomy_id``
    when it names a term, as Open Referral UK uses it), ``taxonomy_id`` (a whole taxonomy),
    ``organization_id`` and ``search`` (words in name, description or organisation).
    """
    activities = _filtered(params, with_location=with_location)
    if not params.get("postcode"):
        return list(activities.order_by("pk").values_list("pk", flat=True))
    place = postcode_get(params["postcode"])
    if place is None or place.lat is None or place.lon is None:
        raise QueryError("'postcode' is not a known postcode")
    metres = _int(params, "proximity", 5000, 1, 100_000)
    km = metres / 1000
    dlat, dlon = km / 111.2, km / (111.32 * math.cos(math.radians(place.lat)))
    rows = activities.filter(lat__range=(place.lat - dlat, place.lat + dlat),
                             lon__range=(place.lon - dlon, place.lon + dlon)).values_list("pk", "lat", "lon")  # fmt: skip
    near = [
        (km_between(place.lat, place.lon, lat, lon), pk)
        for pk, lat, lon in rows
        if lat is not None and lon is not None
    ]
    return [pk for distance, pk in sorted(near) if distance <= km]


def _filtered(params: Any, *, with_location: bool) -> QuerySet[Activity]:
    activities: QuerySet[Activity] = Activity.objects.all()
    if with_location:
        activities = activities.filter(location__isnull=False)
    term_id = params.get("taxonomy_term_id") or ""
    taxonomy = params.get("taxonomy_id") or ""
    by_taxonomy = {taxonomy_id(v): v for v in TAXONOMIES}
    if taxonomy and taxonomy not in by_taxonomy:
        term_id = term_id or taxonomy  # Open Referral UK passes a term's id as taxonomy_id
        taxonomy = ""
    if term_id:
        term = Term.objects.filter(public_id=_uuid(term_id, "taxonomy_term_id")).first()
        if term is None:
            return Activity.objects.none()
        through = (
            Activity.interests.through
            if term.vocabulary == Term.Vocabulary.INTEREST
            else Activity.target_groups.through
        )
        activities = activities.filter(Exists(through.objects.filter(activity_id=OuterRef("pk"), term=term)))
    if taxonomy:
        vocabulary = by_taxonomy[taxonomy]
        through = (
            Activity.interests.through
            if vocabulary == Term.Vocabulary.INTEREST
            else Activity.target_groups.through
        )
        activities = activities.filter(Exists(through.objects.filter(activity_id=OuterRef("pk"))))
    if params.get("organization_id"):
        activities = activities.filter(
            organisation__public_id=_uuid(params["organization_id"], "organization_id")
        )
    for word in (params.get("search") or "").split()[:6]:
        activities = activities.filter(Q(title__icontains=word) | Q(description__icontains=word)
                                       | Q(organisation__name__icontains=word))  # fmt: skip
    return activities


def _uuid(text: str, name: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(str(text)))
    except ValueError as error:
        raise QueryError(f"'{name}' must be a UUID") from error


def activities_in_order(ids: list[int], *, full: bool = True) -> list[Activity]:
    """The activities in the given order; ``full=False`` reads only what a list item shows."""
    queryset = services_queryset() if full else Activity.objects.select_related("organisation")
    by_pk = {a.pk: a for a in queryset.filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def activity_at_location(service_at_location_id: str) -> Activity | None:
    """The activity whose service-at-location id this is (the id is derived from two ids, so compare ids only)."""
    pairs = Activity.objects.filter(location__isnull=False).values_list(
        "pk", "public_id", "location__public_id"
    )
    pk = next((pk for pk, service, place in pairs if derived_id(f"{service}:{place}", "service_at_location")
               == service_at_location_id), None)  # fmt: skip
    return services_queryset().filter(pk=pk).first() if pk is not None else None

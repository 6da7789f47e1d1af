# SPDX-License-Identifier: EUPL-1.2
"""Reads for the HSDS API: the parameters each endpoint takes, filtered, stably ordered ids, pages.

Every endpoint names the query parameters it takes (those of the HSDS 3.0 OpenAPI document, plus
Open Referral UK's ``postcode`` and ``proximity`` on the service lists); anything else, and any
malformed value, is a ``QueryError`` naming the parameter (the API answers 400).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from omzien.accounts.models import Organisation
from omzien.activities.models import Activity, Term
from omzien.activities.selectors import directory_filter, nearest_first
from omzien.geo.selectors import postcode_get
from omzien.hsds.documents import TAXONOMIES, services_queryset, taxonomy_id

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
MAX_PROXIMITY = 100_000
MAX_SEARCH = 200
FORMATS = ("json", "ndjson")
TRUE, FALSE = ("true", "1"), ("false", "0")


class QueryError(ValueError):
    """A parameter the API cannot use; ``parameter`` names it, the message says why."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"'{parameter}' {message}")
        self.parameter = parameter


@dataclass(frozen=True)
class Param:
    """One query parameter: its kind (int, bool, uuid, text, datetime, format) and integer bounds."""

    kind: str
    low: int = 0
    high: int = 0
    description: str = ""


PAGE = {
    "page": Param("int", 1, MAX_PAGE, "Page number, from 1."),
    "per_page": Param("int", 1, MAX_PER_PAGE, f"Items per page (default {DEFAULT_PER_PAGE})."),
    "format": Param("format", description="json (pages, the default) or ndjson (every result, one per line, streamed)."),
}  # fmt: skip
SEARCH = {"search": Param("text", description="Words that must all occur (name, description, organisation).")}
SERVICE_FILTERS = {
    **SEARCH,
    "taxonomy_term_id": Param("uuid", description="Only services with this taxonomy term."),
    "taxonomy_id": Param("uuid", description="Only services with a term of this taxonomy (or, as Open Referral UK uses it, this term)."),
    "organization_id": Param("uuid", description="Only this organisation's services."),
    "modified_after": Param("datetime", description="Only services changed at or after this moment (ISO 8601; UTC when no offset is given)."),
    "postcode": Param("text", description="Dutch postcode (PC6 or PC4); results nearest first (Open Referral UK)."),
    "proximity": Param("int", 1, MAX_PROXIMITY, "With postcode: distance in metres (default 5000)."),
    "full": Param("bool", description="true: every item fully nested."),
}  # fmt: skip
SERVICES = {**PAGE, **SERVICE_FILTERS, "minimal": Param("bool", description="true: each service with only id, name, status and last_modified.")}  # fmt: skip
SERVICE_AT_LOCATIONS = {**PAGE, **SERVICE_FILTERS}
ORGANIZATIONS = {
    **PAGE, **SEARCH,
    "full": Param("bool", description="true: every organisation fully nested (phones, locations, services)."),
    "full_service": Param("bool", description="true: with its services fully nested."),
}  # fmt: skip
ORGANIZATION = {"full_service": ORGANIZATIONS["full_service"]}
TAXONOMIES_PARAMS = {**PAGE, **SEARCH}
TAXONOMY_TERMS = {
    **PAGE, "search": Param("text", description="Words in the term's name, English name or code."),
    "taxonomy_id": Param("uuid", description="Only the terms of this taxonomy."),
    "top_only": Param("bool", description="true: only terms without a parent (Omzien's terms are all top-level)."),
    "parent_id": Param("uuid", description="Only the children of this term (Omzien's taxonomies are flat)."),
}  # fmt: skip
NONE: dict[str, Param] = {}


def query(params: Any, allowed: dict[str, Param]) -> dict[str, Any]:
    """The parameters, parsed and checked; an unknown, repeated or malformed one is a QueryError."""
    parsed: dict[str, Any] = {}
    for name in params:
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise QueryError(name, f"is not a parameter of this endpoint (it takes: {known})")
        values = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
        if len(values) > 1:
            raise QueryError(name, "is given more than once")
        raw = values[0]
        if "\x00" in raw:
            raise QueryError(name, "contains a NUL character")
        if raw == "" and allowed[name].kind == "text":
            continue  # an empty search is no search
        if raw == "":
            raise QueryError(name, "is empty")
        parsed[name] = _parse(name, raw, allowed[name])
    return parsed


def _parse(name: str, raw: str, param: Param) -> Any:
    if param.kind == "int":
        try:
            value = int(raw)
        except ValueError as error:
            raise QueryError(name, "must be a whole number") from error
        if not param.low <= value <= param.high:
            raise QueryError(name, f"must be between {param.low} and {param.high}")
        return value
    if param.kind == "bool":
        if raw.lower() in TRUE:
            return True
        if raw.lower() in FALSE:
            return False
        raise QueryError(name, "must be true or false")
    if param.kind == "uuid":
        try:
            return uuid.UUID(raw)
        except ValueError as error:
            raise QueryError(name, "must be a UUID") from error
    if param.kind == "datetime":
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError as error:
            raise QueryError(name, "must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z") from error
        return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
    if param.kind == "format":
        if raw not in FORMATS:
            raise QueryError(name, "must be json or ndjson")
        return raw
    if len(raw) > MAX_SEARCH:
        raise QueryError(name, f"is longer than {MAX_SEARCH} characters")
    return raw


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


def page_of(ids: list[Any], q: dict[str, Any]) -> tuple[list[Any], Page]:
    per_page, number = q.get("per_page", DEFAULT_PER_PAGE), q.get("page", 1)
    chosen = ids[(number - 1) * per_page : number * per_page]
    return chosen, Page(items=chosen, total_items=len(ids), page_number=number, per_page=per_page)


def filtered_page(q: dict[str, Any], *, with_location: bool = False) -> tuple[list[int], Page]:
    """One page of matching activity ids: counted and sliced in SQL, or by distance with ``postcode``."""
    if q.get("postcode"):
        return page_of(filtered_activity_ids(q, with_location=with_location), q)
    activities = _filtered(q, with_location=with_location).order_by("pk")
    per_page, number = q.get("per_page", DEFAULT_PER_PAGE), q.get("page", 1)
    ids = list(activities.values_list("pk", flat=True)[(number - 1) * per_page : number * per_page])
    return ids, Page(items=ids, total_items=activities.count(), page_number=number, per_page=per_page)


def filtered_activity_ids(q: dict[str, Any], *, with_location: bool = False) -> list[int]:
    """Activity ids matching the filters, nearest first with ``postcode``, else by id.

    ``postcode`` + ``proximity`` (metres, default 5000), ``taxonomy_term_id`` (alias ``taxonomy_id``
    when it names a term, as Open Referral UK uses it), ``taxonomy_id`` (a whole taxonomy),
    ``organization_id``, ``modified_after`` and ``search`` (words in name, description or organisation).
    """
    activities = _filtered(q, with_location=with_location)
    if not q.get("postcode"):
        return list(activities.order_by("pk").values_list("pk", flat=True))
    place = postcode_get(q["postcode"])
    if place is None or place.lat is None or place.lon is None:
        raise QueryError("postcode", "is not a known postcode")
    km = q.get("proximity", 5000) / 1000
    point = (place.lat, place.lon)
    rows = directory_filter(activities, near=point, radius_km=km).values_list("pk", "lat", "lon")
    return [row[0] for _km, row in nearest_first(rows, point, km, place=lambda r: (r[1], r[2]), tie=lambda r: r[0])]


def _with_term(activities: QuerySet[Activity], term: Term) -> QuerySet[Activity]:
    through = (
        Activity.interests.through if term.vocabulary == Term.Vocabulary.INTEREST else Activity.target_groups.through
    )
    return activities.filter(Exists(through.objects.filter(activity_id=OuterRef("pk"), term=term)))


def _filtered(q: dict[str, Any], *, with_location: bool) -> QuerySet[Activity]:
    activities: QuerySet[Activity] = Activity.objects.all()
    if with_location:
        activities = activities.filter(location__isnull=False)
    by_taxonomy = {taxonomy_id(v): v for v in TAXONOMIES}
    term_ids = [q["taxonomy_term_id"]] if "taxonomy_term_id" in q else []
    if "taxonomy_id" in q:
        vocabulary = by_taxonomy.get(str(q["taxonomy_id"]))
        if vocabulary is None:
            term_ids.append(q["taxonomy_id"])  # Open Referral UK passes a term's id as taxonomy_id
        else:
            through = (
                Activity.interests.through if vocabulary == Term.Vocabulary.INTEREST else Activity.target_groups.through
            )
            activities = activities.filter(Exists(through.objects.filter(activity_id=OuterRef("pk"))))
    for term_id in term_ids:
        term = Term.objects.filter(public_id=term_id).first()
        if term is None:
            return Activity.objects.none()
        activities = _with_term(activities, term)
    if "organization_id" in q:
        activities = activities.filter(organisation__public_id=q["organization_id"])
    if "modified_after" in q:
        activities = activities.filter(updated_at__gte=q["modified_after"])
    return directory_filter(activities, text=q.get("search") or "")


def activities_in_order(ids: list[int], *, full: bool = True) -> list[Activity]:
    """The activities in the given order; ``full=False`` reads only what a list item shows."""
    queryset = services_queryset() if full else Activity.objects.select_related("organisation", "location__organisation")
    by_pk = {a.pk: a for a in queryset.filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def chunks(ids: list[Any], size: int = MAX_PER_PAGE) -> Iterator[list[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def activity_at_location(key: uuid.UUID) -> Activity | None:
    """The activity whose service-at-location id this is: one look-up in the key index.

    The id is derived from the service's and the location's ids (stable across exports), so it
    cannot be computed backwards; the index of derived ids is brought up to date (only the missing
    pairs, an anti-join) when a key is not found.
    """
    from omzien.hsds.models import ServiceAtLocationKey
    from omzien.hsds.services import service_at_location_keys_add

    row = ServiceAtLocationKey.objects.filter(key=key).values_list("activity_id", "location_id").first()
    if row is None and service_at_location_keys_add():
        row = ServiceAtLocationKey.objects.filter(key=key).values_list("activity_id", "location_id").first()
    if row is None:
        return None
    return services_queryset().filter(pk=row[0], location_id=row[1]).first()


def organisations(q: dict[str, Any]) -> QuerySet[Organisation]:
    """Organisations with services (the directory's providers), by id; ``search`` in name or description."""
    found = Organisation.objects.filter(Exists(Activity.objects.filter(organisation=OuterRef("pk"))))
    for word in (q.get("search") or "").split()[:6]:
        found = found.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return found.order_by("pk")


def taxonomies(q: dict[str, Any]) -> list[str]:
    """The vocabularies whose name or description has every word of ``search``."""
    words = (q.get("search") or "").lower().split()
    return [v for v, (name, text) in TAXONOMIES.items() if all(w in f"{name} {text}".lower() for w in words)]


def terms(q: dict[str, Any]) -> QuerySet[Term]:
    found = Term.objects.order_by("vocabulary", "code")
    if "taxonomy_id" in q:
        vocabulary = {taxonomy_id(v): v for v in TAXONOMIES}.get(str(q["taxonomy_id"]))
        found = found.filter(vocabulary=vocabulary) if vocabulary else found.none()
    if "parent_id" in q:
        found = found.none()  # Omzien's taxonomies are flat: no term has a parent
    for word in (q.get("search") or "").split()[:6]:
        found = found.filter(Q(name__icontains=word) | Q(name_en__icontains=word) | Q(code__icontains=word))
    return found

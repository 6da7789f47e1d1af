# SPDX-License-Identifier: EUPL-1.2
"""Omzien's directory as Open Referral HSDS 3.0 documents (plain dicts), read-only.

Ids: organisations, locations, activities (services), schedules and taxonomy terms keep their own
UUIDs; objects HSDS has and Omzien does not store separately (phones, languages, addresses, cost
options, the link between a service and its location, capacities, attributes) get UUIDv5 ids
derived from their owner's id, so they are stable across exports and imports. Live capacity is the
one field beyond 3.0: ``capacities`` (3.1's ``service_capacity``) on a service.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from omzien.accounts.models import Organisation
from omzien.activities.models import Activity, Location, Schedule, Term
from omzien.activities.schedules import RRULE_DAY

NAMESPACE = uuid.UUID("6f1c1a52-8d7e-4c1a-9a4f-0e5f0f3d9a10")  # Omzien's HSDS namespace; never change it
TAXONOMIES = {
    Term.Vocabulary.INTEREST: ("Omzien interesses", "Interesses van activiteiten (Omzien)."),
    Term.Vocabulary.TARGET_GROUP: ("Omzien doelgroepen", "Voor wie een activiteit bedoeld is (Omzien)."),
}
PLACES_UNIT = {"id": str(uuid.uuid5(NAMESPACE, "unit:places")), "name": "places", "scheme": "omzien"}


def derived_id(owner: Any, kind: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{owner}"))


def taxonomy_id(vocabulary: str) -> str:
    return derived_id(vocabulary, "taxonomy")


def _clean(document: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty optional values: HSDS prefers an absent field to an empty string."""
    return {key: value for key, value in document.items() if value not in ("", None)}


def taxonomy_document(vocabulary: str) -> dict[str, Any]:
    name, description = TAXONOMIES[vocabulary]  # type: ignore[index]
    return {"id": taxonomy_id(vocabulary), "name": name, "description": description, "version": "1"}


def taxonomy_term_document(term: Term) -> dict[str, Any]:
    return _clean({
        "id": str(term.public_id), "code": term.code, "name": term.name,
        "description": term.name_en or term.name, "taxonomy": TAXONOMIES[term.vocabulary][0],  # type: ignore[index]
        "taxonomy_id": taxonomy_id(term.vocabulary), "language": "nl",
    })  # fmt: skip


def _phones(owner_id: Any, number: str, **link: str) -> list[dict[str, Any]]:
    return [{"id": derived_id(owner_id, "phone"), "number": number, **link}] if number else []


def organization_document(
    organisation: Organisation, *, full: bool = False, services: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """An organisation; ``full`` nests phones and locations, ``services`` (the API's single view) its services."""
    document = _clean({
        "id": str(organisation.public_id), "name": organisation.name, "email": organisation.email,
        "website": organisation.website,
    })  # fmt: skip
    document["description"] = organisation.description or organisation.name
    if full:
        document["phones"] = _phones(
            organisation.public_id, organisation.phone, organization_id=str(organisation.public_id)
        )
        document["locations"] = [location_document(loc) for loc in organisation.locations.all()]
    if services is not None:
        document["services"] = services
    return document


def location_document(location: Location, *, full: bool = True) -> dict[str, Any]:
    location_id = str(location.public_id)
    document = _clean({
        "id": location_id, "location_type": "physical", "organization_id": str(location.organisation.public_id),
        "name": location.name, "latitude": location.lat, "longitude": location.lon,
    })  # fmt: skip
    if not full:
        return document
    if location.street or location.postcode:
        document["addresses"] = [{
            "id": derived_id(location_id, "address"), "location_id": location_id, "address_1": location.street or location.name,
            "city": location.city or "", "state_province": "Utrecht", "postal_code": location.postcode, "country": "NL",
            "address_type": "physical",
        }]  # fmt: skip
    features = [text for flag, text in ((location.wheelchair_accessible, "Rolstoeltoegankelijk"),
                                        (location.hearing_loop, "Ringleiding")) if flag]  # fmt: skip
    if features:
        document["accessibility"] = [{"id": derived_id(location_id, "accessibility"), "location_id": location_id,
                                      "description": ", ".join(features)}]  # fmt: skip
    return document


def utc_offset_hours() -> float:
    """The installation's offset from UTC today, in hours (Europe/Amsterdam: 1 in winter, 2 in summer)."""
    offset = timezone.localtime().utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else 0.0
    return int(hours) if hours.is_integer() else hours


def clock(moment: time) -> str:
    """A wall-clock time as the spec's ``time``: HH:MM:SS with today's UTC offset (sessions keep local time)."""
    local = timezone.localtime()
    aware = datetime.combine(local.date(), moment, tzinfo=local.tzinfo)
    return aware.isoformat(timespec="seconds")[11:]  # "10:00:00+01:00" (a time alone has no offset in Python)


def schedule_document(schedule: Schedule, service_id: str) -> dict[str, Any]:
    return {
        "id": str(schedule.public_id), "service_id": service_id, "freq": "WEEKLY", "interval": schedule.interval_weeks,
        "byday": RRULE_DAY[schedule.weekday], "wkst": "MO", "opens_at": clock(schedule.starts_at),
        "closes_at": clock(schedule.ends_at), "timezone": utc_offset_hours(), "description": str(schedule),
    }  # fmt: skip


def _capacity(activity: Activity, service_id: str) -> dict[str, Any]:
    return {
        "id": derived_id(service_id, "capacity"), "service_id": service_id, "unit": PLACES_UNIT,
        "available": activity.places_free, "maximum": activity.capacity,
        "updated": timezone.localtime(activity.updated_at).isoformat(timespec="milliseconds"),
    }  # fmt: skip


def last_modified(activity: Activity) -> str:
    return timezone.localtime(activity.updated_at).isoformat(timespec="milliseconds")


def minimal_service_document(activity: Activity) -> dict[str, Any]:
    """``minimal``: the id and when it last changed (with name and status, which service_list.json requires)."""
    return {"id": str(activity.public_id), "name": activity.title,
            "status": "active" if activity.is_active else "inactive", "last_modified": last_modified(activity)}  # fmt: skip


def service_document(activity: Activity, *, full: bool = True) -> dict[str, Any]:
    """One activity as an HSDS service; ``full`` adds the nested lists (the list endpoint leaves them out)."""
    service_id = str(activity.public_id)
    document = _clean({
        "id": service_id, "organization_id": str(activity.organisation.public_id), "name": activity.title,
        "description": activity.description, "email": activity.contact_email,
        "status": "active" if activity.is_active else "inactive", "fees_description": activity.cost_note,
        "assured_date": timezone.localtime(activity.last_confirmed_at).date().isoformat(),
        "last_modified": last_modified(activity),
        "application_process": "Aanmelden via Omzien" if activity.access == Activity.Access.WALK_IN
        else "Met een indicatie (maatwerkvoorziening dagbesteding)",
    })  # fmt: skip
    document["organization"] = organization_document(activity.organisation)
    document["capacities"] = [_capacity(activity, service_id)]
    if not full:
        return document
    document["phones"] = _phones(service_id, activity.contact_phone, service_id=service_id)
    document["languages"] = [
        {"id": derived_id(f"{service_id}:{code}", "language"), "service_id": service_id, "code": code}
        for code in activity.languages
    ]
    document["cost_options"] = [{
        "id": derived_id(service_id, "cost"), "service_id": service_id, "currency": "EUR",
        "amount": float(activity.cost_eur), "option": "per keer",
    }]  # fmt: skip
    document["schedules"] = [schedule_document(s, service_id) for s in activity.schedules.all()]
    document["service_at_locations"] = (
        [service_at_location_document(activity, with_service=False)] if activity.location is not None else []
    )
    document["attributes"] = [
        {"id": derived_id(f"{service_id}:{term.public_id}", "attribute"), "link_id": service_id, "link_entity": "service",
         "link_type": term.vocabulary, "taxonomy_term_id": str(term.public_id), "taxonomy_term": taxonomy_term_document(term)}
        for term in [*activity.interests.all(), *activity.target_groups.all()]
    ]  # fmt: skip
    return document


def service_at_location_document(
    activity: Activity, *, with_service: bool = True, full: bool = True
) -> dict[str, Any]:
    """The link between a service and its location.

    Nested in a service (``with_service=False``): the link and its location. As a list item
    (``full=False``, service_at_location_list.json): one-to-one fields, the location's and the
    service's. Full (the single view, ``full=true``): the schedules, the whole location and the
    whole service.
    """
    assert activity.location is not None
    service_id = str(activity.public_id)
    document: dict[str, Any] = {
        "id": service_at_location_id(activity),
        "service_id": service_id, "location_id": str(activity.location.public_id),
        "location": location_document(activity.location, full=full or not with_service),
    }  # fmt: skip
    if not with_service:
        return document
    if not full:
        document["service"] = service_document(activity, full=False)
        return document
    document["schedules"] = [schedule_document(s, service_id) for s in activity.schedules.all()]
    nested = service_document(activity)
    del nested["service_at_locations"]  # this very link; the compiled schema leaves it out too
    document["service"] = nested
    return document


def services_queryset() -> QuerySet[Activity]:
    """Every activity with what its document needs, in a stable order (for stable pages)."""
    return (
        Activity.objects.select_related("organisation", "location__organisation")
        .prefetch_related(
            Prefetch("schedules", queryset=Schedule.objects.order_by("weekday", "starts_at", "pk")),
            "interests",
            "target_groups",
        )  # fmt: skip
        .order_by("pk")
    )


def service_at_location_id(activity: Activity) -> str | None:
    return (
        derived_id(f"{activity.public_id}:{activity.location.public_id}", "service_at_location")
        if activity.location is not None else None
    )  # fmt: skip


def document_for_export(activities: Iterable[Activity]) -> dict[str, Any]:
    """The whole directory as one HSDS JSON document (organisations with locations, services, taxonomies)."""
    activities = list(activities)
    organisations = {a.organisation_id: a.organisation for a in activities}
    return {
        "hsds_version": "3.0",
        "organizations": [
            organization_document(o, full=True) for o in sorted(organisations.values(), key=lambda o: o.pk)
        ],
        "services": [service_document(a) for a in activities],
        "taxonomies": [taxonomy_document(v) for v in TAXONOMIES],
        "taxonomy_terms": [taxonomy_term_document(t) for t in Term.objects.order_by("vocabulary", "code")],
    }

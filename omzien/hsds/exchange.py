# SPDX-License-Identifier: EUPL-1.2
"""Export the directory as one HSDS 3.0 JSON document, and import such a document.

Imported organisations, locations, services and schedules become ordinary Omzien activities
(searchable, registrable), keeping their ids, so export → import → export gives the same document.
The import checks every record first and then saves all or nothing; the report names each record it
could not take and why. Re-importing updates what it created before (matched by id).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from omzien.accounts.models import Organisation
from omzien.activities.models import Activity, Location, Schedule, Term
from omzien.activities.schedules import RRULE_DAY
from omzien.activities.services import activities_reindex
from omzien.geo.selectors import neighbourhood_for_postcode, normalize_postcode
from omzien.hsds.documents import TAXONOMIES, document_for_export, services_queryset, taxonomy_id


def directory_export() -> dict[str, Any]:
    return document_for_export(services_queryset())


@dataclass
class ImportReport:
    organisations: int = 0
    locations: int = 0
    services: int = 0
    problems: list[str] = field(default_factory=list)


def _first(items: Any) -> dict[str, Any]:
    """The first object of an optional HSDS list, or an empty one."""
    return items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _time(text: Any) -> time | None:
    try:
        hours, minutes = str(text)[:5].split(":")
        return time(int(hours), int(minutes))
    except (ValueError, TypeError):
        return None


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def directory_import(document: Any) -> ImportReport:
    """Check the whole document, then save it all or nothing."""
    report = ImportReport()
    problems = report.problems
    if not isinstance(document, dict) or not isinstance(document.get("services"), list):
        problems.append("the document is not an HSDS export: it has no 'services' list")
        return report
    for key in ("organizations", "taxonomy_terms", "services"):
        records = document.get(key) or []
        if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
            problems.append(f"'{key}' must be a list of objects")
    if problems:
        return report
    vocabularies = {taxonomy_id(v): v for v in TAXONOMIES}
    terms: dict[uuid.UUID, dict[str, Any]] = {}
    for index, term in enumerate(document.get("taxonomy_terms") or []):
        term_id = _uuid(term.get("id"))
        vocabulary = vocabularies.get(term.get("taxonomy_id"))
        if term_id is None or vocabulary is None or not term.get("code") or not term.get("name"):
            problems.append(
                f"taxonomy_terms[{index}]: needs a UUID 'id', 'code', 'name' and a known 'taxonomy_id'"
            )
            continue
        terms[term_id] = {"vocabulary": vocabulary, "code": term["code"], "name": term["name"],
                          "name_en": term.get("description", "")}  # fmt: skip
    organisations: dict[uuid.UUID, dict[str, Any]] = {}
    locations: dict[uuid.UUID, dict[str, Any]] = {}

    def location_record(data: dict[str, Any], where: str) -> None:
        location_id, owner = _uuid(data.get("id")), _uuid(data.get("organization_id"))
        if location_id is None or owner is None:
            problems.append(f"{where}: a location needs a UUID 'id' and 'organization_id'")
            return
        address = (data.get("addresses") or [{}])[0]
        features = " ".join(a.get("description", "") for a in data.get("accessibility") or []).lower()
        locations[location_id] = {
            "organisation": owner, "name": data.get("name") or address.get("address_1") or "—",
            "street": address.get("address_1", ""), "postcode": normalize_postcode(address.get("postal_code", "")) or "",
            "city": address.get("city", ""), "lat": data.get("latitude"), "lon": data.get("longitude"),
            "wheelchair_accessible": "rolstoel" in features or "wheelchair" in features,
            "hearing_loop": "ringleiding" in features or "hearing loop" in features,
        }  # fmt: skip

    for index, organisation in enumerate(document.get("organizations") or []):
        organisation_id = _uuid(organisation.get("id"))
        if organisation_id is None or not organisation.get("name"):
            problems.append(f"organizations[{index}]: needs a UUID 'id' and a 'name'")
            continue
        organisations[organisation_id] = organisation
        for place_index, location in enumerate(organisation.get("locations") or []):
            if isinstance(location, dict):
                location_record(location, f"organizations[{index}].locations[{place_index}]")
            else:
                problems.append(f"organizations[{index}].locations[{place_index}]: not an object")
    services: list[dict[str, Any]] = []
    for index, service in enumerate(document["services"]):
        where = f"services[{index}] ({service.get('name', '?')})"
        service_id, owner = _uuid(service.get("id")), _uuid(service.get("organization_id"))
        if service_id is None or not service.get("name") or owner is None:
            problems.append(f"{where}: needs a UUID 'id', a 'name' and an 'organization_id'")
            continue
        if owner not in organisations and not Organisation.objects.filter(public_id=owner).exists():
            problems.append(f"{where}: organization {owner} is neither in the document nor known here")
        capacity = _first(service.get("capacities")).get("maximum", 0)
        if not isinstance(capacity, int) or capacity < 0:
            problems.append(
                f"{where}: 'capacities[0].maximum' must be a whole number of places, not {capacity!r}"
            )
            capacity = 0
        cost = Decimal(0)
        try:
            cost = Decimal(str(_first(service.get("cost_options")).get("amount", 0)))
        except InvalidOperation:
            problems.append(f"{where}: 'cost_options[0].amount' is not a number")
        slots = []
        for slot_index, schedule in enumerate(service.get("schedules") or []):
            if not isinstance(schedule, dict):
                problems.append(f"{where}: schedules[{slot_index}] is not an object")
                continue
            day, start, end = (
                schedule.get("byday"),
                _time(schedule.get("opens_at")),
                _time(schedule.get("closes_at")),
            )
            schedule_id = _uuid(schedule.get("id"))
            if (
                schedule.get("freq", "WEEKLY") != "WEEKLY"
                or day not in RRULE_DAY
                or not start
                or not end
                or end <= start
                or schedule_id is None
            ):
                problems.append(f"{where}: schedules[{slot_index}] is not a weekly session Omzien can take "
                                f"(needs freq WEEKLY, one byday, opens_at before closes_at, a UUID id)")  # fmt: skip
                continue
            slots.append((schedule_id, RRULE_DAY.index(day), start, end, int(schedule.get("interval") or 1)))
        term_ids = [
            _uuid(a.get("taxonomy_term_id")) for a in service.get("attributes") or [] if isinstance(a, dict)
        ]
        unknown = [
            str(t)
            for t in term_ids
            if t is not None and t not in terms and not Term.objects.filter(public_id=t).exists()
        ]
        if unknown:
            problems.append(f"{where}: unknown taxonomy term(s) {', '.join(unknown)}")
        located = _first(service.get("service_at_locations")) or None
        if located and isinstance(located.get("location"), dict):
            location_record(located["location"], f"{where}.service_at_locations[0].location")
        assured = _when(service.get("assured_date")) or timezone.now()
        services.append({
            "id": service_id, "organisation": owner, "title": service["name"], "description": service.get("description", ""),
            "contact_email": service.get("email", ""), "is_active": service.get("status", "active") == "active",
            "cost_note": service.get("fees_description", ""), "cost_eur": cost, "capacity": capacity,
            "access": Activity.Access.INDICATION if "indicatie" in service.get("application_process", "").lower() else Activity.Access.WALK_IN,
            "contact_phone": _first(service.get("phones")).get("number", ""),
            "languages": [lang["code"] for lang in service.get("languages") or [] if isinstance(lang, dict) and lang.get("code")],
            "location": _uuid(located.get("location_id")) if located else None, "slots": slots,
            "terms": [t for t in term_ids if t is not None],
            "last_confirmed_at": timezone.make_aware(assured) if timezone.is_naive(assured) else assured,
            "updated_at": _when(service.get("last_modified")),
        })  # fmt: skip
    if problems:
        return report
    with transaction.atomic():
        _save(report, terms, organisations, locations, services)
    return report


def _save(report: ImportReport, terms: dict[uuid.UUID, dict[str, Any]], organisations: dict[uuid.UUID, dict[str, Any]],
          locations: dict[uuid.UUID, dict[str, Any]], services: list[dict[str, Any]]) -> None:  # fmt: skip
    for term_id, values in terms.items():
        if not Term.objects.filter(public_id=term_id).exists():
            Term.objects.update_or_create(vocabulary=values["vocabulary"], code=values["code"],
                                          defaults={"name": values["name"], "name_en": values["name_en"], "public_id": term_id})  # fmt: skip
    by_id: dict[uuid.UUID, Organisation] = {}
    for organisation_id, data in organisations.items():
        organisation, _created = Organisation.objects.update_or_create(
            public_id=organisation_id,
            defaults={"name": data["name"], "description": data.get("description", ""), "email": data.get("email", ""),
                      "website": data.get("website", ""), "phone": _first(data.get("phones")).get("number", "")},
            create_defaults={"name": data["name"], "kind": Organisation.Kind.ACTIVITY_PROVIDER,
                             "description": data.get("description", ""), "email": data.get("email", ""),
                             "website": data.get("website", ""), "phone": _first(data.get("phones")).get("number", "")},
        )  # fmt: skip
        by_id[organisation_id] = organisation
        report.organisations += 1

    def organisation_of(public_id: uuid.UUID) -> Organisation:
        return by_id.get(public_id) or Organisation.objects.get(public_id=public_id)

    places: dict[uuid.UUID, Location] = {}
    for location_id, data in locations.items():
        values = {**data, "organisation": organisation_of(data["organisation"]),
                  "neighbourhood": neighbourhood_for_postcode(data["postcode"]) if data["postcode"] else None}  # fmt: skip
        places[location_id], _created = Location.objects.update_or_create(
            public_id=location_id, defaults=values
        )
        report.locations += 1
    touched = []
    for data in services:
        activity = Activity.objects.filter(public_id=data["id"]).first() or Activity(public_id=data["id"])
        for name in ("title", "description", "contact_email", "is_active", "cost_note", "cost_eur", "capacity", "access",
                     "contact_phone", "languages", "last_confirmed_at"):  # fmt: skip
            setattr(activity, name, data[name])
        activity.capacity = max(activity.capacity, activity.places_taken)
        activity.organisation = organisation_of(data["organisation"])
        activity.location = places.get(data["location"]) if data["location"] else None
        activity.save()
        activity.schedules.all().delete()
        Schedule.objects.bulk_create(
            Schedule(
                public_id=sid,
                activity=activity,
                weekday=day,
                starts_at=start,
                ends_at=end,
                interval_weeks=weeks,
            )
            for sid, day, start, end, weeks in data["slots"]
        )
        chosen = list(Term.objects.filter(public_id__in=data["terms"]))
        activity.interests.set([t for t in chosen if t.vocabulary == Term.Vocabulary.INTEREST])
        activity.target_groups.set([t for t in chosen if t.vocabulary == Term.Vocabulary.TARGET_GROUP])
        if (
            data["updated_at"] is not None
        ):  # keep the source's modification time (auto_now would overwrite it)
            Activity.objects.filter(pk=activity.pk).update(updated_at=data["updated_at"])
        touched.append(activity.pk)
        report.services += 1
    activities_reindex(touched)

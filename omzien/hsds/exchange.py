# SPDX-License-Identifier: EUPL-1.2
"""Export the directory as one HSDS 3.0 JSON document, and import such a document.

The import never crashes and never guesses. Before anything is written it checks every record
against the specification's schemas shipped in the package (strictly, with Omzien's
``capacities``), against what Omzien can keep (field lengths, one location, phone and cost option
per service, weekly sessions, its two taxonomies) and across the document (duplicate ids, references
to objects that exist nowhere, copies of one object that disagree, names or codes already taken
here). Every problem is a line naming the record, its id and the path in it; one problem and nothing
is saved. Fields Omzien has no place for are listed as notes. A clean document is saved all at once
by the activities services (``directory_import_save``); services whose information did not change
keep their ``last_modified``.
"""

from __future__ import annotations

import math
import re
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from omzien.accounts.models import Organisation
from omzien.activities.models import Activity, Location, Schedule, Term
from omzien.activities.schedules import RRULE_DAY, Slot
from omzien.activities.selectors import term_public_id as term_id
from omzien.activities.services import (
    DirectoryImport,
    ImportedActivity,
    ImportedLocation,
    ImportedOrganisation,
    ImportedTerm,
    RegistrationError,
    directory_import_save,
)
from omzien.geo.selectors import normalize_postcode
from omzien.hsds import spec
from omzien.hsds.documents import TAXONOMIES, document_for_export, services_queryset, taxonomy_id

# Omzien's field limits (the database columns), and one for descriptions (a text column has none).
LIMITS = {"name": 200, "title": 200, "street": 200, "city": 100, "cost_note": 200, "phone": 40, "email": 254,
          "website": 200, "description": 20_000, "term_name": 100, "code": 40}  # fmt: skip
MAX_CAPACITY = 100_000
MAX_COST = Decimal("99999.99")
WALK_IN_TEXT, INDICATION_TEXT = "Aanmelden via Omzien", "Met een indicatie (maatwerkvoorziening dagbesteding)"
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
CLOCK = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")
AMSTERDAM_OFFSETS = ("+01:00", "+02:00")  # either is Dutch wall-clock time (winter, summer)
# Fields of the records that Omzien keeps (or derives); anything else is a note, never a silent loss.
KEPT = {
    "service": {"id", "organization_id", "name", "description", "email", "status", "fees_description", "assured_date",
                "last_modified", "application_process", "organization", "capacities", "phones", "languages",
                "cost_options", "schedules", "service_at_locations", "attributes"},
    "organization": {"id", "name", "description", "email", "website", "phones", "locations"},
    "location": {"id", "location_type", "organization_id", "name", "latitude", "longitude", "addresses", "accessibility"},
}  # fmt: skip
Progress = Callable[[str, int], Callable[[int], None]]


def directory_export() -> dict[str, Any]:
    return document_for_export(services_queryset())


@dataclass
class ImportReport:
    organisations: int = 0
    locations: int = 0
    services: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _label(kind: str, index: int, record: Any) -> str:
    record_id = record.get("id") if isinstance(record, dict) else None
    return f"{kind}[{index}]" + (f" (id {record_id})" if isinstance(record_id, str) and len(record_id) < 80 else "")


def _no_progress(stage: str, total: int) -> Callable[[int], None]:
    return lambda n: None


class _Checker:
    """Reads a document into what the activities services save, collecting every problem on the way."""

    def __init__(self, document: dict[str, Any], report: ImportReport) -> None:
        self.document = document
        self.report = report
        self.organisations: dict[uuid.UUID, tuple[str, ImportedOrganisation]] = {}
        self.locations: dict[uuid.UUID, tuple[str, ImportedLocation]] = {}
        self.terms: dict[uuid.UUID, ImportedTerm] = {}
        self.activities: dict[uuid.UUID, tuple[str, ImportedActivity]] = {}
        self.schedule_ids: dict[uuid.UUID, str] = {}
        self.vocabularies = {taxonomy_id(v): v for v in TAXONOMIES}

    def problem(self, where: str, path: str, message: str) -> None:
        self.report.problems.append(f"{where}: {path}: {message}" if path else f"{where}: {message}")

    def note(self, where: str, message: str) -> None:
        self.report.notes.append(f"{where}: {message}")

    def limit(self, where: str, path: str, value: Any, key: str) -> str:
        text = value if isinstance(value, str) else ""
        if len(text) > LIMITS[key]:
            self.problem(where, path, f"is {len(text):,} characters; Omzien keeps at most {LIMITS[key]:,}")
        return text

    def left_out(self, where: str, record: dict[str, Any], kind: str) -> None:
        extra = sorted(set(record) - KEPT[kind])
        if extra:
            self.note(where, f"Omzien does not keep {', '.join(extra)}; left out")

    # --- taxonomies and terms -------------------------------------------------------------------

    def taxonomy(self, where: str, record: dict[str, Any]) -> None:
        if record["id"] not in self.vocabularies:
            self.problem(where, "id", "is not one of Omzien's two taxonomies (interests, target groups); "
                         "Omzien does not take other taxonomies")  # fmt: skip

    def term(self, where: str, record: dict[str, Any]) -> None:
        public_id = uuid.UUID(record["id"])
        vocabulary = self.vocabularies.get(record.get("taxonomy_id", ""))
        if vocabulary is None:
            self.problem(where, "taxonomy_id", "must be the id of one of Omzien's two taxonomies")
            return
        code = record.get("code", "")
        if not code or not SLUG.match(code) or len(code) > LIMITS["code"]:
            self.problem(where, "code", "must be a code of letters, digits, - and _ (at most 40)")
            return
        self.limit(where, "name", record["name"], "term_name")
        self.limit(where, "description", record["description"], "term_name")
        if public_id in self.terms:
            self.problem(where, "id", "appears twice in taxonomy_terms")
            return
        self.terms[public_id] = ImportedTerm(public_id, vocabulary, code, record["name"], record["description"])

    def check_terms(self) -> None:
        """New terms must not take a code that is used here, and their id follows from taxonomy and code."""
        known = dict(Term.objects.filter(public_id__in=list(self.terms)).values_list("public_id", "code"))
        codes = {(v, c): p for p, v, c in Term.objects.values_list("public_id", "vocabulary", "code")}
        for public_id, term in list(self.terms.items()):
            if public_id in known:
                continue
            taken = codes.get((term.vocabulary, term.code))
            where = f"taxonomy_terms (id {public_id})"
            if taken is not None:
                self.problem(where, "code", f"'{term.code}' is already the code of term {taken} here")
            elif public_id != term_id(term.vocabulary, term.code):
                self.problem(where, "id", f"a new term's id is {term_id(term.vocabulary, term.code)} "
                             "(UUIDv5 of its taxonomy and code, the same in every installation)")  # fmt: skip

    # --- organisations and locations --------------------------------------------------------------

    def organisation(self, where: str, record: dict[str, Any], *, listed: bool) -> None:
        public_id = uuid.UUID(record["id"])
        phones = record.get("phones") or []
        if len(phones) > 1:
            self.problem(where, "phones", f"{len(phones)} phone numbers; Omzien keeps one per organisation")
        data = ImportedOrganisation(
            public_id, self.limit(where, "name", record["name"], "name"),
            self.limit(where, "description", record.get("description", ""), "description"),
            self.limit(where, "email", record.get("email", ""), "email"),
            self.limit(where, "website", record.get("website", ""), "website"),
            self.limit(where, "phones[0].number", phones[0].get("number", "") if phones else "", "phone"),
        )  # fmt: skip
        if listed:
            self.left_out(where, record, "organization")
        seen = self.organisations.get(public_id)
        if seen is not None:
            if listed:
                self.problem(where, "id", f"appears twice in organizations (also {seen[0]})")
                return
            # A service's copy of its organisation must agree with the organisation itself.
            fields = {"name": "name", "description": "description", "email": "email", "website": "website"}
            differing = [key for key, attr in fields.items() if key in record and getattr(data, attr) != getattr(seen[1], attr)]
            if differing:
                self.problem(where, "", f"organisation {public_id} differs from its copy in {seen[0]} ({', '.join(differing)})")
            return
        self.organisations[public_id] = (where, data)
        for index, location in enumerate(record.get("locations") or []):
            self.location(f"{where}.locations[{index}]", location, owner=public_id)

    def location(self, where: str, record: dict[str, Any], *, owner: uuid.UUID | None) -> None:
        public_id = uuid.UUID(record["id"])
        organisation = record.get("organization_id")
        if organisation is None and owner is None:
            self.problem(where, "organization_id", "is missing: whose location is this?")
            return
        organisation_id = uuid.UUID(organisation) if organisation else owner
        assert organisation_id is not None
        if owner is not None and organisation_id != owner:
            self.problem(where, "organization_id", f"is {organisation_id}, yet the location is listed under {owner}")
        addresses = record.get("addresses") or []
        if len(addresses) > 1:
            self.problem(where, "addresses", f"{len(addresses)} addresses; Omzien keeps one per location")
        address = addresses[0] if addresses else {}
        postcode = ""
        if address.get("postal_code"):
            postcode = normalize_postcode(address["postal_code"]) or ""
            if not postcode:
                self.problem(where, "addresses[0].postal_code", f"'{address['postal_code'][:20]}' is not a Dutch postcode")
        for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
            if key in record and not (math.isfinite(record[key]) and low <= record[key] <= high):
                self.problem(where, key, f"{record[key]} is not between {low} and {high}")
        features = " ".join(a.get("description", "") for a in record.get("accessibility") or []).lower()
        known_features = {"rolstoeltoegankelijk", "ringleiding", "wheelchair accessible", "hearing loop", ""}
        if any(part.strip() not in known_features for part in features.split(",")):
            self.note(where, "accessibility: Omzien keeps only wheelchair access and a hearing loop; other text left out")
        self.left_out(where, record, "location")
        data = ImportedLocation(
            public_id, organisation_id,
            self.limit(where, "name", record.get("name") or address.get("address_1") or "—", "name"),
            self.limit(where, "addresses[0].address_1", address.get("address_1", ""), "street"), postcode,
            self.limit(where, "addresses[0].city", address.get("city", ""), "city"),
            record.get("latitude"), record.get("longitude"),
            "rolstoel" in features or "wheelchair" in features, "ringleiding" in features or "hearing loop" in features,
        )  # fmt: skip
        seen = self.locations.get(public_id)
        if seen is not None and seen[1] != data:
            differing = [k for k in data.__dataclass_fields__ if getattr(data, k) != getattr(seen[1], k)]
            self.problem(where, "", f"location {public_id} differs from its copy in {seen[0]} ({', '.join(differing)})")
            return
        if seen is None:
            self.locations[public_id] = (where, data)

    # --- services -------------------------------------------------------------------------------

    def service(self, where: str, record: dict[str, Any]) -> None:
        public_id = uuid.UUID(record["id"])
        if public_id in self.activities:
            self.problem(where, "id", f"appears twice in services (also {self.activities[public_id][0]})")
            return
        self.left_out(where, record, "service")
        if "organization_id" not in record:
            self.problem(where, "organization_id", "is missing: Omzien needs the organisation of every service")
            return
        organisation_id = uuid.UUID(record["organization_id"])
        nested = record.get("organization")
        if nested is not None:
            if nested.get("id") != record["organization_id"]:
                self.problem(where, "organization.id", "differs from organization_id")
            else:
                self.organisation(f"{where}.organization", nested, listed=False)
        status = record["status"]
        if status not in ("active", "inactive"):
            self.problem(where, "status", f"'{status}': Omzien keeps a service as active or inactive only")
        for key in ("phones", "cost_options", "capacities", "service_at_locations"):
            if len(record.get(key) or []) > 1:
                what = {"service_at_locations": "location"}.get(key, key.rstrip("s").replace("_", " "))
                self.problem(where, key, f"{len(record[key])} given; Omzien keeps one {what} per service")
        values: dict[str, Any] = {
            "title": self.limit(where, "name", record["name"], "title"),
            "description": self.limit(where, "description", record.get("description", ""), "description"),
            "contact_email": self.limit(where, "email", record.get("email", ""), "email"),
            "is_active": status == "active",
            "cost_note": self.limit(where, "fees_description", record.get("fees_description", ""), "cost_note"),
        }
        phones = record.get("phones") or []
        values["contact_phone"] = self.limit(where, "phones[0].number", phones[0]["number"] if phones else "", "phone")
        values["languages"] = [language["code"] for language in record.get("languages") or [] if language.get("code")]
        values["cost_eur"] = self._cost(where, (record.get("cost_options") or [{}])[0])
        values["capacity"] = self._capacity(where, (record.get("capacities") or [{}])[0])
        process = record.get("application_process", WALK_IN_TEXT)
        values["access"] = Activity.Access.INDICATION if process == INDICATION_TEXT else Activity.Access.WALK_IN
        if process not in (WALK_IN_TEXT, INDICATION_TEXT):
            self.note(where, f"application_process: Omzien knows '{WALK_IN_TEXT}' and '{INDICATION_TEXT}'; "
                      "this service is taken as open to everyone (walk-in)")  # fmt: skip
        values["last_confirmed_at"] = timezone.now()
        if "assured_date" in record:
            try:
                assured = date.fromisoformat(record["assured_date"])
            except ValueError:
                self.problem(where, "assured_date", f"{record['assured_date'][:40]!r} is not a date (YYYY-MM-DD)")
            else:
                values["last_confirmed_at"] = datetime.combine(assured, time(12), tzinfo=timezone.get_default_timezone())
        slots = [slot for index, schedule in enumerate(record.get("schedules") or [])
                 if (slot := self._slot(where, f"schedules[{index}]", schedule, record["id"])) is not None]  # fmt: skip
        location = self._service_location(where, record)
        terms = []
        for index, attribute in enumerate(record.get("attributes") or []):
            if attribute.get("link_id", record["id"]) != record["id"]:
                self.problem(where, f"attributes[{index}].link_id", "is not this service's id")
            if "taxonomy_term_id" not in attribute:
                self.problem(where, f"attributes[{index}].taxonomy_term_id", "is missing")
                continue
            terms.append(uuid.UUID(attribute["taxonomy_term_id"]))
            nested_term = attribute.get("taxonomy_term")
            if nested_term and uuid.UUID(nested_term["id"]) not in self.terms:
                self.term(f"{where}.attributes[{index}].taxonomy_term", nested_term)
        self.activities[public_id] = (where, ImportedActivity(public_id, organisation_id, location, values, slots, terms))

    def _cost(self, where: str, option: dict[str, Any]) -> Decimal:
        if not math.isfinite(option.get("amount", 0)):
            self.problem(where, "cost_options[0].amount", f"{option['amount']} is not an amount")
            return Decimal(0)
        amount = Decimal(str(option.get("amount", 0)))
        if option.get("currency", "EUR") != "EUR":
            self.problem(where, "cost_options[0].currency", f"'{option['currency']}': Omzien keeps costs in euro")
        if not Decimal(0) <= amount <= MAX_COST or amount != amount.quantize(Decimal("0.01")):
            self.problem(where, "cost_options[0].amount", f"{option['amount']} is not an amount in euro from 0 to {MAX_COST}")
            return Decimal(0)
        return amount

    def _capacity(self, where: str, capacity: dict[str, Any]) -> int:
        maximum = capacity.get("maximum", 0)
        unit = (capacity.get("unit") or {}).get("name", "places")
        if unit != "places":
            self.problem(where, "capacities[0].unit.name", f"'{unit}': Omzien counts capacity in places")
        if not isinstance(maximum, int) or isinstance(maximum, bool) or not 0 <= maximum <= MAX_CAPACITY:
            self.problem(where, "capacities[0].maximum", f"must be a whole number of places from 0 to {MAX_CAPACITY:,}, not {maximum!r}")
            return 0
        return maximum

    def _slot(self, where: str, path: str, schedule: dict[str, Any], service_id: str) -> tuple[uuid.UUID, Slot] | None:
        ok = True
        if schedule.get("service_id", service_id) != service_id:
            self.problem(where, f"{path}.service_id", "is not this service's id")
            ok = False
        if schedule.get("freq", "WEEKLY") != "WEEKLY":
            self.problem(where, f"{path}.freq", f"'{schedule['freq']}': Omzien keeps weekly sessions only")
            ok = False
        if schedule.get("byday") not in RRULE_DAY:
            self.problem(where, f"{path}.byday", f"{schedule.get('byday')!r}: Omzien needs one day (MO … SU) per session")
            ok = False
        interval = schedule.get("interval", 1)
        if not isinstance(interval, int) or isinstance(interval, bool) or not 1 <= interval <= 52:
            self.problem(where, f"{path}.interval", f"{interval!r} is not a whole number of weeks from 1 to 52")
            ok = False
        start = self._clock(where, f"{path}.opens_at", schedule.get("opens_at"), schedule.get("timezone"))
        end = self._clock(where, f"{path}.closes_at", schedule.get("closes_at"), schedule.get("timezone"))
        if start is not None and end is not None and end <= start:
            self.problem(where, f"{path}.closes_at", "is not after opens_at (Omzien's sessions end on the day they start)")
            ok = False
        public_id = uuid.UUID(schedule["id"])
        if public_id in self.schedule_ids:
            self.problem(where, f"{path}.id", f"appears twice (also in {self.schedule_ids[public_id]})")
            ok = False
        self.schedule_ids[public_id] = where
        if not ok or start is None or end is None:
            return None
        return public_id, Slot(RRULE_DAY.index(schedule["byday"]), start, end, interval)

    def _clock(self, where: str, path: str, text: Any, offset_hours: Any) -> time | None:
        """A session time as Dutch wall-clock time; an offset other than Amsterdam's is converted."""
        match = CLOCK.match(text) if isinstance(text, str) else None
        if match is None:
            self.problem(where, path, f"{text!r} is not a time (HH:MM:SS, with Z or an offset such as +01:00)")
            return None
        hours, minutes, seconds, zone = match.groups()
        if int(hours) > 23 or int(minutes) > 59 or int(seconds or 0) > 59:
            self.problem(where, path, f"{text!r} is not a time of day")
            return None
        moment = time(int(hours), int(minutes), int(seconds or 0))
        if zone is None and isinstance(offset_hours, int | float) and not isinstance(offset_hours, bool):
            if not (math.isfinite(offset_hours) and abs(offset_hours) < 24):
                self.problem(where, path, f"timezone {offset_hours!r} is not an offset from UTC in hours")
                return None
            sign = "-" if offset_hours < 0 else "+"
            zone = f"{sign}{int(abs(offset_hours)):02d}:{int(abs(offset_hours) % 1 * 60):02d}"
        if zone is None or zone in AMSTERDAM_OFFSETS:
            return moment
        try:
            given = datetime.fromisoformat(f"{timezone.localdate().isoformat()}T{moment.isoformat()}{'+00:00' if zone == 'Z' else zone}")
        except ValueError:
            self.problem(where, path, f"{text!r}: {zone} is not an offset from UTC")
            return None
        local = timezone.localtime(given.astimezone(UTC))
        if local.date() != given.date():
            self.problem(where, path, f"{text!r} falls on another day in Dutch time")
            return None
        return local.time()

    def _service_location(self, where: str, record: dict[str, Any]) -> uuid.UUID | None:
        links = record.get("service_at_locations") or []
        if not links:
            return None
        link = links[0]
        if link.get("service_id", record["id"]) != record["id"]:
            self.problem(where, "service_at_locations[0].service_id", "is not this service's id")
        nested = link.get("location")
        location_id = link.get("location_id") or (nested or {}).get("id")
        if location_id is None:
            self.problem(where, "service_at_locations[0].location_id", "is missing")
            return None
        if nested is not None:
            if nested.get("id") != location_id:
                self.problem(where, "service_at_locations[0].location.id", "differs from location_id")
                return None
            self.location(f"{where}.service_at_locations[0].location", nested, owner=None)
        return uuid.UUID(location_id)

    # --- across the document and the database ---------------------------------------------------

    def check_references(self) -> None:
        organisations_here = set(
            Organisation.objects.filter(public_id__in={a.organisation for _w, a in self.activities.values()}
                                        | {loc.organisation for _w, loc in self.locations.values()})
            .values_list("public_id", flat=True)
        )  # fmt: skip
        known_organisations = organisations_here | set(self.organisations)
        for where, place in self.locations.values():
            if place.organisation not in known_organisations:
                self.problem(where, "organization_id", f"organisation {place.organisation} is neither in the document nor known here")
        locations_here = set(
            Location.objects.filter(public_id__in={a.location for _w, a in self.activities.values() if a.location})
            .values_list("public_id", flat=True)
        )
        terms_here = set(
            Term.objects.filter(public_id__in={t for _w, a in self.activities.values() for t in a.terms})
            .values_list("public_id", flat=True)
        )
        for where, activity in self.activities.values():
            if activity.organisation not in known_organisations:
                self.problem(where, "organization_id", f"organisation {activity.organisation} is neither in the document nor known here")
            if activity.location is not None and activity.location not in self.locations and activity.location not in locations_here:
                self.problem(where, "service_at_locations[0].location_id",
                             f"location {activity.location} is neither in the document nor known here")  # fmt: skip
            unknown = [str(t) for t in activity.terms if t not in self.terms and t not in terms_here]
            if unknown:
                self.problem(where, "attributes", f"unknown taxonomy term(s) {', '.join(unknown)}")
        self._check_names()
        self._check_existing()

    def _check_names(self) -> None:
        """Organisation names are unique in Omzien: in the document, and against other organisations here."""
        by_name: dict[str, list[tuple[str, uuid.UUID]]] = defaultdict(list)
        for public_id, (where, data) in self.organisations.items():
            by_name[data.name].append((where, public_id))
        for name, holders in by_name.items():
            if len(holders) > 1:
                self.problem(holders[1][0], "name", f"'{name[:80]}' is also the name of {holders[0][0]}; names are unique in Omzien")
        taken = dict(Organisation.objects.filter(name__in=list(by_name)).values_list("name", "public_id"))
        for name, holders in by_name.items():
            if name in taken and taken[name] != holders[0][1]:
                self.problem(holders[0][0], "name", f"'{name[:80]}' is already the name of organisation {taken[name]} here")

    def _check_existing(self) -> None:
        """Places already taken, and session ids that belong to activities outside this document."""
        importing = set(self.activities)
        for public_id, taken in Activity.objects.filter(public_id__in=importing).values_list("public_id", "places_taken"):
            where, activity = self.activities[public_id]
            if activity.values["capacity"] < taken:
                self.problem(where, "capacities[0].maximum", f"{activity.values['capacity']} is below the {taken} places taken here")
        elsewhere = Schedule.objects.filter(public_id__in=list(self.schedule_ids)).exclude(activity__public_id__in=importing)
        for public_id in elsewhere.values_list("public_id", flat=True):
            self.problem(self.schedule_ids[public_id], "schedules", f"session id {public_id} belongs to another activity here")


SCHEMA_OF = {
    "organizations": "compiled/organization.json", "services": "compiled/service.json",
    "taxonomies": "taxonomy.json", "taxonomy_terms": "taxonomy_term.json",
}  # fmt: skip
SINGULAR = {"organizations": "organization", "services": "service", "taxonomies": "taxonomy", "taxonomy_terms": "taxonomy term"}


def _unstorable(node: Any, path: str = "") -> list[str]:
    """Paths of strings no database keeps: a NUL character, or a lone surrogate (not UTF-8)."""
    found: list[str] = []
    if isinstance(node, str):
        if "\x00" in node:
            found.append(path)
        elif not node.isascii():
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                found.append(path)
    elif isinstance(node, dict):
        for key, value in node.items():
            found += _unstorable(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _unstorable(value, f"{path}[{index}]")
    return found


def _valid_records(document: dict[str, Any], report: ImportReport, progress: Progress) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Each list's records that are valid under the specification's schema (strict); a line per problem of the others."""
    valid: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    total = sum(len(document.get(key) or []) for key in SCHEMA_OF)
    step = progress("checking", total)
    for key, schema in SCHEMA_OF.items():
        valid[key] = []
        records = document.get(key)
        if records is None:
            continue
        fast = spec.fast_validator(schema)
        for index, record in enumerate(records):
            where = _label(key, index, record)
            if not isinstance(record, dict):
                report.problems.append(f"{where}: is not an object (a {SINGULAR[key]} is)")
            elif bad := _unstorable(record):
                report.problems += [f"{where}: {path}: holds a NUL character or broken Unicode" for path in bad[:20]]
            elif fast.is_valid(record):
                valid[key].append((where, record))
            else:
                report.problems += [f"{where}: {line}" for line in spec.problems(record, schema)]
            step(1)
    return valid


def directory_import(document: Any, *, progress: Progress | None = None) -> ImportReport:
    """Check the whole document, then save it all or nothing."""
    report = ImportReport()
    progress = progress or _no_progress
    if not isinstance(document, dict) or not isinstance(document.get("services"), list):
        report.problems.append("the document is not an HSDS export: it has no 'services' list")
        return report
    for key in ("organizations", "taxonomies", "taxonomy_terms"):
        if key in document and not isinstance(document[key], list):
            report.problems.append(f"'{key}' must be a list")
    if document.get("hsds_version", "3.0") not in ("3.0", "3.0.0", "3.0.1"):
        report.problems.append(f"hsds_version {document['hsds_version']!r}: Omzien reads HSDS 3.0")
    extra = sorted(set(document) - {"hsds_version", *SCHEMA_OF})
    if extra:
        report.notes.append(f"the document: Omzien does not read {', '.join(extra)}; left out")
    if report.problems:
        return report
    valid = _valid_records(document, report, progress)
    checker = _Checker(document, report)
    for where, record in valid["taxonomies"]:
        checker.taxonomy(where, record)
    for where, record in valid["taxonomy_terms"]:
        checker.term(where, record)
    for where, record in valid["organizations"]:
        checker.organisation(where, record, listed=True)
    for where, record in valid["services"]:
        checker.service(where, record)
    checker.check_terms()
    checker.check_references()
    if report.problems:
        report.problems = list(dict.fromkeys(report.problems))
        return report
    batch = DirectoryImport(
        organisations=[data for _where, data in checker.organisations.values()],
        locations=[data for _where, data in checker.locations.values()],
        terms=list(checker.terms.values()),
        activities=[data for _where, data in checker.activities.values()],
    )
    try:
        counts = directory_import_save(batch, progress=progress("saving", len(batch.activities)))
    except RegistrationError as error:
        report.problems.append(error.message)
        return report
    from omzien.hsds.services import service_at_location_keys_add

    service_at_location_keys_add()
    report.organisations, report.locations, report.services = counts.organisations, counts.locations, len(batch.activities)
    report.created, report.changed, report.unchanged = (
        counts.activities_created, counts.activities_changed, counts.activities_unchanged
    )
    return report


def package_import(content: bytes, *, progress: Progress | None = None) -> ImportReport:
    """Import a tabular CSV datapackage (zip): its files validated first against the specification's
    tabular schema (Frictionless: types, formats, enums, required, keys), then read as the nested
    document and imported as JSON is, with the same checks. ``TabularError``: not such a zip."""
    from omzien.hsds.tabular import tables_to_document, validate_package, zip_to_tables

    problems = validate_package(content)
    if problems:
        return ImportReport(problems=problems)
    return directory_import(tables_to_document(zip_to_tables(content)), progress=progress)

# SPDX-License-Identifier: EUPL-1.2
"""The HSDS tabular form: the nested export document as a CSV datapackage (a zip), and back.

Each HSDS object becomes a row of its table (``organizations.csv``, ``services.csv``,
``schedules.csv`` …, with the one-to-one fields and the foreign keys it already carries); nested
lists are the rows of other tables that point back. Live capacity, beyond 3.0, travels in
``service_capacities.csv`` and ``units.csv``. ``datapackage.json`` describes every table (Frictionless
tabular data package). Reading builds the nested document again, so the import is the JSON import.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from typing import Any

from omzien.lib import csv_safe

# table → file, in the order HSDS lists them (plus the capacity tables beyond 3.0)
TABLES = {
    "organization": "organizations.csv", "location": "locations.csv", "service": "services.csv",
    "service_at_location": "service_at_location.csv", "phone": "phones.csv", "address": "addresses.csv",
    "schedule": "schedules.csv", "language": "languages.csv", "accessibility": "accessibility.csv",
    "cost_option": "cost_options.csv", "attribute": "attributes.csv", "taxonomy": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv", "service_capacity": "service_capacities.csv", "unit": "units.csv",
}  # fmt: skip
INTEGERS = {"interval", "available", "maximum", "extension", "count"}
NUMBERS = {"latitude", "longitude", "amount", "timezone"}
ADDRESS_REQUIRED = ("address_1", "city", "state_province", "postal_code", "country", "address_type")


class TabularError(ValueError):
    pass


def _scalars(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if not isinstance(v, dict | list)}


def document_to_tables(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Flatten the nested export document into HSDS tables (rows deduplicated by id, order kept)."""
    tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in TABLES}

    def add(table: str, row: dict[str, Any]) -> None:
        tables[table].setdefault(row["id"], _scalars(row))

    def location(data: dict[str, Any]) -> None:
        add("location", data)
        for item in data.get("addresses", []):
            add("address", item)
        for item in data.get("accessibility", []):
            add("accessibility", item)

    for taxonomy in document.get("taxonomies", []):
        add("taxonomy", taxonomy)
    for term in document.get("taxonomy_terms", []):
        add("taxonomy_term", term)
    for organisation in document.get("organizations", []):
        add("organization", organisation)
        for phone in organisation.get("phones", []):
            add("phone", phone)
        for place in organisation.get("locations", []):
            location(place)
    for service in document.get("services", []):
        add("service", service)
        for table, key in (("phone", "phones"), ("language", "languages"), ("cost_option", "cost_options"),
                           ("schedule", "schedules")):  # fmt: skip
            for item in service.get(key, []):
                add(table, item)
        for link in service.get("service_at_locations", []):
            add("service_at_location", link)
            location(link["location"])
        for attribute in service.get("attributes", []):
            add("attribute", attribute)
            add("taxonomy_term", attribute["taxonomy_term"])
        for capacity in service.get("capacities", []):
            add("service_capacity", {**capacity, "unit_id": capacity["unit"]["id"]})
            add("unit", capacity["unit"])
    return {name: list(rows.values()) for name, rows in tables.items()}


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def tables_to_zip(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    """The tables as CSV files with a datapackage.json, in one zip."""
    buffer = io.BytesIO()
    resources = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, path in TABLES.items():
            rows = tables.get(table, [])
            columns = _columns(rows) or ["id"]
            out = io.StringIO()
            writer = csv_safe.dict_writer(out, fieldnames=columns, lineterminator="\n")  # no formulas (issue 15)
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(path, out.getvalue())
            resources.append({
                "name": table, "path": path, "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8",
                "schema": {"fields": [{"name": c, "type": "integer" if c in INTEGERS else "number" if c in NUMBERS
                                       else "string"} for c in columns], "primaryKey": "id"},
            })  # fmt: skip
        package = {"name": "omzien-sociale-kaart", "profile": "tabular-data-package", "hsds_version": "3.0",
                   "resources": resources}  # fmt: skip
        archive.writestr("datapackage.json", json.dumps(package, indent=1))
    return buffer.getvalue()


def _typed(row: dict[str, str]) -> dict[str, Any]:
    typed: dict[str, Any] = {}
    for key, value in row.items():
        if value == "" and key not in ADDRESS_REQUIRED:
            continue
        if key in INTEGERS:
            typed[key] = int(float(value))
        elif key in NUMBERS:
            typed[key] = float(value)
        else:
            typed[key] = value
    return typed


def zip_to_tables(content: bytes) -> dict[str, list[dict[str, Any]]]:
    """Read a datapackage zip (CSV files named as in ``TABLES``; missing ones are empty)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise TabularError("the file is not a zip with HSDS CSV files") from error
    names = set(archive.namelist())
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, path in TABLES.items():
        member = next((n for n in names if n == path or n.endswith("/" + path)), None)
        if member is None:
            tables[table] = []
            continue
        text = archive.read(member).decode("utf-8-sig")
        try:
            tables[table] = [_typed(row) for row in csv.DictReader(io.StringIO(text))]
        except ValueError as error:
            raise TabularError(f"{path}: a number column holds something else ({error})") from error
    return tables


def tables_to_document(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Build the nested export document again from the tables."""
    by: dict[str, defaultdict[Any, list[dict[str, Any]]]] = {name: defaultdict(list) for name in ("phone", "address", "accessibility", "language", "cost_option",
                                               "schedule", "service_at_location", "attribute", "service_capacity")}  # fmt: skip
    for phone in tables.get("phone", []):
        by["phone"][phone.get("service_id") or phone.get("organization_id")].append(phone)
    for table in ("address", "accessibility"):
        for row in tables.get(table, []):
            by[table][row.get("location_id")].append(row)
    for table in ("language", "cost_option", "schedule", "service_at_location", "service_capacity"):
        for row in tables.get(table, []):
            by[table][row.get("service_id")].append(row)
    for row in tables.get("attribute", []):
        by["attribute"][row.get("link_id")].append(row)
    terms = {t["id"]: t for t in tables.get("taxonomy_term", [])}
    units = {u["id"]: u for u in tables.get("unit", [])}
    organisations = {o["id"]: o for o in tables.get("organization", [])}

    def location(row: dict[str, Any]) -> dict[str, Any]:
        data = dict(row)
        for key in ("addresses", "accessibility"):
            items = by["address" if key == "addresses" else "accessibility"][row["id"]]
            if items:
                data[key] = items
        return data

    locations = {row["id"]: location(row) for row in tables.get("location", [])}
    services = []
    for row in tables.get("service", []):
        service = dict(row)
        service_id = row["id"]
        owner = organisations.get(row.get("organization_id"), {})
        service["organization"] = {
            k: owner[k] for k in ("id", "name", "email", "website", "description") if k in owner
        }
        service["capacities"] = [
            {
                **{k: v for k, v in capacity.items() if k != "unit_id"},
                "unit": units.get(capacity.get("unit_id"), {}),
            }
            for capacity in by["service_capacity"][service_id]
        ]
        service["phones"] = by["phone"][service_id]
        service["languages"] = by["language"][service_id]
        service["cost_options"] = by["cost_option"][service_id]
        service["schedules"] = by["schedule"][service_id]
        service["service_at_locations"] = [
            {**link, "location": locations.get(link.get("location_id"), {})}
            for link in by["service_at_location"][service_id]
        ]
        service["attributes"] = [
            {**attribute, "taxonomy_term": terms.get(attribute.get("taxonomy_term_id"), {})}
            for attribute in by["attribute"][service_id]
        ]
        services.append(service)
    organizations = []
    for row in tables.get("organization", []):
        organisation = dict(row)
        organisation["phones"] = by["phone"][row["id"]]
        organisation["locations"] = [
            place for place in locations.values() if place.get("organization_id") == row["id"]
        ]
        organizations.append(organisation)
    return {"hsds_version": "3.0", "organizations": organizations, "services": services,
            "taxonomies": tables.get("taxonomy", []), "taxonomy_terms": tables.get("taxonomy_term", [])}  # fmt: skip

# SPDX-License-Identifier: EUPL-1.2
"""The HSDS tabular form: the nested export document as a CSV datapackage (a zip), and back.

Each HSDS object becomes a row of its table (``organizations.csv``, ``services.csv``,
``schedules.csv`` …, with the one-to-one fields and the foreign keys it already carries); nested
lists are the rows of other tables that point back. Live capacity, beyond 3.0, travels in
3.1's ``service_capacity.csv`` and ``units.csv``. ``datapackage.json`` carries the specification's
tabular schema of every table (types, formats, enums, required columns, primary and foreign keys),
and the import validates the CSV files with it (Frictionless) before it reads them. Reading builds the nested document again, so the import is the JSON import.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from omzien.hsds import spec
from omzien.lib import csv_safe

# table → file, in the order HSDS lists them (plus the capacity tables of 3.1, beyond 3.0)
TABLES = {
    "organization": "organizations.csv", "location": "locations.csv", "service": "services.csv",
    "service_at_location": "service_at_location.csv", "phone": "phones.csv", "address": "addresses.csv",
    "schedule": "schedules.csv", "language": "languages.csv", "accessibility": "accessibility.csv",
    "cost_option": "cost_options.csv", "attribute": "attributes.csv", "taxonomy": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv", "service_capacity": "service_capacity.csv", "unit": "units.csv",
}  # fmt: skip
ADDRESS_REQUIRED = ("address_1", "city", "state_province", "postal_code", "country", "address_type")
# A column ending in one of these points to the table's id (foreign keys of the tabular schema).
REFERENCES = {
    "organization_id": "organization", "parent_organization_id": "organization", "service_id": "service",
    "location_id": "location", "taxonomy_term_id": "taxonomy_term", "taxonomy_id": "taxonomy", "unit_id": "unit",
    "service_at_location_id": "service_at_location",
}  # fmt: skip
DATAPACKAGE_TYPES = {"date": "date", "datetime": "datetime", "time": "time"}
MAX_CELLS = 5_000_000  # a package bigger than this is refused before it is read


class TabularError(ValueError):
    pass


def _spec_table(table: str) -> dict[str, Any]:
    """The specification's tabular schema of one table (3.0's compiled ``tabular.json``; capacity from 3.1)."""
    if table == "service_capacity":
        item = spec.load(spec.CAPACITY)
        return {**item, "required": ["id", "unit_id", "available", "updated"]}
    if table == "unit":
        return spec.load("unit.3.1-dev.json")  # type: ignore[no-any-return]
    return spec.load("compiled/tabular.json")["properties"][table]["items"]  # type: ignore[no-any-return]


@functools.cache
def table_schema(table: str) -> dict[str, Any]:
    """The Frictionless Table Schema of one HSDS table: types, formats, enums, required, keys."""
    item = _spec_table(table)
    required = set(item.get("required", []))
    fields = []
    for name, prop in item["properties"].items():
        if prop.get("type") in ("array", "object") or "$ref" in prop:
            continue
        field: dict[str, Any] = {"name": name, "type": DATAPACKAGE_TYPES.get(prop.get("datapackage_type", ""), prop.get("type", "string"))}
        if prop.get("format") in ("uuid", "email", "uri") and field["type"] == "string":
            field["format"] = prop["format"]
        if prop.get("format") == "date-time":
            field["type"] = "datetime"
        constraints: dict[str, Any] = {}
        if name in required:
            constraints["required"] = True
        if prop.get("enum"):
            constraints["enum"] = prop["enum"]
        if (prop.get("constraints") or {}).get("unique") and name != "id":
            constraints["unique"] = True
        if constraints:
            field["constraints"] = constraints
        if prop.get("description"):
            field["description"] = prop["description"]
        fields.append(field)
    names = {f["name"] for f in fields}
    foreign_keys = [
        {"fields": name, "reference": {"resource": target, "fields": "id"}}
        for name, target in REFERENCES.items()
        if name in names and target in TABLES
    ]
    if table == "taxonomy_term" and "parent_id" in names:
        foreign_keys.append({"fields": "parent_id", "reference": {"resource": "taxonomy_term", "fields": "id"}})
    return {"fields": fields, "primaryKey": ["id"], "foreignKeys": foreign_keys}


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


def _cell(value: Any) -> Any:
    return "true" if value is True else "false" if value is False else value


def tables_to_zip(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    """The tables as CSV files (every column of the specification's table, in its order) with a
    datapackage.json that carries the specification's tabular schema, in one zip."""
    buffer = io.BytesIO()
    resources = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, path in TABLES.items():
            schema = table_schema(table)
            columns = [f["name"] for f in schema["fields"]]
            out = io.StringIO()
            # No cell starts a formula when the file is opened in a spreadsheet (issue 15).
            writer = csv_safe.dict_writer(out, fieldnames=columns, lineterminator="\n", extrasaction="raise")
            writer.writeheader()
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in tables.get(table, []))
            archive.writestr(path, out.getvalue())
            resources.append({
                "name": table, "path": path, "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8", "schema": schema,
            })  # fmt: skip
        package = {"name": "omzien-sociale-kaart", "profile": "tabular-data-package", "hsds_version": "3.0",
                   "licenses": [{"name": "CC-BY-SA-4.0", "path": "https://creativecommons.org/licenses/by-sa/4.0/",
                                 "title": "Creative Commons Attribution Share-Alike 4.0 (the HSDS tabular schema)"}],
                   "resources": resources}  # fmt: skip
        archive.writestr("datapackage.json", json.dumps(package, indent=1, ensure_ascii=False))
    return buffer.getvalue()


def _typed(table: str, row: dict[str, str]) -> dict[str, Any]:
    """One CSV row as the JSON object it stands for (by the table's schema; empty cells left out)."""
    types = {f["name"]: f["type"] for f in table_schema(table)["fields"]}
    typed: dict[str, Any] = {}
    for key, value in row.items():
        if value == "" and not (table == "address" and key in ADDRESS_REQUIRED):
            continue
        kind = types.get(key)
        if kind in ("integer", "number"):
            number = float(value)
            typed[key] = int(number) if number.is_integer() else number
        elif kind == "boolean":
            typed[key] = value.lower() in ("true", "1", "yes")
        else:
            typed[key] = value
    return typed


def _members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each table's CSV in the zip (at the top or in one folder), by table."""
    names = archive.namelist()
    found = {}
    for table, path in TABLES.items():
        member = next((n for n in names if n == path or n.endswith("/" + path)), None)
        if member is not None:
            found[table] = member
    return found


def validate_package(content: bytes) -> list[str]:
    """Every problem of the CSV files under the specification's tabular schema (Frictionless):
    types, formats, enums, required columns and cells, unique and foreign keys; a line each."""
    from frictionless import Package, Resource, Schema, system

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise TabularError("the file is not a zip with HSDS CSV files") from error
    members = _members(archive)
    if "service" not in members:
        raise TabularError("the zip has no services.csv")
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        resources = []
        for table, member in members.items():
            target = Path(folder) / TABLES[table]
            target.write_bytes(archive.read(member))
            header = next(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")[:100_000])), [])
            schema = table_schema(table)
            known = {f["name"] for f in schema["fields"]}
            unknown = [column for column in header if column not in known]
            if unknown:
                problems.append(f"{TABLES[table]}: columns the HSDS table does not have: {', '.join(unknown)}")
            # Only the columns the file has (a producer may leave optional ones out); required ones are checked.
            fields = [f for f in schema["fields"] if f["name"] in header]
            missing = [f["name"] for f in schema["fields"] if (f.get("constraints") or {}).get("required") and f["name"] not in header]
            if missing:
                problems.append(f"{TABLES[table]}: required columns missing: {', '.join(missing)}")
            keys = [k for k in schema["foreignKeys"] if k["fields"] in header and k["reference"]["resource"] in members]
            resources.append(Resource(name=table, path=TABLES[table], schema=Schema.from_descriptor(
                {"fields": fields, "primaryKey": ["id"] if "id" in header else [], "foreignKeys": keys})))  # fmt: skip
        if problems:
            return problems
        with system.use_context(trusted=True):
            report = Package(resources=resources, basepath=folder).validate(limit_errors=1000)
    for task in report.tasks:
        for found in task.errors:
            row = getattr(found, "row_number", None)
            column = getattr(found, "field_name", None)
            where = f"{TABLES.get(task.name, task.name)}" + (f" row {row}" if row else "") + (f", column {column}" if column else "")
            problems.append(f"{where}: {found.message}")
    problems += [found.message for found in report.errors]
    return problems


def zip_to_tables(content: bytes) -> dict[str, list[dict[str, Any]]]:
    """Read a datapackage zip (CSV files named as in ``TABLES``; missing ones are empty)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise TabularError("the file is not a zip with HSDS CSV files") from error
    members = _members(archive)
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in TABLES:
        if table not in members:
            tables[table] = []
            continue
        text = archive.read(members[table]).decode("utf-8-sig")
        try:
            tables[table] = [_typed(table, row) for row in csv.DictReader(io.StringIO(text))]
        except ValueError as error:
            raise TabularError(f"{TABLES[table]}: a number column holds something else ({error})") from error
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

# SPDX-License-Identifier: EUPL-1.2
"""schemathesis against the HSDS API: the official HSDS 3.0 ``openapi.json`` (shipped copy) and Omzien's own.

Generated requests (a fixed seed, a bounded number of examples per operation, positive and, for our
own document, negative data) go through the whole Django stack; every response is checked: no
server error, a documented status (our document), the documented content type and a body inside
its schema. Our own document describes objects strictly (``additionalProperties: false``), so the
same run checks every field. Single views are tried with generated ids and with real ones.

``HSDS_SCHEMATHESIS_EXAMPLES`` sets the examples per operation (default 8; the README's long run
uses 500). The official document leaves 400 and 404 undocumented (it documents only 200) and
declares only ``application/json`` while its own ``format`` parameter asks for ndjson; those are
allowed here and stated in docs/hsds.md, as is the one erratum applied to it: its
``/service_at_locations/{id}`` answers a service_at_location, not a service.
"""

from __future__ import annotations

import copy
import json
import os
from collections import Counter
from typing import Any

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import TestCase

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from omzien.activities.models import Activity, Location, Term
from omzien.activities.tests.factories import Town
from omzien.hsds import documents, spec
from omzien.hsds.views import public_schema

EXAMPLES = int(os.environ.get("HSDS_SCHEMATHESIS_EXAMPLES", "8"))
SEED = 20261202
NDJSON = "application/x-ndjson"


@schemathesis.deserializer(NDJSON)
def _ndjson(_context: Any, response: Any) -> Any:
    """An ndjson body as the list of its lines' objects (our document describes it as that array)."""
    return [json.loads(line) for line in response.content.decode().splitlines() if line]


def official_document() -> dict[str, Any]:
    """The shipped official document, resolved, mounted at /api/hsds, with its one erratum and ndjson declared."""
    document = copy.deepcopy(spec.official_openapi())
    document["servers"] = [{"url": "/api/hsds"}]
    detail = document["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
    detail["schema"] = {"$ref": "#/components/schemas/compiled_service_at_location"}
    document["components"]["schemas"]["compiled_service_at_location"] = spec.load("compiled/service_at_location.json")
    for methods in document["paths"].values():
        content = methods["get"]["responses"]["200"]["content"]
        if any(p.get("$ref", "").endswith("/format") for p in methods["get"].get("parameters", [])):
            content[NDJSON] = {"schema": {"type": "array", "items": content["application/json"]["schema"]["properties"]["contents"]["items"]}}
    return document


def own_document() -> dict[str, Any]:
    document = copy.deepcopy(public_schema())
    document["paths"] = {path: ops for path, ops in document["paths"].items() if path.startswith("/api/hsds/")}
    return document


def _directory() -> dict[str, list[str]]:
    """A small directory with every kind of object, and the real ids of each single view."""
    town = Town()
    town.activity(title="Kookclub", interests=("koken",), languages=["nl", "ar"])
    town.activity(title="Wandelen", capacity=2)
    Activity.objects.create(organisation=town.provider, title="Zonder plek", capacity=3, last_confirmed_at="2026-01-01T00:00Z")
    Location.objects.create(organisation=town.provider, name="Leeg", postcode="3561AA")
    activity = Activity.objects.filter(location__isnull=False).first()
    assert activity is not None
    return {
        "services/{id}": [str(a.public_id) for a in Activity.objects.all()],
        "service_at_locations/{id}": [documents.service_at_location_id(a) for a in Activity.objects.filter(location__isnull=False)],  # type: ignore[misc]
        "organizations/{id}": [str(town.provider.public_id)],
        "taxonomies/{id}": [documents.taxonomy_id(v) for v in documents.TAXONOMIES],
        "taxonomy_terms/{id}": [str(t) for t in Term.objects.values_list("public_id", flat=True)[:5]],
    }


def _run(schema: Any, real_ids: dict[str, list[str]], *, own: bool) -> Counter[tuple[str, int]]:
    seen: Counter[tuple[str, int]] = Counter()
    failures: list[str] = []
    # As Django's test client does: a request through the WSGI handler must not close the test's
    # database connection (its transaction holds the test data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for result in schema.get_all_operations():
            _check_operation(result.ok(), real_ids, own=own, seen=seen, failures=failures)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert not failures, "\n\n".join(failures[:10])
    return seen


def _with_id(operation: Any) -> Any:
    return lambda real_id: operation.as_strategy(path_parameters={"id": real_id})


def _check_operation(operation: Any, real_ids: dict[str, list[str]], *, own: bool,
                     seen: Counter[tuple[str, int]], failures: list[str]) -> None:  # fmt: skip
    app = get_wsgi_application()
    checks = [not_a_server_error, content_type_conformance, response_schema_conformance]
    modes = [schemathesis.GenerationMode.POSITIVE]
    if own:
        checks += [status_code_conformance, negative_data_rejection]
        modes.append(schemathesis.GenerationMode.NEGATIVE)
    path = operation.path.removeprefix("/api/hsds/").removeprefix("/")
    strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
    if path in real_ids:
        strategies.append(st.sampled_from(real_ids[path]).flatmap(_with_id(operation)))
    documented = set(operation.definition.raw.get("responses", {}))

    @seed(SEED)
    @settings(max_examples=EXAMPLES * len(strategies), deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=st.one_of(strategies))
    def check(case: Any) -> None:
        response = case.call(app=app)
        seen[(operation.label, response.status_code)] += 1
        if response.headers.get("access-control-allow-origin") != ["*"]:
            failures.append(f"{operation.label}: no CORS header on {response.status_code}")
        if not own and str(response.status_code) not in documented:
            # The official document documents 200 only; Omzien's 400 and 404 are its errors.
            allowed = (400,) + ((404,) if "{id}" in operation.path else ())
            if response.status_code not in allowed:
                failures.append(f"{operation.label}: undocumented {response.status_code}")
            return
        try:
            case.validate_response(response, checks=checks)
        except AssertionError as error:
            failures.append(f"{operation.label} {case.query} {case.path_parameters}: {str(error)[:800]}")

    check()


@pytest.mark.needs_shared
class SchemathesisTests(TestCase):
    def test_the_official_openapi_document(self) -> None:
        real_ids = _directory()
        seen = _run(schemathesis.openapi.from_dict(official_document()), real_ids, own=False)
        # Every operation was reached, and every single view answered 200 for a real id.
        self.assertEqual(len({label for label, _status in seen}), 11, seen)
        for path in real_ids:
            self.assertTrue(any(label.endswith(path) and status == 200 for label, status in seen), (path, seen))

    def test_omzien_s_own_openapi_document(self) -> None:
        real_ids = _directory()
        seen = _run(schemathesis.openapi.from_dict(own_document()), real_ids, own=True)
        self.assertEqual(len({label for label, _status in seen}), 11, seen)
        self.assertTrue(any(status == 400 for _label, status in seen), seen)
        for path in real_ids:
            self.assertTrue(any(label.endswith(path) and status == 200 for label, status in seen), (path, seen))

    def test_the_shipped_schemas_are_the_official_ones(self) -> None:
        from omzien.hsds.tests.test_api import shared_schemas

        shared = shared_schemas()
        for name in spec.SCHEMAS:
            path = shared / name
            self.assertEqual(spec.load(name), json.loads(path.read_text(encoding="utf-8")), name)
        official = json.loads((shared / "openapi.json").read_text(encoding="utf-8"))
        shipped = json.dumps(spec.load("openapi.json"))
        upstream = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
        for local in ("compiled/", "taxonomy"):
            shipped = shipped.replace(f'"$ref": "{local}', f'"$ref": "{upstream}{local}')
        self.assertEqual(json.loads(shipped), official)

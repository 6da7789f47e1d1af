# SPDX-License-Identifier: EUPL-1.2
"""The Open Referral HSDS 3.0 read API: public, no key, paginated, open to every origin (CORS *).

Views are thin: the parameters, filters and pages are in ``selectors``, the documents in
``documents``, the OpenAPI description of every response and error in ``openapi``. Every answer
under ``/api/hsds/``, errors and unknown paths included, is JSON with ``Access-Control-Allow-Origin: *``.
``format`` is the specification's parameter (``json`` pages or ``ndjson``, every result streamed),
not Django REST framework's renderer override.
"""

from __future__ import annotations

import functools
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from omzien.activities.models import Term
from omzien.hsds import documents, openapi, selectors

logger = logging.getLogger(__name__)
NDJSON = "application/x-ndjson"


class HsdsView(APIView):
    """Public and read-only; every response, errors included, is JSON any origin may read."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    renderer_classes = [JSONRenderer]
    parameters: dict[str, selectors.Param] = selectors.NONE

    def perform_content_negotiation(self, request: Any, force: bool = False) -> tuple[Any, str]:
        # ``format`` is HSDS's parameter here, never DRF's renderer override (which answered 404).
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    def query(self, request: Request) -> dict[str, Any]:
        return selectors.query(request.query_params, self.parameters)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, selectors.QueryError):
            return Response({"detail": str(exc), "parameter": exc.parameter}, status=400)
        if isinstance(exc, Http404 | exceptions.NotFound):
            return Response({"detail": "Not found."}, status=404)
        if isinstance(exc, exceptions.APIException):
            return super().handle_exception(exc)
        if isinstance(exc, OperationalError | InterfaceError):
            # The database is away (stopped, restarting, failing over): unavailable, not broken, as the
            # pages say (omzien.core.views.error_500); a client may retry after the pause.
            logger.warning("HSDS API: database unavailable")
            return Response({"detail": "Service unavailable; try again shortly."}, status=503,
                            headers={"Retry-After": "30"})  # fmt: skip
        logger.exception("HSDS API error")
        return Response({"detail": "Server error."}, status=500)


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise Http404 from error


def _listing(request: Request, q: dict[str, Any], ids: list[Any], page_ids: list[Any] | None,
             page: selectors.Page | None, render_items: Callable[[list[Any]], list[dict[str, Any]]]) -> Any:  # fmt: skip
    """A page in the Page wrapper, or with ``format=ndjson`` every result, one JSON object per line, streamed."""
    if q.get("format") == "ndjson":

        def lines() -> Iterator[bytes]:
            for chunk in selectors.chunks(ids):
                for item in render_items(chunk):
                    yield json.dumps(item, ensure_ascii=False).encode() + b"\n"

        return StreamingHttpResponse(lines(), content_type=NDJSON)
    assert page is not None and page_ids is not None
    return Response(page.wrapper(render_items(page_ids)))


class ApiInfo(HsdsView):
    @openapi.info
    def get(self, request: Request) -> Response:
        self.query(request)
        return Response({
            "version": "3.0", "profile": request.build_absolute_uri(reverse("hsds:profile")),
            "openapi_url": request.build_absolute_uri(reverse("api_schema")),
        })  # fmt: skip


def _service_items(q: dict[str, Any]) -> Callable[[list[int]], list[dict[str, Any]]]:
    if q.get("minimal"):
        return lambda ids: [documents.minimal_service_document(a) for a in selectors.activities_in_order(ids, full=False)]
    full = bool(q.get("full"))
    return lambda ids: [documents.service_document(a, full=full) for a in selectors.activities_in_order(ids, full=full)]


class ServiceList(HsdsView):
    parameters = selectors.SERVICES

    @openapi.service_list
    def get(self, request: Request) -> Any:
        q = self.query(request)
        if q.get("format") == "ndjson":
            return _listing(request, q, selectors.filtered_activity_ids(q), None, None, _service_items(q))
        ids, page = selectors.filtered_page(q)
        return _listing(request, q, [], ids, page, _service_items(q))


class ServiceDetail(HsdsView):
    @openapi.service
    def get(self, request: Request, id: str) -> Response:  # noqa: A002 - the HSDS path parameter
        self.query(request)
        activity = documents.services_queryset().filter(public_id=_uuid_or_404(id)).first()
        if activity is None:
            raise Http404
        return Response(documents.service_document(activity))


def _service_at_location_items(q: dict[str, Any]) -> Callable[[list[int]], list[dict[str, Any]]]:
    full = bool(q.get("full"))
    return lambda ids: [documents.service_at_location_document(a, full=full)
                        for a in selectors.activities_in_order(ids, full=full)]  # fmt: skip


class ServiceAtLocationList(HsdsView):
    parameters = selectors.SERVICE_AT_LOCATIONS

    @openapi.service_at_location_list
    def get(self, request: Request) -> Any:
        q = self.query(request)
        items = _service_at_location_items(q)
        if q.get("format") == "ndjson":
            return _listing(request, q, selectors.filtered_activity_ids(q, with_location=True), None, None, items)
        ids, page = selectors.filtered_page(q, with_location=True)
        return _listing(request, q, [], ids, page, items)


class ServiceAtLocationDetail(HsdsView):
    @openapi.service_at_location
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        self.query(request)
        activity = selectors.activity_at_location(_uuid_or_404(id))
        if activity is None:
            raise Http404
        return Response(documents.service_at_location_document(activity))


def _organisation_items(q: dict[str, Any]) -> Callable[[list[int]], list[dict[str, Any]]]:
    from omzien.accounts.models import Organisation

    nested, full_service = bool(q.get("full")), bool(q.get("full_service"))

    def render_items(pks: list[int]) -> list[dict[str, Any]]:
        found = Organisation.objects.filter(pk__in=pks)
        if nested:
            found = found.prefetch_related("locations__organisation")
        by_pk = {o.pk: o for o in found}
        services = _services_of(pks, full_service) if nested or full_service else {}
        return [documents.organization_document(by_pk[pk], full=nested, services=services.get(pk) if services else None)
                for pk in pks if pk in by_pk]  # fmt: skip

    return render_items


def _services_of(organisation_pks: list[int], full: bool) -> dict[int, list[dict[str, Any]]]:
    from omzien.activities.models import Activity

    ids = list(Activity.objects.filter(organisation__in=organisation_pks).order_by("pk").values_list("pk", flat=True))
    grouped: dict[int, list[dict[str, Any]]] = {pk: [] for pk in organisation_pks}
    for activity in selectors.activities_in_order(ids, full=full):
        grouped[activity.organisation_id].append(documents.service_document(activity, full=full))
    return grouped


class OrganizationList(HsdsView):
    parameters = selectors.ORGANIZATIONS

    @openapi.organization_list
    def get(self, request: Request) -> Any:
        q = self.query(request)
        pks = list(selectors.organisations(q).values_list("pk", flat=True))
        chosen, page = selectors.page_of(pks, q)
        return _listing(request, q, pks, chosen, page, _organisation_items(q))


class OrganizationDetail(HsdsView):
    parameters = selectors.ORGANIZATION

    @openapi.organization
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        q = self.query(request)
        organisation = selectors.organisations({}).filter(public_id=_uuid_or_404(id)).first()
        if organisation is None:
            raise Http404
        return Response(_organisation_items({**q, "full": True})([organisation.pk])[0])


class TaxonomyList(HsdsView):
    parameters = selectors.TAXONOMIES_PARAMS

    @openapi.taxonomy_list
    def get(self, request: Request) -> Any:
        q = self.query(request)
        vocabularies = selectors.taxonomies(q)
        chosen, page = selectors.page_of(vocabularies, q)
        return _listing(request, q, vocabularies, chosen, page,
                        lambda chunk: [documents.taxonomy_document(v) for v in chunk])  # fmt: skip


class TaxonomyDetail(HsdsView):
    @openapi.taxonomy
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        self.query(request)
        by_id = {documents.taxonomy_id(v): v for v in documents.TAXONOMIES}
        vocabulary = by_id.get(str(_uuid_or_404(id)))
        if vocabulary is None:
            raise Http404
        return Response(documents.taxonomy_document(vocabulary))


def _term_items(pks: list[int]) -> list[dict[str, Any]]:
    by_pk = {t.pk: t for t in Term.objects.filter(pk__in=pks)}
    return [documents.taxonomy_term_document(by_pk[pk]) for pk in pks if pk in by_pk]


class TaxonomyTermList(HsdsView):
    parameters = selectors.TAXONOMY_TERMS

    @openapi.taxonomy_term_list
    def get(self, request: Request) -> Any:
        q = self.query(request)
        pks = list(selectors.terms(q).values_list("pk", flat=True))
        chosen, page = selectors.page_of(pks, q)
        return _listing(request, q, pks, chosen, page, _term_items)


class TaxonomyTermDetail(HsdsView):
    @openapi.taxonomy_term
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        self.query(request)
        term = Term.objects.filter(public_id=_uuid_or_404(id)).first()
        if term is None:
            raise Http404
        return Response(documents.taxonomy_term_document(term))


class NotFound(HsdsView):
    """Any other path under /api/hsds/: a JSON 404 with CORS, as every error of the API."""

    @extend_schema(exclude=True)
    def get(self, request: Request, rest: str) -> Response:
        raise Http404

    def options(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise Http404


def schema_document(request: HttpRequest) -> HttpResponse:
    """The OpenAPI document, as JSON, readable from any origin."""
    response = HttpResponse(
        json.dumps(public_schema(), ensure_ascii=False), content_type="application/vnd.oai.openapi+json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@functools.cache
def public_schema() -> dict[str, Any]:
    """The generated OpenAPI document; it only changes with the code, so it is built once per process."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def api_docs(request: HttpRequest) -> HttpResponse:
    """The OpenAPI document, rendered on the server: every path, method, summary and parameter."""
    schema = public_schema()
    operations = [
        {"path": path, "method": method.upper(), "summary": operation.get("summary", ""),
         "parameters": operation.get("parameters", [])}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]  # fmt: skip
    return render(request, "hsds/api_docs.html", {"schema": schema, "operations": operations})


def profile(request: HttpRequest) -> HttpResponse:
    """Omzien's HSDS profile: what it adds to 3.0 and what it leaves out (the root's ``profile``)."""
    return render(request, "hsds/profile.html", {"capacity_schema": openapi.CAPACITY_URL})

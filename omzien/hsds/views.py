# SPDX-License-Identifier: EUPL-1.2
"""The Open Referral HSDS 3.0 read API: public, no key, paginated, open to every origin (CORS *).

Views are thin: the filters and pages are in ``selectors``, the documents in ``documents``.
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from omzien.accounts.models import Organisation
from omzien.activities.models import Term
from omzien.hsds import documents, selectors

PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("per_page", int, description=f"Items per page (default {selectors.DEFAULT_PER_PAGE}, at most {selectors.MAX_PER_PAGE})."),
]  # fmt: skip
FILTER_PARAMETERS = [
    OpenApiParameter("search", str, description="Words in the name, description or organisation."),
    OpenApiParameter("postcode", str, description="Dutch postcode (PC6 or PC4); results nearest first."),
    OpenApiParameter("proximity", int, description="With postcode: distance in metres (default 5000)."),
    OpenApiParameter("taxonomy_term_id", str, description="Only services with this taxonomy term."),
    OpenApiParameter("taxonomy_id", str, description="A taxonomy's id, or (Open Referral UK) a term's id."),
    OpenApiParameter("organization_id", str, description="Only this organisation's services."),
]


class HsdsView(APIView):
    """Public and read-only; every response may be read from any origin."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, selectors.QueryError):
            return Response({"detail": str(exc)}, status=400)
        return super().handle_exception(exc)


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise Http404 from error


class ApiInfo(HsdsView):
    @extend_schema(
        operation_id="getAPIMetaInformation",
        responses=OpenApiTypes.OBJECT,
        summary="HSDS version and the OpenAPI document of this API",
    )
    def get(self, request: Request) -> Response:
        return Response({
            "version": "3.0", "profile": "https://docs.openreferral.org/en/latest/hsds/overview.html",
            "openapi_url": request.build_absolute_uri(reverse("api_schema")),
        })  # fmt: skip


class ServiceList(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfServices",
        parameters=PAGE_PARAMETERS + FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT,
                   summary="Services (activities), one-to-one fields and live capacity, paginated")  # fmt: skip
    def get(self, request: Request) -> Response:
        ids, page = selectors.page_of(
            selectors.filtered_activity_ids(request.query_params), request.query_params
        )
        return Response(
            page.wrapper(
                [documents.service_document(a, full=False) for a in selectors.activities_in_order(ids)]
            )
        )


class ServiceDetail(HsdsView):
    @extend_schema(
        operation_id="getFullyNestedServiceById",
        responses=OpenApiTypes.OBJECT,
        summary="One service with everything nested",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002 - the HSDS path parameter
        activity = documents.services_queryset().filter(public_id=_uuid_or_404(id)).first()
        if activity is None:
            raise Http404
        return Response(documents.service_document(activity))


class ServiceAtLocationList(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfServiceAtLocation",
        parameters=PAGE_PARAMETERS + FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT,
                   summary="Services at their locations, with the Open Referral UK filters")  # fmt: skip
    def get(self, request: Request) -> Response:
        ids, page = selectors.filtered_page(request.query_params, with_location=True)
        return Response(
            page.wrapper(
                [documents.service_at_location_document(a) for a in selectors.activities_in_order(ids)]
            )
        )


class ServiceAtLocationDetail(HsdsView):
    @extend_schema(
        operation_id="getServiceAtLocationWithNestedDataById",
        responses=OpenApiTypes.OBJECT,
        summary="One service at a location",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        activity = selectors.activity_at_location(str(_uuid_or_404(id)))
        if activity is None:
            raise Http404
        return Response(documents.service_at_location_document(activity))


def _model_page(ordered: Any, request: Request, document: Any) -> dict[str, Any]:
    """One page of an ordered queryset, each object as its HSDS document, in the Page wrapper."""
    chosen, page = selectors.page_of(list(ordered.values_list("pk", flat=True)), request.query_params)
    by_pk = {obj.pk: obj for obj in ordered.model.objects.filter(pk__in=chosen)}
    return page.wrapper([document(by_pk[pk]) for pk in chosen])


def _organisations() -> Any:
    return Organisation.objects.filter(activities__isnull=False).distinct().order_by("pk")


class OrganizationList(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfOrganizations",
        parameters=PAGE_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
        summary="Organisations with services",
    )
    def get(self, request: Request) -> Response:
        return Response(_model_page(_organisations(), request, documents.organization_document))


class OrganizationDetail(HsdsView):
    @extend_schema(
        operation_id="getOrganizationById",
        responses=OpenApiTypes.OBJECT,
        summary="One organisation with its locations",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002
        organisation = (
            _organisations()
            .prefetch_related("locations__organisation")
            .filter(public_id=_uuid_or_404(id))
            .first()
        )
        if organisation is None:
            raise Http404
        return Response(documents.organization_document(organisation, full=True))


class TaxonomyList(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfTaxonomies",
        parameters=PAGE_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
        summary="The taxonomies",
    )
    def get(self, request: Request) -> Response:
        items = [documents.taxonomy_document(v) for v in documents.TAXONOMIES]
        chosen, page = selectors.page_of(list(range(len(items))), request.query_params)
        return Response(page.wrapper([items[i] for i in chosen]))


class TaxonomyTermList(HsdsView):
    @extend_schema(
        operation_id="getPaginatedListOfTaxonomyTerms",
        parameters=PAGE_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
        summary="The taxonomy terms",
    )
    def get(self, request: Request) -> Response:
        return Response(
            _model_page(
                Term.objects.order_by("vocabulary", "code"), request, documents.taxonomy_term_document
            )
        )


@functools.cache
def _public_schema() -> dict[str, Any]:
    """The generated OpenAPI document; it only changes with the code, so it is built once per process."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def api_docs(request: HttpRequest) -> HttpResponse:
    """The OpenAPI document, rendered on the server: every path, method, summary and parameter."""
    schema = _public_schema()
    operations = [
        {"path": path, "method": method.upper(), "summary": operation.get("summary", ""),
         "parameters": operation.get("parameters", [])}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]  # fmt: skip
    return render(request, "hsds/api_docs.html", {"schema": schema, "operations": operations})

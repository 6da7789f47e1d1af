# SPDX-License-Identifier: EUPL-1.2
"""The monitor's open data API: published editions and their figures, public and read-only."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny

from omzien.reports.api.serializers import EditionDetailSerializer, EditionSerializer
from omzien.reports.models import Edition, Figure
from omzien.reports.selectors import published_editions

FILTERS = [
    OpenApiParameter("level", str, enum=["city", "wijk", "buurt"], description="Only figures of this level."),
    OpenApiParameter("indicator", str, enum=["lonely", "moderate", "severe", "social", "emotional"],
                     description="Only figures of this indicator."),  # fmt: skip
    OpenApiParameter("area_code", str, description="Only figures of this CBS area code (WK…/BU…)."),
]


class OpenData:
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []


@extend_schema(tags=["loneliness monitor"], summary="Published monitor editions, newest survey first")
class EditionList(OpenData, ListAPIView[Edition]):
    serializer_class = EditionSerializer

    def get_queryset(self) -> Any:
        return published_editions()


@extend_schema(tags=["loneliness monitor"], parameters=FILTERS,
               summary="One published edition with its aggregate figures (small groups suppressed)")  # fmt: skip
class EditionDetail(OpenData, RetrieveAPIView[Edition]):
    serializer_class = EditionDetailSerializer

    def get_object(self) -> Edition:
        figures = Figure.objects.order_by("level", "area_code", "wave", "indicator", "kind", "pk")
        for name in ("level", "indicator", "area_code"):
            value = self.request.query_params.get(name)
            if value:
                figures = figures.filter(**{name: value})
        edition = (
            published_editions().prefetch_related(Prefetch("figures", queryset=figures))
            .filter(pk=self.kwargs["pk"]).first()
        )  # fmt: skip
        if edition is None:
            raise Http404
        return edition

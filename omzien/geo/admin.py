# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from omzien.geo.models import District, Municipality, Neighbourhood, Postcode


class _WithoutOutlines(admin.ModelAdmin):  # type: ignore[type-arg]
    """Lists and forms never show an outline (GeoJSON, kilobytes each): not read, not decoded per row."""

    outline_fields: tuple[str, ...] = ("boundary",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if isinstance(self.list_select_related, (list, tuple)):
            queryset = queryset.select_related(*self.list_select_related)
        return queryset.defer(*self.outline_fields)


@admin.register(Municipality)
class MunicipalityAdmin(_WithoutOutlines):
    list_display = ["code", "name", "population"]
    exclude = ["boundary"]


@admin.register(District)
class DistrictAdmin(_WithoutOutlines):
    list_select_related = ["municipality"]
    outline_fields = ("boundary", "municipality__boundary")
    list_display = ["code", "name", "population", "population_year", "is_synthetic"]
    list_filter = ["municipality"]
    search_fields = ["code", "name"]
    exclude = ["boundary"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(_WithoutOutlines):
    list_select_related = ["district"]
    outline_fields = ("boundary", "district__boundary")
    list_display = ["code", "name", "district", "population", "is_synthetic"]
    list_filter = ["district"]
    search_fields = ["code", "name"]
    exclude = ["boundary"]


@admin.register(Postcode)
class PostcodeAdmin(_WithoutOutlines):
    list_select_related = ["neighbourhood"]
    outline_fields = ("neighbourhood__boundary",)
    list_display = ["code", "neighbourhood", "is_synthetic"]
    search_fields = ["code"]
    autocomplete_fields = ["neighbourhood"]

# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin

from omzien.geo.models import District, Municipality, Neighbourhood, Postcode


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "population"]
    exclude = ["boundary"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "population", "population_year", "is_synthetic"]
    list_filter = ["municipality"]
    search_fields = ["code", "name"]
    exclude = ["boundary"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "population", "is_synthetic"]
    list_filter = ["district"]
    search_fields = ["code", "name"]
    exclude = ["boundary"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["code", "neighbourhood", "is_synthetic"]
    search_fields = ["code"]
    autocomplete_fields = ["neighbourhood"]

# SPDX-License-Identifier: EUPL-1.2
"""The administrator sets the fund's budgets, the brokers' wijken and the community centres with their rooms."""

from django.contrib import admin

from omzien.initiatives.models import BrokerArea, Budget, Centre, CentreRoom, OpeningHours


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ["district", "year", "amount"]
    list_filter = ["year"]


@admin.register(BrokerArea)
class BrokerAreaAdmin(admin.ModelAdmin):
    list_display = ["user", "district"]
    raw_id_fields = ["user"]


class RoomInline(admin.TabularInline):
    model = CentreRoom
    extra = 0


class HoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "postcode"]
    list_filter = ["district"]
    search_fields = ["name"]
    inlines = [RoomInline, HoursInline]

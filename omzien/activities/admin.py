# SPDX-License-Identifier: EUPL-1.2
"""The administrator maintains the taxonomy; activities are shown read-only (providers keep them)."""

from django.contrib import admin

from omzien.activities.models import Activity, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "vocabulary"]
    list_filter = ["vocabulary"]
    search_fields = ["name", "name_en", "code"]


FIELDS = (
    "title",
    "organisation",
    "location",
    "capacity",
    "places_taken",
    "access",
    "is_active",
    "last_confirmed_at",
)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "capacity", "places_taken", "is_active", "last_confirmed_at"]
    list_filter = ["is_active", "access", "organisation"]
    search_fields = ["title"]
    readonly_fields = FIELDS
    fields = FIELDS

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

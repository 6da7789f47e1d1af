# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["neighbourhoods"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.action(description=_("End all sessions of the selected users"))
def end_sessions(modeladmin: admin.ModelAdmin, request: object, queryset: object) -> None:
    from omzien.accounts.services import user_sessions_end
    from omzien.audit.events import actor_for_request

    for user in queryset:  # type: ignore[attr-defined]
        user_sessions_end(user=user, actor=actor_for_request(request))


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    actions = [end_sessions]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active"]
    list_filter = ["is_active", "groups", "organisation"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ("organisation",)}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and organisation"), {"fields": ("organisation", "groups")}),
    )


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Lists authenticator apps so an administrator can remove a lost one; never shows the key."""

    list_display = ["user", "name", "confirmed", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = ("user", "name", "confirmed", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False  # a device is linked by its owner, who scans the code themselves

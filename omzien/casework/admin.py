# SPDX-License-Identifier: EUPL-1.2
"""Partner API keys in the admin: issue (the key is shown once), rotate and revoke; every use listed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from omzien.casework import services
from omzien.casework.models import PartnerToken, Route, RouteRule, RouteTable, TokenUse


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin[PartnerToken]):
    list_display = ["name", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["organisation"]
    fields = ["organisation", "name", "prefix", "created_at", "created_by", "last_used_at", "revoked_at", "replaced_by"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at", "replaced_by"]
    actions = ["rotate", "revoke"]

    def get_readonly_fields(self, request: HttpRequest, obj: PartnerToken | None = None) -> Any:
        # A key's organisation never changes: a new organisation gets a new key.
        return [*self.readonly_fields, "organisation"] if obj else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: PartnerToken | None = None) -> bool:
        return False  # revoked keys stay, so the log of their uses keeps its meaning

    def save_model(self, request: HttpRequest, obj: PartnerToken, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        token, key = services.token_issue(organisation=obj.organisation, name=obj.name, acting_user=request.user)
        obj.pk, obj.prefix, obj.key_hash = token.pk, token.prefix, token.key_hash
        obj._state.adding = False
        self.message_user(request, _("The new key, shown only now: %(key)s") % {"key": key}, messages.WARNING)

    @admin.action(description=_("Rotate the selected keys (new key, old one stops)"), permissions=["change"])
    def rotate(self, request: HttpRequest, queryset: QuerySet[PartnerToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            new, key = services.token_rotate(token=token, acting_user=request.user)
            self.message_user(request, _("New key for %(name)s, shown only now: %(key)s") % {"name": new.name, "key": key},
                              messages.WARNING)  # fmt: skip

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[PartnerToken]) -> None:
        for token in queryset:
            services.token_revoke(token=token, acting_user=request.user)
        self.message_user(request, _("Revoked."))


@admin.register(TokenUse)
class TokenUseAdmin(admin.ModelAdmin[TokenUse]):
    list_display = ["at", "token", "method", "path", "status", "client_ip"]
    list_filter = ["status", "token__organisation"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: TokenUse | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: TokenUse | None = None) -> bool:
        return False


# The route rule table: routes, and versions of the rules. A published version is read-only; a change
# is a new draft (copied from a version), published when ready, so every stored advice keeps its rules.


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin[Route]):
    list_display = ["code", "label", "kind", "order", "active"]
    list_editable = ["order", "active"]
    fields = ["code", "label", "kind", "description", "order", "active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Route | None = None) -> Any:
        # The code is what referrals and the council's figures name: fixed once the route exists.
        return ["code"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: Route | None = None) -> bool:
        return False  # switch a route off ("offered") instead; its referrals keep their meaning


class RouteRuleInline(admin.TabularInline[RouteRule, RouteTable]):
    model = RouteRule
    extra = 1
    fields = ["order", "route", "when", "reason"]

    def _editable(self, obj: RouteTable | None) -> bool:
        return obj is None or not obj.is_published

    def has_add_permission(self, request: HttpRequest, obj: RouteTable | None = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: RouteTable | None = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: RouteTable | None = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(RouteTable)
class RouteTableAdmin(admin.ModelAdmin[RouteTable]):
    list_display = ["version", "published_at", "created_at", "note"]
    fields = ["version", "note", "created_at", "published_at"]
    readonly_fields = ["version", "created_at", "published_at"]
    inlines = [RouteRuleInline]
    actions = ["new_draft", "publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: RouteTable | None = None) -> Any:
        return [*self.readonly_fields, "note"] if obj is not None and obj.is_published else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: RouteTable, form: Any, change: bool) -> None:
        if not change:
            obj.version = services.route_table_next_version()
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: RouteTable | None = None) -> bool:
        return obj is None or not obj.is_published

    @admin.action(description=_("Make a new draft version from the selected version"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet[RouteTable]) -> None:
        for table in queryset.order_by("-version")[:1]:
            draft = services.route_table_copy(table=table)
            messages.success(request, _("Draft version %(version)s made; change its rules, then publish it.")
                             % {"version": draft.version})  # fmt: skip

    @admin.action(description=_("Publish the selected draft (it becomes the rules in force)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[RouteTable]) -> None:
        for table in queryset:
            try:
                services.route_table_publish(table=table, acting_user=request.user)
            except services.CaseError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Version %(version)s is now in force.") % {"version": table.version})

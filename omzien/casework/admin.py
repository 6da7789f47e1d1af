# SPDX-License-Identifier: EUPL-1.2
"""Partner API keys in the admin: issue (the key is shown once), rotate and revoke; every use listed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from omzien.casework import services
from omzien.casework.models import PartnerToken, TokenUse


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

# SPDX-License-Identifier: EUPL-1.2
"""The policy screen in the admin: one row per declared key, its value edited in a field of its kind,
and the change history (who, when, why) through simple-history's "History" page."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import path
from django.utils.translation import gettext_lazy as _

from simple_history.admin import SimpleHistoryAdmin

from omzien.policy.models import Policy
from omzien.policy.store import declaration, from_json, to_json


def _value_field(kind: str, help_text: Any) -> forms.Field:
    if kind == "int":
        return forms.IntegerField(label=_("Value"), help_text=help_text)
    if kind == "decimal":
        return forms.DecimalField(label=_("Value"), help_text=help_text, max_digits=12, decimal_places=3)
    if kind == "duration_hours":
        return forms.DecimalField(label=_("Value (hours)"), help_text=help_text, min_value=Decimal(0), decimal_places=2)
    if kind == "duration_days":
        return forms.DecimalField(label=_("Value (days)"), help_text=help_text, min_value=Decimal(0), decimal_places=2)
    if kind == "text":
        return forms.CharField(label=_("Value"), help_text=help_text, widget=forms.Textarea(attrs={"rows": 3}))
    return forms.JSONField(label=_("Value (JSON)"), help_text=help_text, widget=forms.Textarea(attrs={"rows": 12}))


class PolicyForm(forms.ModelForm):
    # Declared here so the admin lays the field out (it builds its fieldsets from the declared fields);
    # each row's own kind of field replaces it in __init__.
    value = forms.CharField(label=_("Value"))
    change_reason = forms.CharField(
        label=_("Reason for the change"), max_length=100, required=False,
        help_text=_("For instance the council decision this follows. Kept in the history."),
    )  # fmt: skip

    class Meta:
        model = Policy
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decl = declaration(self.instance.key)
        if self.decl is None:
            return
        self.fields["value"] = _value_field(self.decl.kind, self.decl.help_text)
        stored = self.instance.value
        if self.decl.kind in ("duration_hours", "duration_days"):
            self.initial["value"] = stored
        elif self.decl.kind != "json":
            self.initial["value"] = from_json(self.decl.kind, stored)
        else:
            self.initial["value"] = stored

    def clean_value(self) -> Any:
        value = self.cleaned_data["value"]
        if self.decl is None:
            return value
        kind = self.decl.kind
        if kind in ("duration_hours", "duration_days"):
            amount = float(value)
            return int(amount) if amount == int(amount) else amount
        if kind == "json" and not isinstance(value, type(self.decl.default)):
            raise forms.ValidationError(
                _("This value must have the same shape as the default (%(shape)s).")
                % {"shape": type(self.decl.default).__name__}
            )
        return to_json(kind, value)

    def save(self, commit: bool = True) -> Policy:
        if self.decl is not None:
            self.instance.value = self.cleaned_data["value"]
        self.instance._change_reason = self.cleaned_data.get("change_reason", "")  # type: ignore[attr-defined]
        return super().save(commit)


@admin.register(Policy)
class PolicyAdmin(SimpleHistoryAdmin):
    form = PolicyForm
    list_display = ("label", "key", "shown_value", "updated_at")
    readonly_fields = ("key", "label", "description", "default")
    search_fields = ("key",)
    history_list_display = ("value",)

    @admin.display(description=_("policy"))
    def label(self, obj: Policy) -> str:
        decl = declaration(obj.key)
        return str(decl.label) if decl else _("(no longer used) %(key)s") % {"key": obj.key}

    @admin.display(description=_("explanation"))
    def description(self, obj: Policy) -> str:
        decl = declaration(obj.key)
        return str(decl.help_text) if decl else ""

    @admin.display(description=_("default"))
    def default(self, obj: Policy) -> str:
        decl = declaration(obj.key)
        return str(to_json(decl.kind, decl.default)) if decl else ""

    @admin.display(description=_("value"))
    def shown_value(self, obj: Policy) -> str:
        # As stored (JSON), not as Python writes a dict: {"urgent": 1}, not {'urgent': 1}.
        return json.dumps(obj.value, ensure_ascii=False) if isinstance(obj.value, dict | list) else str(obj.value)

    def get_urls(self) -> list[Any]:
        # simple-history names its version page with positional groups; named ones let every URL be
        # reversed by keyword, as the URL walker does.
        opts = self.model._meta
        version = path(
            "<path:object_id>/history/<str:version_id>/",
            self.admin_site.admin_view(self.history_form_view),
            name=f"{opts.app_label}_{opts.model_name}_simple_history",
        )
        return [version, *super().get_urls()[1:]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rows come from the rooms' declarations (migration and post-migrate sync)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

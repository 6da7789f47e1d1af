# SPDX-License-Identifier: EUPL-1.2
"""Who may reach each URL pattern: the one policy table the URL walker test checks.

Every named URL pattern must have an entry, found by its full name ('admin:index') or by its
namespace ('admin:*'). A new URL without an entry fails the suite (the 18F/tock idea). An entry
names the roles that may use it (or PUBLIC), the HTTP method the walker uses, the status an
allowed visitor gets, and sample arguments that name real objects in the walker's world.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PUBLIC = "public"
ANONYMOUS = "anonymous"

# The roles arrive with the accounts room; until then only the administrator (Django staff) exists.
ROLES = ("administrator",)


@dataclass(frozen=True)
class UrlRule:
    allowed: frozenset[str]
    method: str = "get"
    ok_status: tuple[int, ...] = (200,)
    # Called with the URL pattern's name and the walker's world; returns the reverse() kwargs.
    sample_kwargs: Callable[[str, dict[Any, Any]], dict[str, Any]] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    personal_data: bool = False


def _admin_kwargs(name: str, world: dict[Any, Any]) -> dict[str, Any]:
    """Sample kwargs for the admin site: a real object of the model the URL is about."""
    from django.apps import apps

    from omzien.geo.models import District

    if name == "admin:app_list":
        return {"app_label": "geo"}
    if name == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

        return {
            "content_type_id": ContentType.objects.get_for_model(District).pk,
            "object_id": world[District].pk,
        }
    if name == "admin:auth_user_password_change":
        return {"id": world["admin_user"].pk}
    if name == "admin:password_change":
        return {}
    for action in ("_change", "_delete", "_history"):
        if name.endswith(action):
            stem = name.removeprefix("admin:").removesuffix(action)
            model = next(m for m in apps.get_models() if f"{m._meta.app_label}_{m._meta.model_name}" == stem)
            obj = world[model]  # the walker's world holds one object of every admin model
            return {"object_id": obj.pk}
    return {}


POLICY: dict[str, UrlRule] = {
    "home": UrlRule(allowed=frozenset({PUBLIC})),
    "healthz": UrlRule(allowed=frozenset({PUBLIC})),
    "set_language": UrlRule(
        allowed=frozenset({PUBLIC}), method="post", ok_status=(302,), data={"language": "en", "next": "/"}
    ),
    "admin:login": UrlRule(allowed=frozenset({PUBLIC}), ok_status=(200, 302)),
    "admin:logout": UrlRule(allowed=frozenset({PUBLIC}), method="post", ok_status=(200, 302)),
    # The admin's autocomplete answers JSON for a field that has autocomplete switched on.
    "admin:autocomplete": UrlRule(
        allowed=frozenset({"administrator"}),
        data={"app_label": "geo", "model_name": "postcode", "field_name": "neighbourhood", "term": "Oog"},
    ),
    # No model has a public page yet, so 'view on site' finds nothing to show (404) for staff.
    "admin:view_on_site": UrlRule(
        allowed=frozenset({"administrator"}), ok_status=(404,), sample_kwargs=_admin_kwargs
    ),
    # Task results are written by the worker only; nobody adds them by hand.
    "admin:django_tasks_database_dbtaskresult_add": UrlRule(allowed=frozenset()),
    "admin:django_tasks_database_dbtaskresult_delete": UrlRule(
        allowed=frozenset(), sample_kwargs=_admin_kwargs
    ),
    "admin:*": UrlRule(
        allowed=frozenset({"administrator"}), ok_status=(200, 302), sample_kwargs=_admin_kwargs
    ),
}


def rule_for(name: str) -> UrlRule | None:
    """Return the policy entry for a URL name, exact match first, then its namespace wildcard."""
    if name in POLICY:
        return POLICY[name]
    if ":" in name:
        return POLICY.get(name.split(":", 1)[0] + ":*")
    return None

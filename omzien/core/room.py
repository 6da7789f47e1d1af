# SPDX-License-Identifier: EUPL-1.2
"""The core room's declaration: the pages that belong to no room (home, health, language) and the admin site."""

from __future__ import annotations

from typing import Any

from omzien.lib.rooms import PUBLIC, Room, UrlRule

ADMINISTRATOR = frozenset({"administrator"})


def _admin_kwargs(name: str, world: Any) -> dict[str, Any]:
    """Sample kwargs for the admin site: a real object of the model the URL is about."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from omzien.geo.models import District

    objects = world.extra["admin_objects"]
    if name == "admin:app_list":
        return {"app_label": "geo"}
    if name == "admin:view_on_site":
        return {
            "content_type_id": ContentType.objects.get_for_model(District).pk,
            "object_id": objects[District].pk,
        }
    if name == "admin:auth_user_password_change":  # Django names it so for any user model
        return {"id": objects["admin_user"].pk}
    if name == "admin:password_change":
        return {}
    if name.endswith("_simple_history"):  # one past version of a model with django-simple-history
        stem = name.removeprefix("admin:").removesuffix("_simple_history")
        model = next(m for m in apps.get_models() if f"{m._meta.app_label}_{m._meta.model_name}" == stem)
        obj = objects[model]
        return {"object_id": obj.pk, "version_id": obj.history.earliest().history_id}
    for action in ("_change", "_delete", "_history"):
        if name.endswith(action):
            stem = name.removeprefix("admin:").removesuffix(action)
            model = next(m for m in apps.get_models() if f"{m._meta.app_label}_{m._meta.model_name}" == stem)
            obj = objects[model]  # the walker's world holds one object of every admin model
            return {"object_id": obj.pk}
    return {}


ROOM = Room(
    label="core",
    url_policy={
        "home": UrlRule(allowed=frozenset({PUBLIC})),
        "healthz": UrlRule(allowed=frozenset({PUBLIC})),
        "processing_register": UrlRule(allowed=frozenset({PUBLIC})),
        "algorithm_register": UrlRule(allowed=frozenset({PUBLIC})),
        "set_language": UrlRule(
            allowed=frozenset({PUBLIC}), method="post", ok_status=(302,), data={"language": "en", "next": "/"}
        ),
        # The admin's own login sends everyone to Omzien's login (and for staff straight on to the admin).
        "admin:login": UrlRule(allowed=ADMINISTRATOR, ok_status=(302,)),
        "admin:logout": UrlRule(allowed=frozenset({PUBLIC}), method="post", ok_status=(200, 302)),
        # The admin's autocomplete answers JSON for a field that has autocomplete switched on.
        "admin:autocomplete": UrlRule(
            allowed=ADMINISTRATOR,
            data={"app_label": "geo", "model_name": "postcode", "field_name": "neighbourhood", "term": "Oog"},
        ),
        # No model has a public page yet, so 'view on site' finds nothing to show (404) for staff.
        "admin:view_on_site": UrlRule(allowed=ADMINISTRATOR, ok_status=(404,), sample_kwargs=_admin_kwargs),
        "admin:*": UrlRule(allowed=ADMINISTRATOR, ok_status=(200, 302), sample_kwargs=_admin_kwargs),
    },
)

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

# Every role (accounts.roles.Role values); the walker logs in as each, and as nobody.
ROLES = (
    "resident", "volunteer", "meal_host", "neighbourhood_professional", "coordinator", "activity_provider",
    "social_broker", "policy_officer", "administrator",
)  # fmt: skip
EVERY_ROLE = frozenset(ROLES)
# Roles that work with residents' records (which ones: residents.permissions).
WITH_RESIDENTS = frozenset(
    {
        "neighbourhood_professional",
        "coordinator",
        "activity_provider",
        "social_broker",
        "volunteer",
        "meal_host",
    }
)


@dataclass(frozen=True)
class UrlRule:
    allowed: frozenset[str]
    method: str = "get"
    ok_status: tuple[int, ...] = (200,)
    # Called with the URL pattern's name and the walker's world; returns the reverse() kwargs.
    sample_kwargs: Callable[[str, Any], dict[str, Any]] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    personal_data: bool = False


def _resident_a(name: str, world: Any) -> dict[str, Any]:
    """The resident that team A and its partners have a reason to see (lib.testing.world)."""
    return {"public_id": world.residents["a"].public_id}


def _admin_kwargs(name: str, world: Any) -> dict[str, Any]:
    """Sample kwargs for the admin site: a real object of the model the URL is about."""
    from django.apps import apps

    from omzien.geo.models import District

    objects = world.extra["admin_objects"]
    if name == "admin:app_list":
        return {"app_label": "geo"}
    if name == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

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


def _activity(name: str, world: Any) -> dict[str, Any]:
    """The world's activity, run by the activity provider's organisation, with resident A registered."""
    return {"public_id": world.extra["activity"].public_id}


PROVIDER = frozenset({"activity_provider"})


def _service_at_location(name: str, world: Any) -> dict[str, Any]:
    from omzien.hsds.documents import service_at_location_id

    return {"id": service_at_location_id(world.extra["activity"])}


POLICY: dict[str, UrlRule] = {
    "home": UrlRule(allowed=frozenset({PUBLIC})),
    # Accounts: logging in and out is public; the rest needs a logged-in user of any role.
    "accounts:login": UrlRule(allowed=frozenset({PUBLIC}), ok_status=(200, 302)),
    "accounts:logout": UrlRule(allowed=frozenset({PUBLIC}), method="post", ok_status=(302,)),
    "accounts:two_factor": UrlRule(allowed=EVERY_ROLE, ok_status=(200, 302)),
    "accounts:two_factor_setup": UrlRule(allowed=EVERY_ROLE, ok_status=(200, 302)),
    "accounts:session_extend": UrlRule(allowed=EVERY_ROLE, method="post"),
    "accounts:start": UrlRule(allowed=EVERY_ROLE),
    # 404 while demo mode is off (as in the tests); test_demo_login covers it switched on.
    "accounts:demo_login": UrlRule(
        allowed=frozenset({PUBLIC}), method="post", ok_status=(302, 404), data={"role": "resident"}
    ),
    "accounts:password_reset": UrlRule(allowed=frozenset({PUBLIC})),
    "accounts:password_reset_done": UrlRule(allowed=frozenset({PUBLIC})),
    "accounts:password_reset_confirm": UrlRule(
        allowed=frozenset({PUBLIC}),
        sample_kwargs=lambda name, world: {"uidb64": "MQ", "token": "set-password"},
    ),
    "accounts:password_reset_complete": UrlRule(allowed=frozenset({PUBLIC})),
    # Residents: the access functions decide whom; these rules decide which roles reach the page.
    "residents:list": UrlRule(allowed=WITH_RESIDENTS, personal_data=True),
    "residents:create": UrlRule(allowed=frozenset({"neighbourhood_professional"}), personal_data=True),
    "residents:detail": UrlRule(allowed=WITH_RESIDENTS, sample_kwargs=_resident_a, personal_data=True),
    "residents:consent": UrlRule(
        allowed=frozenset({"neighbourhood_professional"}), sample_kwargs=_resident_a, personal_data=True
    ),
    "residents:mine": UrlRule(allowed=frozenset({"resident"}), personal_data=True),
    "residents:my_access_log": UrlRule(allowed=frozenset({"resident"}), personal_data=True),
    "residents:figures": UrlRule(allowed=frozenset({"policy_officer"})),
    "wellbeing:self_test": UrlRule(allowed=frozenset({PUBLIC})),
    "wellbeing:contact_requests": UrlRule(
        allowed=frozenset({"neighbourhood_professional"}), personal_data=True
    ),
    "wellbeing:contact_request_handled": UrlRule(
        allowed=frozenset({"neighbourhood_professional"}),
        method="post",
        ok_status=(302,),
        sample_kwargs=lambda name, world: {"pk": world.extra["contact_request"].pk},
    ),
    "wellbeing:measurements": UrlRule(
        allowed=frozenset({"neighbourhood_professional"}), sample_kwargs=_resident_a, personal_data=True
    ),
    "wellbeing:measurement_create": UrlRule(
        allowed=frozenset({"neighbourhood_professional"}),
        sample_kwargs=lambda name, world: _resident_a(name, world) | {"instrument": "djg11"},
        personal_data=True,
    ),
    # Activities (sociale kaart): search and activity pages are public; the rest by role, objects by room rules.
    "activities:search": UrlRule(allowed=frozenset({PUBLIC})),
    "activities:districts_geojson": UrlRule(allowed=frozenset({PUBLIC})),
    "activities:detail": UrlRule(allowed=frozenset({PUBLIC}), sample_kwargs=_activity),
    "activities:register": UrlRule(
        allowed=frozenset({"resident"}),
        method="post",
        ok_status=(302,),
        sample_kwargs=_activity,
        data={"consent": "yes"},
    ),
    "activities:register_on_behalf": UrlRule(
        allowed=frozenset({"neighbourhood_professional", "coordinator"}),
        sample_kwargs=_activity,
        personal_data=True,
    ),
    "activities:mine": UrlRule(allowed=frozenset({"resident"}), personal_data=True),
    "activities:client": UrlRule(
        allowed=frozenset({"neighbourhood_professional", "coordinator"}),
        sample_kwargs=_resident_a,
        personal_data=True,
    ),
    "activities:manage": UrlRule(allowed=PROVIDER),
    "activities:create": UrlRule(allowed=PROVIDER),
    "activities:upload": UrlRule(allowed=PROVIDER),
    "activities:upload_example": UrlRule(allowed=PROVIDER),
    "activities:edit": UrlRule(allowed=PROVIDER, sample_kwargs=_activity),
    "activities:confirm": UrlRule(allowed=PROVIDER, method="post", ok_status=(302,), sample_kwargs=_activity),
    "activities:participants": UrlRule(allowed=PROVIDER, sample_kwargs=_activity, personal_data=True),
    "activities:attendance": UrlRule(allowed=PROVIDER, sample_kwargs=_activity, personal_data=True),
    "activities:occupancy": UrlRule(
        allowed=frozenset({"coordinator", "activity_provider", "social_broker", "policy_officer"})
    ),
    "activities:occupancy_export": UrlRule(
        allowed=frozenset({"coordinator", "activity_provider", "social_broker", "policy_officer"})
    ),
    "activities:allocation": UrlRule(allowed=frozenset({"coordinator"})),
    # The open API: public, read-only (Open Referral HSDS 3.0), and its description.
    "hsds:info": UrlRule(allowed=frozenset({PUBLIC})),
    "hsds:services": UrlRule(allowed=frozenset({PUBLIC})),
    "hsds:service": UrlRule(
        allowed=frozenset({PUBLIC}), sample_kwargs=lambda n, w: {"id": str(w.extra["activity"].public_id)}
    ),
    "hsds:service_at_locations": UrlRule(allowed=frozenset({PUBLIC})),
    "hsds:service_at_location": UrlRule(allowed=frozenset({PUBLIC}), sample_kwargs=_service_at_location),
    "hsds:organizations": UrlRule(allowed=frozenset({PUBLIC})),
    "hsds:organization": UrlRule(
        allowed=frozenset({PUBLIC}),
        sample_kwargs=lambda n, w: {"id": str(w.organisations["axion"].public_id)},
    ),
    "hsds:taxonomies": UrlRule(allowed=frozenset({PUBLIC})),
    "hsds:taxonomy_terms": UrlRule(allowed=frozenset({PUBLIC})),
    "api_schema": UrlRule(allowed=frozenset({PUBLIC})),
    "api_docs": UrlRule(allowed=frozenset({PUBLIC})),
    "audit:entries": UrlRule(allowed=frozenset({"administrator"})),
    "healthz": UrlRule(allowed=frozenset({PUBLIC})),
    "set_language": UrlRule(
        allowed=frozenset({PUBLIC}), method="post", ok_status=(302,), data={"language": "en", "next": "/"}
    ),
    # The admin's own login sends everyone to Omzien's login (and for staff straight on to the admin).
    "admin:login": UrlRule(allowed=frozenset({"administrator"}), ok_status=(302,)),
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

# SPDX-License-Identifier: EUPL-1.2
import uuid
from collections.abc import Callable
from typing import Any

from django.urls import path, re_path

from omzien.activities.selectors import activity_version, directory_version
from omzien.hsds import views
from omzien.lib.page_cache import cached_public_page


def _directory_version(*_args: Any, **_kwargs: Any) -> str:
    return directory_version()


def _cached(
    view_class: type[views.HsdsView], version: Callable[..., str] = _directory_version
) -> Callable[..., Any]:
    """The open directory's reads answer every client alike: kept a minute, and at once renewed when an activity
    changes (omzien.lib.page_cache; a harvester syncing by modified_after sees every change); a free-text search
    that could name someone is not kept."""
    return cached_public_page(f"hsds-{view_class.__name__}", version=version, anyone=True)(
        view_class.as_view()
    )


def _service_version(id: str) -> str:  # noqa: A002 - the HSDS path parameter
    """One service's answer: renewed when that activity changes, not when any other does."""
    try:
        return activity_version(uuid.UUID(id))
    except ValueError:
        return "none"


app_name = "hsds"

urlpatterns = [
    path("", views.ApiInfo.as_view(), name="info"),
    path("profile", views.profile, name="profile"),
    path("services", _cached(views.ServiceList), name="services"),
    path("services/<str:id>", _cached(views.ServiceDetail, _service_version), name="service"),
    path("service_at_locations", _cached(views.ServiceAtLocationList), name="service_at_locations"),
    path("service_at_locations/<str:id>", _cached(views.ServiceAtLocationDetail), name="service_at_location"),
    path("organizations", _cached(views.OrganizationList), name="organizations"),
    path("organizations/<str:id>", _cached(views.OrganizationDetail), name="organization"),
    path("taxonomies", _cached(views.TaxonomyList), name="taxonomies"),
    path("taxonomies/<str:id>", _cached(views.TaxonomyDetail), name="taxonomy"),
    path("taxonomy_terms", _cached(views.TaxonomyTermList), name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", _cached(views.TaxonomyTermDetail), name="taxonomy_term"),
    # Anything else under /api/hsds/ is a JSON 404 with CORS, like every error of the API.
    re_path(r"^(?P<rest>.*)$", views.NotFound.as_view(), name="not_found"),
]

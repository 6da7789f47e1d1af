# SPDX-License-Identifier: EUPL-1.2
from django.urls import path, re_path

from omzien.hsds import views

app_name = "hsds"

urlpatterns = [
    path("", views.ApiInfo.as_view(), name="info"),
    path("profile", views.profile, name="profile"),
    path("services", views.ServiceList.as_view(), name="services"),
    path("services/<str:id>", views.ServiceDetail.as_view(), name="service"),
    path("service_at_locations", views.ServiceAtLocationList.as_view(), name="service_at_locations"),
    path(
        "service_at_locations/<str:id>", views.ServiceAtLocationDetail.as_view(), name="service_at_location"
    ),
    path("organizations", views.OrganizationList.as_view(), name="organizations"),
    path("organizations/<str:id>", views.OrganizationDetail.as_view(), name="organization"),
    path("taxonomies", views.TaxonomyList.as_view(), name="taxonomies"),
    path("taxonomies/<str:id>", views.TaxonomyDetail.as_view(), name="taxonomy"),
    path("taxonomy_terms", views.TaxonomyTermList.as_view(), name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", views.TaxonomyTermDetail.as_view(), name="taxonomy_term"),
    # Anything else under /api/hsds/ is a JSON 404 with CORS, like every error of the API.
    re_path(r"^(?P<rest>.*)$", views.NotFound.as_view(), name="not_found"),
]

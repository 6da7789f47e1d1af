# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.wellbeing import views

app_name = "wellbeing"

urlpatterns = [
    path("zelftest/", views.self_test, name="self_test"),
    path("contactverzoeken/", views.contact_requests, name="contact_requests"),
    path(
        "contactverzoeken/<int:pk>/afgehandeld/",
        views.contact_request_handled,
        name="contact_request_handled",
    ),
    path("bewoners/<uuid:public_id>/metingen/", views.measurement_list, name="measurements"),
    path(
        "bewoners/<uuid:public_id>/metingen/nieuw/<slug:instrument>/",
        views.measurement_create,
        name="measurement_create",
    ),
]

# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.wellbeing import views

app_name = "wellbeing"

urlpatterns = [
    path("zelftest/", views.self_test, name="self_test"),
    path("bewoners/<uuid:public_id>/metingen/", views.measurement_list, name="measurements"),
    path(
        "bewoners/<uuid:public_id>/metingen/nieuw/<slug:instrument>/",
        views.measurement_create,
        name="measurement_create",
    ),
]

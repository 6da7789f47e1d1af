# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.activities import views

app_name = "activities"

urlpatterns = [
    path("activiteiten/", views.search, name="search"),
    path("activiteiten/wijken.geojson", views.districts_geojson, name="districts_geojson"),
    path("activiteiten/<uuid:public_id>/", views.detail, name="detail"),
    path("activiteiten/<uuid:public_id>/aanmelden/", views.register, name="register"),
    path(
        "activiteiten/<uuid:public_id>/aanmelden-voor-client/",
        views.register_on_behalf,
        name="register_on_behalf",
    ),
    path("mijn/activiteiten/", views.mine, name="mine"),
    path("bewoners/<uuid:public_id>/activiteiten/", views.client, name="client"),
    path("aanbod/", views.manage, name="manage"),
    path("aanbod/nieuw/", views.create, name="create"),
    path("aanbod/uploaden/", views.upload, name="upload"),
    path("aanbod/voorbeeld.csv", views.upload_example, name="upload_example"),
    path("aanbod/<uuid:public_id>/", views.edit, name="edit"),
    path("aanbod/<uuid:public_id>/bevestigen/", views.confirm, name="confirm"),
    path("aanbod/<uuid:public_id>/deelnemers/", views.participants, name="participants"),
    path("aanbod/<uuid:public_id>/aanwezigheid/", views.attendance, name="attendance"),
    path("bezetting/", views.occupancy, name="occupancy"),
    path("bezetting.csv", views.occupancy_export, name="occupancy_export"),
    path("bezetting/toewijzingsronde/", views.allocation_round, name="allocation"),
]

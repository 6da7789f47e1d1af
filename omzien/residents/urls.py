# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.residents import views

app_name = "residents"

urlpatterns = [
    path("bewoners/", views.resident_list, name="list"),
    path("bewoners/nieuw/", views.resident_create, name="create"),
    path("bewoners/<uuid:public_id>/", views.resident_detail, name="detail"),
    path("bewoners/<uuid:public_id>/toestemming/", views.consent_update, name="consent"),
    path("mijn/gegevens/", views.my_details, name="mine"),
    path("mijn/inzage/", views.my_access_log, name="my_access_log"),
    path("cijfers/", views.figures, name="figures"),
]

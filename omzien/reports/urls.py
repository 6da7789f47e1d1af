# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.reports import views
from omzien.reports.api import views as api

app_name = "reports"
urlpatterns = [
    path("monitor/", views.index, name="index"),
    path("monitor/nieuw/", views.upload, name="upload"),
    path("monitor/nieuw/demo/", views.demo_run, name="demo_run"),
    path("monitor/vergelijken/", views.compare, name="compare"),
    path("monitor/berekening/<int:pk>/", views.run, name="run"),
    path("monitor/<int:pk>/", views.edition, name="edition"),
    path("monitor/<int:pk>/publiceren/", views.publish, name="publish"),
    path("monitor/<int:pk>/cijfers.csv", views.edition_csv, name="edition_csv"),
    path("api/monitor/edities/", api.EditionList.as_view(), name="api_editions"),
    path("api/monitor/edities/<int:pk>/", api.EditionDetail.as_view(), name="api_edition"),
]

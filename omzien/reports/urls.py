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
    path("raad/", views.council, name="council"),
    path("raad/rapporten/nieuw/", views.council_report_make, name="council_report_make"),
    path("raad/rapporten/<int:pk>/", views.council_report, name="council_report"),
    path("raad/rapporten/<int:pk>/raadsinformatiebrief.pdf", views.council_report_file, {"kind": "pdf"},
         name="council_report_pdf"),
    path("raad/rapporten/<int:pk>/raadsinformatiebrief.html", views.council_report_file, {"kind": "html"},
         name="council_report_html"),
    path("raad/wat-als/", views.whatif, name="whatif"),
    path("raad/wat-als/vergelijken/", views.whatif_compare, name="whatif_compare"),
    path("raad/wat-als/<int:pk>/", views.whatif_scenario, name="whatif_scenario"),
    path("api/monitor/edities/", api.EditionList.as_view(), name="api_editions"),
    path("api/monitor/edities/<int:pk>/", api.EditionDetail.as_view(), name="api_edition"),
]

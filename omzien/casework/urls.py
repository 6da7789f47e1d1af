# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.casework import views
from omzien.casework.api import views as api

app_name = "casework"

urlpatterns = [
    path("zorgmelding/", views.public_report, name="public_report"),
    path("zorgmelding/ontvangen/", views.public_report_done, name="public_report_done"),
    path("melden/", views.report, name="report"),
    path("mijn-meldingen/", views.reported, name="reported"),
    path("meldingen/", views.queue, name="queue"),
    path("meldingen/<uuid:public_id>/", views.signal_detail, name="signal"),
    path("meldingen/<uuid:public_id>/toewijzen/", views.signal_assign, name="signal_assign"),
    path("meldingen/<uuid:public_id>/notitie/", views.signal_note, name="signal_note"),
    path("meldingen/<uuid:public_id>/dubbel/", views.signal_duplicate, name="signal_duplicate"),
    path("meldingen/<uuid:public_id>/besluit/", views.signal_decide, name="signal_decide"),
    path("meldingen/<uuid:public_id>/informatie-bewoner/", views.signal_notice, name="signal_notice"),
    path("luisterlijn/", views.calls, name="calls"),
    path("api/casework/signals/", api.SignalCreate.as_view(), name="api_signals"),
    path("api/casework/signals/<uuid:public_id>/", api.SignalStatus.as_view(), name="api_signal"),
]

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
    # Cases.
    path("werklijst/", views.worklist, name="worklist"),
    path("clienten/", views.clients, name="clients"),
    path("clienten/nieuw/<uuid:public_id>/", views.case_new, name="case_new"),
    path("clienten/<uuid:public_id>/", views.case_detail, name="case"),
    path("clienten/<uuid:public_id>/intake/", views.intake, name="intake"),
    path("clienten/<uuid:public_id>/advies/", views.route_advice, name="advice"),
    path("clienten/<uuid:public_id>/verwijzen/<slug:route>/", views.referral_new, name="referral_new"),
    path("clienten/<uuid:public_id>/wmo-melding/", views.case_wmo, name="case_wmo"),
    path("clienten/<uuid:public_id>/afsluiten/", views.case_close, name="case_close"),
    path("clienten/<uuid:public_id>/toewijzen/", views.case_assign, name="case_assign"),
    path("verwijzingen/", views.referrals_received, name="referrals_received"),
    path("verwijzingen/<uuid:public_id>/", views.referral_detail, name="referral"),
    path("verwijzingen/<uuid:public_id>/antwoord/", views.referral_answer, name="referral_answer"),
    path("vervolg/<uuid:public_id>/", views.follow_up, name="follow_up"),
    path("vervolg/<uuid:public_id>/link/", views.follow_up_link, name="follow_up_link"),
    path("vervolgmeting/<str:token>/", views.follow_up_answer, name="answer"),
    path("api/casework/signals/", api.SignalCreate.as_view(), name="api_signals"),
    path("api/casework/signals/<uuid:public_id>/", api.SignalStatus.as_view(), name="api_signal"),
]

# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.initiatives import views

app_name = "initiatives"

urlpatterns = [
    # Public: the application and the community centres.
    path("bewonersinitiatief/", views.apply, name="apply"),
    path("bewonersinitiatief/ontvangen/", views.apply_done, name="apply_done"),
    path("buurthuizen/", views.centres, name="centres"),
    path("buurthuizen/<uuid:public_id>/", views.centre, name="centre"),
    # The broker's initiatives.
    path("initiatieven/", views.initiative_list, name="list"),
    path("initiatieven/budget/", views.budget, name="budget"),
    path("initiatieven/bereik/", views.reach, name="reach"),
    path("initiatieven/foto/<uuid:public_id>/", views.photo, name="photo"),
    path("initiatieven/<uuid:public_id>/", views.initiative_detail, name="detail"),
    path("initiatieven/<uuid:public_id>/stap/", views.initiative_step, name="step"),
    path("initiatieven/<uuid:public_id>/toekennen/", views.initiative_grant, name="grant"),
    path("initiatieven/<uuid:public_id>/afwijzen/", views.initiative_decline, name="decline"),
    path("initiatieven/<uuid:public_id>/evaluatie/", views.initiative_evaluate, name="evaluate"),
    path("initiatieven/<uuid:public_id>/vaststelling/", views.initiative_settle, name="settle"),
    path("initiatieven/<uuid:public_id>/notitie/", views.initiative_note, name="note"),
    path("initiatieven/<uuid:public_id>/foto/", views.initiative_photo, name="photo_add"),
    path("initiatieven/<uuid:public_id>/publiceren/", views.initiative_publish, name="publish"),
    path("initiatieven/<uuid:public_id>/vrijwilligers/", views.initiative_vacancy, name="vacancy"),
    path("initiatieven/<uuid:public_id>/brief/", views.initiative_letter, name="letter"),
    path("initiatieven/<uuid:public_id>/brief/pdf/", views.initiative_letter_pdf, name="letter_pdf"),
    # Community centres: calendar, bookings, visitors.
    path("buurthuizen/<uuid:public_id>/agenda/", views.centre_calendar, name="calendar"),
    path("buurthuizen/<uuid:public_id>/boeken/", views.book, name="book"),
    path("buurthuizen/<uuid:public_id>/bezoekers/", views.visitors, name="visitors"),
    path("boekingen/<uuid:public_id>/annuleren/", views.booking_cancel, name="booking_cancel"),
    # The broker's network.
    path("netwerk/", views.network, name="network"),
    path("netwerk/zorg/", views.worry, name="worry"),
    path("netwerk/<uuid:public_id>/", views.key_figure, name="key_figure"),
]

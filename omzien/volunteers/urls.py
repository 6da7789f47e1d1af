# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.volunteers import pair_views, views

app_name = "volunteers"

urlpatterns = [
    # Public
    path("vrijwilligerswerk/", views.vacancies, name="vacancies"),
    path("vrijwilligerswerk/<uuid:public_id>/", views.vacancy, name="vacancy"),
    path("vrijwilligerswerk/aanmelden/", views.signup, name="signup"),
    path("vrijwilligerswerk/aanmelden/bedankt/", views.signup_done, name="signup_done"),
    path("vrijwilligerswerk/trainingen/", views.trainings, name="trainings"),
    path("mantelzorg/aanmelden/", views.carer_signup, name="carer_signup"),
    path("mantelzorg/aanmelden/bedankt/", views.carer_signup_done, name="carer_signup_done"),
    # The volunteer's own
    path("mijn/vrijwilligerswerk/", views.mine, name="mine"),
    path("vrijwilligerswerk/trainingen/<uuid:public_id>/aanmelden/", views.training_register, name="training_register"),
    path("mijn/vrijwilligerswerk/trainingen/<uuid:public_id>/afmelden/", views.training_cancel, name="training_cancel"),
    path("mijn/vrijwilligerswerk/trainingen/<uuid:public_id>/certificaat.pdf", views.certificate, name="certificate"),
    # Coordinators
    path("vrijwilligers/", views.overview, name="overview"),
    path("vrijwilligers/lijst/", views.volunteer_list, name="list"),
    path("vrijwilligers/nieuw/", views.volunteer_create, name="create"),
    path("vrijwilligers/<uuid:public_id>/", views.detail, name="detail"),
    path("vrijwilligers/<uuid:public_id>/intake/", views.intake_action, name="intake_action"),
    path("vrijwilligers/<uuid:public_id>/gegevens/", views.profile_edit, name="profile_edit"),
    path("vrijwilligers/vacatures/", views.vacancy_manage, name="vacancy_manage"),
    path("vrijwilligers/vacatures/nieuw/", views.vacancy_create, name="vacancy_create"),
    path("vrijwilligers/vacatures/<uuid:public_id>/", views.vacancy_edit, name="vacancy_edit"),
    path("vrijwilligers/trainingen/", views.training_manage, name="training_manage"),
    path("vrijwilligers/trainingen/<uuid:public_id>/aanwezigheid/", views.session_attendance, name="session_attendance"),
    path("vrijwilligers/koppelingen/", pair_views.matching, name="matching"),
    path("vrijwilligers/koppelingen/ronde/", pair_views.proposal_round, name="proposal_round"),
    path("vrijwilligers/koppelingen/nieuw/", pair_views.request_create, name="request_create"),
    path("vrijwilligers/koppelingen/verzoek/<uuid:public_id>/", pair_views.request_detail, name="request_detail"),
    path("vrijwilligers/koppelingen/voorstel/<uuid:public_id>/", pair_views.proposal_decide, name="proposal_decide"),
    path("vrijwilligers/koppelingen/koppel/<uuid:public_id>/", pair_views.pair_detail, name="pair_detail"),
    path("vrijwilligers/koppelingen/contactmoment/<uuid:public_id>/", pair_views.check_in, name="check_in"),
    path("vrijwilligers/duurzaamheid/", pair_views.durability, name="durability"),
    path("mijn/koppelingen/<uuid:public_id>/", pair_views.my_pair, name="my_pair"),
    path("mijn/maatje/", pair_views.my_requests, name="my_requests"),
    path("mijn/gasten/", pair_views.my_guests, name="my_guests"),
    path("mijn/gasten/<uuid:public_id>/", pair_views.my_pair, name="my_guest"),
    path("mantelzorgers/", views.carers, name="carers"),
    path("mantelzorgers/<uuid:public_id>/", views.carer_detail, name="carer_detail"),
]

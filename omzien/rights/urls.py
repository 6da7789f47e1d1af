# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.rights import views

app_name = "rights"

urlpatterns = [
    path("mijn/privacy/", views.mine, name="mine"),
    path("mijn/privacy/mijn-gegevens.json", views.export_json, name="export_json"),
    path("mijn/privacy/mijn-gegevens-pdf/", views.export_pdf_prepare, name="export_pdf_prepare"),
    path("mijn/privacy/mijn-gegevens.pdf", views.export_pdf, name="export_pdf"),
    path("bewoners/<uuid:public_id>/inlogcode/", views.link_code_create, name="link_code_create"),
    path("mijn/ondersteuning/", views.my_support, name="my_support"),
    path("mijn/toestemmingen/", views.my_consents, name="my_consents"),
    path("mijn/koppelen/", views.link_account, name="link_account"),
    path("privacy/verzoeken/", views.queue, name="queue"),
    path("privacy/verzoeken/<uuid:public_id>/", views.detail, name="detail"),
    path("privacy/verzoeken/<uuid:public_id>/verlengen/", views.extend, name="extend"),
    path("privacy/verzoeken/<uuid:public_id>/besluit/", views.decide, name="decide"),
    path("privacy/verzoeken/<uuid:public_id>/opheffen/", views.lift, name="lift"),
    path("privacy/verklaring/", views.privacy_statement, name="privacy_statement"),
    path("privacy/verwerkingen.csv", views.register_csv, name="register_csv"),
    path("privacy/wie-ziet-wat/", views.matrix, name="matrix"),
    path("algoritmes.csv", views.algorithms_csv, name="algorithms_csv"),
    path("cookies/", views.cookies, name="cookies"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
]

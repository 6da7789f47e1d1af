# SPDX-License-Identifier: EUPL-1.2
"""The URL map. Every pattern here must have an entry in ``omzien.conf.url_policy``."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from drf_spectacular.views import SpectacularAPIView

from omzien.core import views as core_views
from omzien.hsds import views as hsds_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("taal/", set_language, name="set_language"),
    path("account/", include("omzien.accounts.urls")),
    path("audit/", include("omzien.audit.urls")),
    path("", include("omzien.residents.urls")),
    path("", include("omzien.wellbeing.urls")),
    path("", include("omzien.activities.urls")),
    path("", include("omzien.reports.urls")),
    path("api/hsds/", include("omzien.hsds.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/", hsds_views.api_docs, name="api_docs"),
    path("beheer/", admin.site.urls),
]

handler403 = "omzien.core.views.error_403"
handler404 = "omzien.core.views.error_404"
handler500 = "omzien.core.views.error_500"

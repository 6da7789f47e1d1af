# SPDX-License-Identifier: EUPL-1.2
"""The URL map: the site-wide pages, then every room's ``urls.py`` where its ``room.py`` mounts it.

Every pattern must have an entry in the URL policy (``omzien.conf.url_policy``, collected from the
rooms). ``urlpatterns`` is built when Django first asks for it (and again after a test changes
``INSTALLED_APPS``), because the rooms are known only once the app registry is ready.
"""

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from omzien.core import views as core_views
from omzien.lib.rooms import rooms


def _patterns() -> list[Any]:
    from omzien.hsds import views as hsds_views

    site = [
        path("", core_views.home, name="home"),
        path("healthz", core_views.healthz, name="healthz"),
        path("taal/", set_language, name="set_language"),
        path("privacy/verwerkingen/", core_views.processing_register, name="processing_register"),
        path("algoritmes/", core_views.algorithm_register, name="algorithm_register"),
    ]
    mounted = [
        path(room.urls, include(f"{apps.get_app_config(room.label).name}.urls"))
        for room in rooms()
        if room.urls is not None
    ]
    return [
        *site,
        *mounted,
        path("api/schema/", hsds_views.schema_document, name="api_schema"),
        path("api/", hsds_views.api_docs, name="api_docs"),
        path("beheer/", admin.site.urls),
    ]


def __getattr__(name: str) -> Any:
    if name == "urlpatterns":
        return _patterns()
    raise AttributeError(name)


handler400 = "omzien.core.views.error_400"
handler403 = "omzien.core.views.error_403"
handler404 = "omzien.core.views.error_404"
handler500 = "omzien.core.views.error_500"

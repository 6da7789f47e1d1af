# SPDX-License-Identifier: EUPL-1.2
"""The admin site ('/beheer/'): only for the administrator role, behind Omzien's own login.

Django's admin would send a logged-in user without access to its own login form; here such a user
gets 403, and nobody logs in anywhere but Omzien's login (with its lock-out and second factor).
"""

from __future__ import annotations

from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Task arguments can hold e-mail addresses and other personal data; they are not browsable here.
NOT_IN_ADMIN = {"django_tasks_database.dbtaskresult"}
# Models whose admin Omzien replaces with its own (registered first, by an Omzien app): the
# third-party admin for them is ignored. django-otp's would show a device's secret key.
REPLACED_IN_ADMIN = {"otp_totp.totpdevice"}


class OmzienAdminSite(admin.AdminSite):
    site_header = site_title = "Omzien beheer"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models = model_or_iterable if isinstance(model_or_iterable, list | tuple) else [model_or_iterable]
        kept = [
            model
            for model in models
            if model._meta.label_lower not in NOT_IN_ADMIN
            and not (model._meta.label_lower in REPLACED_IN_ADMIN and self.is_registered(model))
        ]
        if kept:
            super().register(kept, admin_class, **options)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, view)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:  # type: ignore[override]
        target = request.GET.get("next") or reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(target)
        if self.has_permission(request):
            return redirect(target)
        raise PermissionDenied

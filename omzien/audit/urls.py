# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.audit import views

app_name = "audit"

urlpatterns = [path("", views.entries, name="entries")]

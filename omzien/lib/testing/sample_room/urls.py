# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from omzien.lib.testing.sample_room import views

app_name = "sample_room"

urlpatterns = [path("", views.visits, name="visits")]

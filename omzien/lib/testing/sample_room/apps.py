# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig


class SampleRoomConfig(AppConfig):
    """The tests' sample room (never installed outside them)."""

    name = "omzien.lib.testing.sample_room"
    label = "sample_room"
    default_auto_field = "django.db.models.BigAutoField"

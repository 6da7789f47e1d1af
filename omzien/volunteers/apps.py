# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """The volunteer centre: volunteers and their intake, VOGs, vacancies, trainings, informal carers."""

    name = "omzien.volunteers"
    verbose_name = _("Volunteer centre")

# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """The volunteer centre: volunteers and their intake, VOGs, vacancies, trainings, informal carers."""

    name = "omzien.volunteers"
    verbose_name = _("Volunteer centre")

    def ready(self) -> None:
        from omzien.casework.services import referral_sent, referral_status_changed
        from omzien.volunteers.receivers import close_request_for_referral, open_request_for_referral

        referral_sent.connect(open_request_for_referral, dispatch_uid="volunteers.open_request_for_referral")
        referral_status_changed.connect(close_request_for_referral, dispatch_uid="volunteers.close_request_for_referral")

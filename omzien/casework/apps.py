# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """Signals from every channel, routed to the buurtteam, triaged within working-day deadlines."""

    name = "omzien.casework"
    verbose_name = _("Casework")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The self-test's contact requests become signals: a Django signal, because the wellbeing room
        # sits below casework and must not know it exists (STYLE: signals only to decouple rooms).
        from django.db.models.signals import post_save

        from omzien.casework.receivers import contact_request_saved
        from omzien.wellbeing.models import ContactRequest

        post_save.connect(contact_request_saved, sender=ContactRequest, dispatch_uid="casework_contact_request")

        # The default route table comes back after a flush (tests), as the role groups do.
        from django.db.models.signals import post_migrate

        from omzien.casework.services import route_defaults_ensure

        post_migrate.connect(route_defaults_ensure, sender=self, dispatch_uid="casework_route_defaults")

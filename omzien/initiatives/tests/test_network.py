# SPDX-License-Identifier: EUPL-1.2
"""The broker's network: key figures and organisations, contact moments appended, a worry filed as a casework signal."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from omzien.audit.models import AccessLogEntry
from omzien.casework.models import Signal, Source
from omzien.initiatives.models import ContactMoment, KeyFigure
from omzien.initiatives.tests.base import InitiativesTestCase


class NetworkTests(InitiativesTestCase):
    def test_the_broker_keeps_key_figures_and_appends_contact_moments(self) -> None:
        self.login()
        district = self.initiative_a.district_id
        response = self.client.post(reverse("initiatives:network"), {"district": str(district), "kind": "person",
                                    "name": "Saida Sleutel", "role": "leidt de vrouwengroep", "phone": "", "email": ""})  # fmt: skip
        figure = KeyFigure.objects.get(name="Saida Sleutel")
        self.assertRedirects(response, reverse("initiatives:key_figure", args=[figure.public_id]))
        # Only wijken the broker serves can be chosen.
        refused = self.client.post(reverse("initiatives:network"), {"district": str(self.initiative_b.district_id),
                                   "kind": "person", "name": "Elders", "role": "x"})  # fmt: skip
        self.assertEqual(refused.status_code, 400)
        url = reverse("initiatives:key_figure", args=[figure.public_id])
        future = self.client.post(url, {"on": (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat(), "summary": "x"})
        self.assertContains(future, "not for a day still to come", status_code=400)
        self.client.post(url, {"on": timezone.localdate().isoformat(), "summary": "Koffie gedronken", "agreements": "Flyers delen"})
        self.client.post(url, {"on": timezone.localdate().isoformat(), "summary": "Tweede gesprek", "agreements": ""})
        self.assertEqual(ContactMoment.objects.filter(key_figure=figure).count(), 2)
        page = self.client.get(url)
        self.assertContains(page, "Flyers delen")
        self.assertTrue(AccessLogEntry.objects.filter(object_type="key_figure", object_id=str(figure.public_id), action="read").exists())
        self.login(self.other_broker)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertNotContains(self.client.get(reverse("initiatives:network")), "Saida Sleutel")

    def test_a_worried_broker_files_a_signal_with_the_neighbourhood_team(self) -> None:
        self.login()
        figure = self.world.extra["initiatives"]["key_figure"]
        bad = self.client.post(reverse("initiatives:worry"), {"figuur": str(figure.public_id), "last_name": "", "postcode": "9999ZZ"})
        self.assertContains(bad, "Fill in the last name of the person.", status_code=400)
        self.assertContains(bad, 'data-testid="error-summary"', status_code=400)  # omzien/errors.js gives it the focus
        self.assertFalse(Signal.objects.filter(last_name="Eenzaam").exists())
        response = self.client.post(reverse("initiatives:worry"), {
            "figuur": str(figure.public_id), "first_name": "Gerrit", "last_name": "Eenzaam", "street": "Dreef",
            "house_number": "3", "postcode": "3561AB", "concern": "Komt al weken niet buiten.", "urgency": "normal",
        })  # fmt: skip
        self.assertRedirects(response, reverse("initiatives:key_figure", args=[figure.public_id]))
        signal = Signal.objects.get(last_name="Eenzaam")
        self.assertEqual((signal.source, signal.team, signal.reported_by), (Source.SOCIAL_BROKER, self.world.organisations["team_a"], self.broker))
        self.assertTrue(ContactMoment.objects.filter(key_figure=figure, signal_reference=signal.reference).exists())

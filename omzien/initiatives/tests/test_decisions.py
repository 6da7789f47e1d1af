# SPDX-License-Identifier: EUPL-1.2
"""The broker's path through an application: received → in conversation → granted (amount, conditions) or
declined (reason) → running → evaluated → settled, each decision an Awb decision with its letter."""

from __future__ import annotations

from decimal import Decimal

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from omzien.initiatives import services
from omzien.initiatives.models import Budget, Initiative, InitiativeEvent, Status
from omzien.initiatives.selectors import budget_overview
from omzien.initiatives.tests.base import InitiativesTestCase


class DecisionTests(InitiativesTestCase):
    def test_the_broker_takes_an_initiative_from_application_to_settlement_in_the_browser(self) -> None:
        self.login()
        url = reverse("initiatives:detail", args=[self.initiative_a.public_id])
        self.assertEqual(self.client.post(reverse("initiatives:step", args=[self.initiative_a.public_id]), {"stap": "gesprek"}).status_code, 302)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("initiatives:grant", args=[self.initiative_a.public_id]),
                                        {"amount": "380", "conditions": "Open voor iedereen"})  # fmt: skip
        self.assertRedirects(response, url)
        initiative = Initiative.objects.get(pk=self.initiative_a.pk)
        self.assertEqual((initiative.status, initiative.amount_granted, initiative.decided_by), (Status.GRANTED, Decimal("380"), self.broker))
        # The decision goes out by e-mail with the objection clause (Awb 3:45, six weeks).
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("380.00", mail.outbox[0].body)
        self.assertIn("six weeks", mail.outbox[0].body)
        letter = self.client.get(reverse("initiatives:letter", args=[initiative.public_id]))
        self.assertContains(letter, "We grant you € 380")
        self.assertContains(letter, "art. 6:7 Awb")
        self.assertContains(letter, "Postbus 16200")
        self.client.post(reverse("initiatives:step", args=[initiative.public_id]), {"stap": "gestart"})
        response = self.client.post(reverse("initiatives:evaluate", args=[initiative.public_id]),
                                    {"participants": "23", "went_well": "Veel nieuwe gezichten", "could_be_better": ""})  # fmt: skip
        self.assertRedirects(response, url)
        response = self.client.post(reverse("initiatives:settle", args=[initiative.public_id]), {"amount": "500"})
        self.assertContains(response, "between € 0 and the € 380.00 granted", status_code=400)
        self.client.post(reverse("initiatives:settle", args=[initiative.public_id]), {"amount": "350"})
        initiative.refresh_from_db()
        self.assertEqual((initiative.status, initiative.participants_reached, initiative.settled_amount),
                         (Status.EVALUATED, 23, Decimal("350")))  # fmt: skip
        self.assertContains(self.client.get(reverse("initiatives:letter", args=[initiative.public_id]) + "?soort=vaststelling"),
                            "we settle the grant at € 350")  # fmt: skip
        # History is appended: every step is a row, none edited.
        kinds = list(initiative.events.values_list("status", flat=True))
        self.assertEqual([k for k in kinds if k], ["in_conversation", "granted", "running", "evaluated"])
        self.assertTrue(initiative.events.filter(kind=InitiativeEvent.Kind.SETTLED).exists())
        # The budget: the world's grant of 300 and this one of 380, settled at 350: 4,350 of 5,000 left.
        row = budget_overview([initiative.district_id], timezone.localdate().year)[0]
        self.assertEqual((row.granted, row.settled, row.left), (Decimal("680"), Decimal("350"), Decimal("4350")))

    def test_a_grant_beyond_the_wijks_budget_is_refused_and_without_a_budget_too(self) -> None:
        self.granted("4200")  # with the world's grant of 300: 500 left
        second = services.initiative_apply(data=services.ApplicationData(
            title="Wandelgroep", idea="Wandelen", for_whom="buren", where="park", when="zaterdag", expected_participants=10,
            volunteers_needed=0, budget_requested=Decimal("600"), contact_name="Wim", contact_email="wim@example.nl",
            postcode="3561"), actor=self.actor())  # fmt: skip
        with self.assertRaisesMessage(services.InitiativeError, "Only € 500.00 is left in the fund of wijk Overvecht"):
            services.initiative_grant(initiative=second, amount=Decimal("600"), conditions="", acting_user=self.broker, actor=self.actor())
        self.assertEqual(Initiative.objects.get(pk=second.pk).status, Status.RECEIVED)
        Budget.objects.all().delete()
        with self.assertRaisesMessage(services.InitiativeError, "No budget has been set for wijk Overvecht"):
            services.initiative_grant(initiative=second, amount=Decimal("10"), conditions="", acting_user=self.broker, actor=self.actor())

    def test_steps_out_of_order_and_a_refusal_without_reason_are_refused_with_a_message(self) -> None:
        self.login()
        response = self.client.post(reverse("initiatives:evaluate", args=[self.initiative_a.public_id]),
                                    {"participants": "3", "went_well": "x"})  # fmt: skip
        self.assertContains(response, "An initiative that is received cannot become evaluated.", status_code=400)
        response = self.client.post(reverse("initiatives:decline", args=[self.initiative_a.public_id]), {"reason": "  "})
        self.assertContains(response, "Give the reason for the refusal", status_code=400)
        response = self.client.post(reverse("initiatives:grant", args=[self.initiative_a.public_id]), {"amount": "1e99"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Initiative.objects.get(pk=self.initiative_a.pk).status, Status.RECEIVED)

    def test_a_refusal_gives_a_letter_with_the_reason_and_the_objection_clause(self) -> None:
        self.login()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("initiatives:decline", args=[self.initiative_a.public_id]),
                             {"reason": "Het initiatief heeft een winstoogmerk."})  # fmt: skip
        letter = self.client.get(reverse("initiatives:letter", args=[self.initiative_a.public_id]))
        self.assertContains(letter, "We cannot grant your application.")
        self.assertContains(letter, "winstoogmerk")
        self.assertContains(letter, "within six weeks")
        self.assertIn("winstoogmerk", mail.outbox[0].body)

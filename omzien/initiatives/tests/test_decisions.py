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
        self.assertIn("€\u00a0380.00", mail.outbox[0].body)
        self.assertIn("six weeks", mail.outbox[0].body)
        letter = self.client.get(reverse("initiatives:letter", args=[initiative.public_id]))
        self.assertContains(letter, "We grant you €\u00a0380.00")
        self.assertContains(letter, "art. 6:7 Awb")
        self.assertContains(letter, "Postbus 16200")
        self.client.post(reverse("initiatives:step", args=[initiative.public_id]), {"stap": "gestart"})
        response = self.client.post(reverse("initiatives:evaluate", args=[initiative.public_id]),
                                    {"participants": "23", "went_well": "Veel nieuwe gezichten", "could_be_better": ""})  # fmt: skip
        self.assertRedirects(response, url)
        response = self.client.post(reverse("initiatives:settle", args=[initiative.public_id]), {"amount": "500"})
        self.assertContains(response, "between €\u00a00.00 and the €\u00a0380.00 granted", status_code=400)
        # Words or nothing for an amount: the message speaks of an amount in euro, not of a whole number.
        for typed, message in (("veel", "Fill in an amount in euro, like 350 or 350.50."),
                               ("", "Fill in the amount spent; 0 if nothing was spent.")):
            response = self.client.post(reverse("initiatives:settle", args=[initiative.public_id]), {"amount": typed})
            self.assertContains(response, message, status_code=400)
            self.assertNotContains(response, "whole number", status_code=400)
        self.client.post(reverse("initiatives:settle", args=[initiative.public_id]), {"amount": "350"})
        initiative.refresh_from_db()
        self.assertEqual((initiative.status, initiative.participants_reached, initiative.settled_amount),
                         (Status.EVALUATED, 23, Decimal("350")))  # fmt: skip
        self.assertContains(self.client.get(reverse("initiatives:letter", args=[initiative.public_id]) + "?soort=vaststelling"),
                            "we settle the grant at €\u00a0350.00")  # fmt: skip
        # History is appended: every step is a row, none edited.
        kinds = list(initiative.events.values_list("status", flat=True))
        self.assertEqual([k for k in kinds if k], ["in_conversation", "granted", "running", "evaluated"])
        self.assertTrue(initiative.events.filter(kind=InitiativeEvent.Kind.SETTLED).exists())
        # The budget: the world's grant of 300 and this one of 380, settled at 350: 4,350 of 5,000 left.
        row = budget_overview([initiative.district_id], timezone.localdate().year)[0]
        self.assertEqual((row.granted, row.settled, row.left), (Decimal("680"), Decimal("350"), Decimal("4350")))

    def test_a_grant_beyond_the_wijks_budget_is_refused_and_without_a_budget_too(self) -> None:
        Initiative.objects.filter(pk=self.initiative_a.pk).update(budget_requested=Decimal("4200"))
        self.initiative_a.refresh_from_db()
        self.granted("4200")  # with the world's grant of 300: 500 left
        second = services.initiative_apply(data=services.ApplicationData(
            title="Wandelgroep", idea="Wandelen", for_whom="buren", where="park", when="zaterdag", expected_participants=10,
            volunteers_needed=0, budget_requested=Decimal("600"), contact_name="Wim", contact_email="wim@example.nl",
            postcode="3561"), actor=self.actor())  # fmt: skip
        with self.assertRaisesMessage(services.InitiativeError, "Only €\u00a0500.00 is left in the fund of wijk Overvecht"):
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

    def test_a_grant_above_the_amount_asked_is_refused_at_its_field_and_nothing_is_decided(self) -> None:
        # The world's application asks € 400 (Awb 4:1: the decision answers the application).
        self.login()
        url = reverse("initiatives:grant", args=[self.initiative_a.public_id])
        page = self.client.get(reverse("initiatives:detail", args=[self.initiative_a.public_id]))
        self.assertContains(page, "At most the €\u00a0400.00 asked.")
        self.assertContains(page, "Left in the fund of wijk Overvecht this year: €\u00a04,700.00.")
        response = self.client.post(url, {"amount": "5000", "conditions": ""})
        self.assertContains(response, "You can grant at most the €\u00a0400.00 asked.", status_code=400)
        self.assertContains(response, 'href="#grant_amount"', status_code=400)  # the summary links to the field
        self.assertEqual(Initiative.objects.get(pk=self.initiative_a.pk).status, Status.RECEIVED)
        # The service refuses it as well (another caller than this form), with the same words.
        with self.assertRaisesMessage(services.InitiativeError, "You can grant at most the €\u00a0400.00 asked."):
            services.initiative_grant(initiative=self.initiative_a, amount=Decimal("400.01"), conditions="",
                                      acting_user=self.broker, actor=self.actor())  # fmt: skip
        # The amount asked itself, typed the Dutch way, is granted.
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(self.client.post(url, {"amount": "400,00", "conditions": ""}).status_code, 302)
        self.assertEqual(Initiative.objects.get(pk=self.initiative_a.pk).amount_granted, Decimal("400"))

    def test_amounts_read_in_dutch_and_english_notation(self) -> None:
        from omzien.initiatives.forms import parse_euro

        cases = {"1.250,50": "1250.50", "1,250.50": "1250.50", "1250,5": "1250.5", "€ 350": "350", "25.000": "25000",
                 "0,99": "0.99", "350.50": "350.50"}  # fmt: skip
        self.assertEqual({text: parse_euro(text) for text in cases}, cases)

    def test_letters_give_a_number_to_call_and_the_settlement_names_the_difference(self) -> None:
        self.broker.organisation.phone = "030-7654321"
        self.broker.organisation.save()
        self.login()
        granted = self.granted("400")
        letter = self.client.get(reverse("initiatives:letter", args=[granted.public_id]))
        self.assertContains(letter, "030-7654321")
        self.assertContains(letter, f"You may first call the social broker, {self.broker.get_full_name() or self.broker.username}")
        services.initiative_start(initiative=granted, acting_user=self.broker, actor=self.actor())
        services.initiative_evaluate(initiative=granted, participants=20, went_well="goed", could_be_better="",
                                     acting_user=self.broker, actor=self.actor())  # fmt: skip
        with self.captureOnCommitCallbacks(execute=True):
            services.initiative_settle(initiative=granted, amount=Decimal("325.50"), acting_user=self.broker, actor=self.actor())
        settlement = self.client.get(reverse("initiatives:letter", args=[granted.public_id]) + "?soort=vaststelling")
        self.assertContains(settlement, "The difference of €\u00a074.50 is not paid out.")
        self.assertContains(settlement, "you pay it back")
        self.assertIn("The difference of €\u00a074.50 is not paid out.", mail.outbox[-1].body)
        self.assertIn("030-7654321", mail.outbox[-1].body)
        # Without a phone at the broker's organisation: the municipality's number (policy).
        self.broker.organisation.phone = ""
        self.broker.organisation.save()
        self.assertContains(self.client.get(reverse("initiatives:letter", args=[granted.public_id])), "14 030")

    def test_a_settlement_of_the_whole_grant_says_nothing_is_paid_back(self) -> None:
        granted = self.granted("400")
        services.initiative_start(initiative=granted, acting_user=self.broker, actor=self.actor())
        services.initiative_evaluate(initiative=granted, participants=20, went_well="goed", could_be_better="",
                                     acting_user=self.broker, actor=self.actor())  # fmt: skip
        settled = services.initiative_settle(initiative=granted, amount=Decimal("400"), acting_user=self.broker, actor=self.actor())
        self.assertIn("nothing is paid back", services.settlement_text(settled))

    def test_a_refusal_is_afgewezen_on_every_dutch_page(self) -> None:
        from django.conf import settings as django_settings

        self.login()
        self.client.post(reverse("initiatives:decline", args=[self.initiative_a.public_id]), {"reason": "Winstoogmerk."})
        self.client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "nl"
        for url in (reverse("initiatives:detail", args=[self.initiative_a.public_id]),
                    reverse("initiatives:list") + "?weergave=done"):  # fmt: skip
            with self.subTest(url):
                page = self.client.get(url)
                self.assertContains(page, "afgewezen")
                self.assertNotContains(page, "afgeslagen")

    def test_forms_speak_plain_dutch_and_a_step_from_an_older_page_says_why_it_is_not_possible(self) -> None:
        from django.conf import settings as django_settings

        self.login()
        self.client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "nl"
        photo = self.client.post(reverse("initiatives:photo_add", args=[self.initiative_a.public_id]), {})
        self.assertContains(photo, "Kies een bestand.", status_code=400)
        self.assertContains(photo, "Vul dit in.", status_code=400)
        self.assertNotContains(photo, "Dit veld is vereist", status_code=400)
        # The evaluation form belongs to a running initiative; sent for a received one, the page says why.
        evaluate = self.client.post(reverse("initiatives:evaluate", args=[self.initiative_a.public_id]), {"participants": "x"})
        self.assertContains(evaluate, "Deze stap kan nu niet: het initiatief is ontvangen.", status_code=400)

    def test_the_publish_form_names_a_bad_e_mail_address_in_plain_words(self) -> None:
        self.granted()
        self.login()
        response = self.client.post(reverse("initiatives:publish", args=[self.initiative_a.public_id]),
                                    {"title": "Soep", "description": "Soep", "schedule": "elke woensdag", "capacity": "20",
                                     "contact_email": "x@"})  # fmt: skip
        self.assertContains(response, "This is not an e-mail address. Check it, like name@example.nl.", status_code=400)
        self.assertContains(response, '<a class="utrecht-link" href="#publish_schedule">When it meets:', status_code=400)
        self.assertNotContains(response, "Enter a valid email address.", status_code=400)

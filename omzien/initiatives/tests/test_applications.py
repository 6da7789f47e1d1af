# SPDX-License-Identifier: EUPL-1.2
"""The public application: a resident applies without an account; bad input gives clear messages; throttled;
the application reaches only its wijk's broker, and every look at it is logged."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from omzien.audit.models import AccessLogEntry, Outcome
from omzien.initiatives.models import Initiative, Status
from omzien.initiatives.tests.base import APPLICATION, InitiativesTestCase


class ApplicationTests(InitiativesTestCase):
    def test_a_resident_applies_without_an_account_and_the_wijks_broker_gets_it(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("initiatives:apply"), APPLICATION)
        self.assertEqual(response.status_code, 302)
        initiative = Initiative.objects.get(contact_name="Fatima Soepkoker")
        self.assertEqual((initiative.status, initiative.district.name, initiative.postcode), (Status.RECEIVED, "Overvecht", "3561"))
        self.assertEqual(str(initiative.budget_requested), "450.50")
        self.assertEqual((initiative.decision_due - initiative.received_at.date()).days, 56)  # Awb 4:13: 8 weeks
        done = self.client.get(response["Location"])
        self.assertContains(done, initiative.reference)
        self.assertNotContains(done, "Fatima")
        # The applicant gets the reference; the wijk's broker hears of it, without the applicant's details.
        self.assertEqual([m.to for m in mail.outbox], [["fatima@example.nl"], [self.broker.email]])
        self.assertIn(initiative.reference, mail.outbox[0].body)
        self.assertIn(initiative.reference, mail.outbox[1].body)
        self.assertNotIn("Fatima", f"{mail.outbox[1].subject} {mail.outbox[1].body}")
        # The anonymous applicant's creation is logged, without any personal detail in the entry.
        entry = AccessLogEntry.objects.filter(object_type="initiative", object_id=str(initiative.public_id)).get()
        self.assertEqual(entry.actor_role, "anonymous")
        self.assertNotIn("Fatima", str(entry.fields))
        # The broker of Overvecht sees it in the list (logged); the broker of Zuid does not.
        self.login()
        listing = self.client.get(reverse("initiatives:list"))
        self.assertContains(listing, "Fatima Soepkoker")
        self.assertTrue(AccessLogEntry.objects.filter(action="list", object_id=str(initiative.public_id)).exists())
        found = self.client.get(reverse("initiatives:list"), {"weergave": "all", "q": f"soepkoker {initiative.reference}"})
        self.assertContains(found, "Fatima Soepkoker")
        self.assertNotContains(found, self.initiative_a.reference)
        self.login(self.other_broker)
        self.assertNotContains(self.client.get(reverse("initiatives:list")), "Fatima Soepkoker")

    def test_bad_input_gives_clear_messages_and_stores_nothing(self) -> None:
        before = Initiative.objects.count()
        cases = {
            "empty": ({}, ["Give your initiative a name.", "Fill in your e-mail address", "Fill in the postcode."]),
            "postcode": ({"postcode": "12345"}, ["This is not a Dutch postcode"]),
            "unknown place": ({"postcode": "9999 ZZ"}, ["We do not know this postcode in our municipality"]),
            "amount": ({"budget_requested": "-5"}, ["The amount cannot be negative."]),
            "huge amount": ({"budget_requested": "100000000000"}, ["The fund gives at most € 25,000 for one initiative."]),
            "words for money": ({"budget_requested": "veel"}, ["Fill in an amount in euro"]),
            "huge number": ({"expected_participants": "99999999999999999999"}, ["Fill in at most 10000."]),
            "e-mail": ({"contact_email": "fatima@"}, ["This is not an e-mail address."]),
            "too long": ({"title": "x" * 5000}, ["Use at most 120 characters; this has 5000."]),
        }
        cases["cents"] = ({"budget_requested": "12,3456"}, ["Fill in at most two digits after the decimal sign."])
        for name, (changes, messages) in cases.items():
            data = {} if name == "empty" else {**APPLICATION, **changes}
            response = self.client.post(reverse("initiatives:apply"), data)
            with self.subTest(name):
                self.assertEqual(response.status_code, 400)
                for message in messages:
                    self.assertContains(response, message, status_code=400)
                # One plain message per amount, never Django's stock words besides it.
                self.assertNotContains(response, "digits in total", status_code=400)
                self.assertNotContains(response, "decimal places", status_code=400)
                self.assertContains(response, 'data-testid="error-summary"', status_code=400)  # omzien/errors.js gives it the focus
                if name != "empty":
                    self.assertContains(response, "Soep op woensdag" if name != "too long" else "Elke woensdag", status_code=400)
        self.assertEqual(Initiative.objects.count(), before)

    def test_the_public_form_is_throttled_per_address_without_a_captcha(self) -> None:
        with self.settings(OMZIEN_PUBLIC_FORM_RATE="2/h"):
            # Tries with mistakes do not count: only applications taken in do.
            bad = [self.client.post(reverse("initiatives:apply"), {**APPLICATION, "postcode": "12"}).status_code for _ in range(4)]
            self.assertEqual(bad, [400, 400, 400, 400])
            statuses = [self.client.post(reverse("initiatives:apply"), APPLICATION).status_code for _ in range(3)]
            self.assertEqual(statuses, [302, 302, 429])
            self.assertEqual(self.client.get(reverse("initiatives:apply")).status_code, 200)
        self.assertEqual(Initiative.objects.filter(contact_name="Fatima Soepkoker").count(), 2)

    def test_every_mistake_shows_at_once_and_the_summary_links_to_each_field(self) -> None:
        response = self.client.post(reverse("initiatives:apply"), {**APPLICATION, "title": "", "postcode": "9999 ZZ",
                                                                   "budget_requested": "veel"})  # fmt: skip
        # The unknown postcode is named together with the other mistakes, not after they are fixed.
        for field, message in (("id_title", "Give your initiative a name."),
                               ("id_postcode", "We do not know this postcode in our municipality"),
                               ("id_budget_requested", "Fill in an amount in euro")):  # fmt: skip
            with self.subTest(field):
                self.assertContains(response, f'<a class="utrecht-link" href="#{field}">', status_code=400)
                self.assertContains(response, message, status_code=400)
        # An amount typed the Dutch way is read right.
        self.client.post(reverse("initiatives:apply"), {**APPLICATION, "budget_requested": "1.250,50"})
        self.assertEqual(str(Initiative.objects.get(contact_name="Fatima Soepkoker").budget_requested), "1250.50")

    def test_the_receipt_page_thanks_only_for_a_receipt_it_signed(self) -> None:
        response = self.client.post(reverse("initiatives:apply"), APPLICATION)
        initiative = Initiative.objects.get(contact_name="Fatima Soepkoker")
        self.assertContains(self.client.get(response["Location"]), initiative.reference)
        for forged in ("", "rubbish", '{"reference": "BI-FAKE01"}', response["Location"].split("=", 1)[1][:-3] + "abc"):
            with self.subTest(forged):
                page = self.client.get(reverse("initiatives:apply_done"), {"ontvangst": forged})
                self.assertContains(page, "This link does not show a receipt", status_code=404)
                self.assertNotContains(page, "Thank you", status_code=404)
                self.assertNotContains(page, 'data-testid="receipt"', status_code=404)

    def test_another_wijks_broker_gets_404_alike_and_the_attempt_is_logged(self) -> None:
        self.login(self.other_broker)
        for public_id in (self.initiative_a.public_id, "00000000-0000-0000-0000-000000000000"):
            response = self.client.get(reverse("initiatives:detail", args=[public_id]))
            self.assertEqual(response.status_code, 404)
        denied = AccessLogEntry.objects.filter(outcome=Outcome.DENIED, object_type="initiative")
        self.assertEqual(denied.count(), 2)
        self.login()
        page = self.client.get(reverse("initiatives:detail", args=[self.initiative_a.public_id]))
        self.assertContains(page, self.initiative_a.contact_name)
        entry = AccessLogEntry.objects.filter(object_id=str(self.initiative_a.public_id), outcome=Outcome.SUCCESS).latest("sequence")
        self.assertIn("contact_email", entry.fields)

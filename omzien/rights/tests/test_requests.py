# SPDX-License-Identifier: EUPL-1.2
"""A resident's AVG request, from their own page to the privacy officer's reasoned decision."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.core import mail
from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry, Outcome
from omzien.residents.models import Resident
from omzien.rights import services
from omzien.rights.models import PrivacyRequest, RequestStatus
from omzien.rights.tests.base import RightsTestCase


class RequestSubmitTests(RightsTestCase):
    def test_a_resident_asks_for_a_correction_and_gets_the_deadline_and_a_mail(self) -> None:
        self.login(self.resident_user)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("rights:mine"), {"kind": "rectification",
                                                                 "explanation": "Mijn telefoonnummer is 06-99999999"})  # fmt: skip
        self.assertRedirects(response, reverse("rights:mine"))
        request = PrivacyRequest.objects.get(resident=self.me)
        self.assertEqual(request.status, RequestStatus.RECEIVED)
        # One month, as AVG art. 12(3) sets it.
        self.assertEqual((request.due_at - request.received_at).days in (28, 29, 30, 31), True)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, [self.resident_user.email])
        page = self.client.get(reverse("rights:mine"))
        self.assertContains(page, "correct my data (art. 16)")

    def test_bad_input_gets_a_clear_message_and_stores_nothing(self) -> None:
        self.login(self.resident_user)
        for kind in ("rectification", "restriction", "objection"):
            response = self.client.post(reverse("rights:mine"), {"kind": kind, "explanation": "  "})
            self.assertContains(response, "Say what should change", status_code=400)
            # At the explanation, where it is to be typed (and in the summary that links there).
            self.assertIn("explanation", response.context["form"].errors)
        response = self.client.post(reverse("rights:mine"), {"kind": "nonsense"})
        self.assertContains(response, "Choose what you ask for.", status_code=400)
        self.assertFalse(PrivacyRequest.objects.filter(resident=self.me).exists())

    def test_the_same_open_request_twice_is_refused(self) -> None:
        services.request_submit(
            resident=self.me, kind="access", explanation="", acting_user=self.resident_user
        )
        with self.assertRaisesMessage(services.RequestError, "already asked"):
            services.request_submit(
                resident=self.me, kind="access", explanation="", acting_user=self.resident_user
            )

    def test_a_double_submit_that_races_the_check_makes_one_request(self) -> None:
        """Two submits at once both pass the "already asked" check; the database keeps one open request, and the
        second gets the same message. Once decided, the same kind can be asked again."""
        from django.db import IntegrityError, transaction

        first = services.request_submit(
            resident=self.me, kind="erasure", explanation="", acting_user=self.resident_user
        )
        with self.assertRaises(IntegrityError), transaction.atomic():  # what the racing second submit meets
            PrivacyRequest.objects.create(resident=self.me, resident_pseudo_id=self.me.pseudo_id, kind="erasure",
                                          received_at=first.received_at, due_at=first.due_at)  # fmt: skip
        services.request_extend(request=first, reason="Veel gegevens", acting_user=self.officer)
        with self.assertRaises(IntegrityError), transaction.atomic():  # extended is still open
            PrivacyRequest.objects.create(resident=self.me, resident_pseudo_id=self.me.pseudo_id, kind="erasure",
                                          received_at=first.received_at, due_at=first.due_at)  # fmt: skip
        services.request_decide(request=first, grant=False, reasons="Nog nodig.", acting_user=self.officer)
        again = services.request_submit(
            resident=self.me, kind="erasure", explanation="", acting_user=self.resident_user
        )
        self.assertTrue(again.is_open)
        self.assertEqual(PrivacyRequest.objects.filter(resident=self.me, kind="erasure").count(), 2)

    def test_the_deadline_is_one_calendar_month(self) -> None:
        received = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
        request = services.request_submit(resident=self.me, kind="access", explanation="", acting_user=self.resident_user,
                                          now=received)  # fmt: skip
        self.assertEqual(request.due_at, datetime(2026, 2, 28, 10, 0, tzinfo=UTC))
        extended = services.request_extend(
            request=request, reason="Veel gegevens bij drie organisaties", acting_user=self.officer
        )
        self.assertEqual(extended.due_at, datetime(2026, 4, 28, 10, 0, tzinfo=UTC))
        with self.assertRaisesMessage(services.RequestError, "once"):
            services.request_extend(request=extended, reason="Nog eens", acting_user=self.officer)


class OfficerTests(RightsTestCase):
    def test_the_officer_sees_the_queue_and_the_request_and_both_are_logged(self) -> None:
        self.login(self.officer)
        before = AccessLogEntry.objects.count()
        queue = self.client.get(reverse("rights:queue"))
        self.assertContains(queue, "erase my data (art. 17)")
        detail = self.client.get(reverse("rights:detail", args=[self.request_a.public_id]))
        self.assertContains(detail, self.world.residents["a"].full_name)
        entries = AccessLogEntry.objects.order_by("sequence")[before:]
        self.assertEqual([entry.object_type for entry in entries], ["privacy_request", "privacy_request"])
        self.assertTrue(
            all(entry.subject_resident_pseudo_id == self.world.residents["a"].pseudo_id for entry in entries)
        )

    def test_the_queue_shows_what_retention_removed_per_rule_in_the_officers_language(self) -> None:
        from django.utils import translation

        with translation.override("nl"):  # omzien tick ran in Dutch
            services.retention_run_daily()
        self.login(self.officer)
        for language, line in (("en", "How long a decided AVG request is kept — removed: 0"),
                               ("nl", "Hoe lang een afgehandeld AVG-verzoek wordt bewaard — verwijderd: 0")):  # fmt: skip
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            self.assertContains(self.client.get(reverse("rights:queue")), line)

    def test_the_officer_reaches_no_resident_record(self) -> None:
        self.login(self.officer)
        response = self.client.get(reverse("residents:detail", args=[self.world.residents["a"].public_id]))
        self.assertIn(response.status_code, (403, 404))

    def test_other_roles_get_no_request_and_the_attempt_is_logged(self) -> None:
        self.login(self.world.user(Role.ADMINISTRATOR))
        response = self.client.get(reverse("rights:detail", args=[self.request_a.public_id]))
        self.assertEqual(response.status_code, 403)
        self.login(self.officer)
        missing = "00000000-0000-0000-0000-000000000000"
        self.assertEqual(self.client.get(reverse("rights:detail", args=[missing])).status_code, 404)
        self.assertTrue(AccessLogEntry.objects.filter(outcome=Outcome.DENIED, object_id=missing).exists())

    def test_the_officer_extends_the_deadline_once_with_a_reason_the_resident_is_told(self) -> None:
        """The extension form: no reason (or only spaces) is a clear message and nothing changes; a reason moves
        the deadline two months and mails the resident; a second extension is refused on the page."""
        self.login(self.officer)
        url = reverse("rights:extend", args=[self.request_a.public_id])
        due = PrivacyRequest.objects.get(pk=self.request_a.pk).due_at
        sent = len(mail.outbox)
        for reason in ("", "   "):
            response = self.client.post(url, {"reason": reason})
            self.assertContains(response, "Give the reason for the extension", status_code=400)
        self.assertEqual(PrivacyRequest.objects.get(pk=self.request_a.pk).due_at, due)
        self.assertEqual(len(mail.outbox), sent)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"reason": "Gegevens bij drie organisaties opvragen."})
        self.assertEqual(response.status_code, 302)
        extended = PrivacyRequest.objects.get(pk=self.request_a.pk)
        self.assertGreater(extended.due_at, due)
        self.assertIn((extended.due_at - due).days, range(59, 63))
        self.assertEqual(len(mail.outbox), sent + 1)
        self.assertIn("Gegevens bij drie organisaties opvragen.", mail.outbox[-1].body)
        again = self.client.post(url, {"reason": "Nog een keer."})
        self.assertContains(again, "The deadline can be extended once", status_code=400)
        self.assertEqual(PrivacyRequest.objects.get(pk=self.request_a.pk).due_at, extended.due_at)

    def test_a_decision_needs_reasons(self) -> None:
        self.login(self.officer)
        response = self.client.post(
            reverse("rights:decide", args=[self.request_a.public_id]), {"decision": "grant"}
        )
        self.assertContains(response, "Give the reasons", status_code=400)
        self.request_a.refresh_from_db()
        self.assertTrue(self.request_a.is_open)
        self.assertTrue(Resident.objects.filter(pk=self.world.residents["a"].pk).exists())

    def test_a_refusal_tells_the_resident_and_keeps_everything(self) -> None:
        self.login(self.officer)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("rights:decide", args=[self.request_a.public_id]),
                                        {"decision": "refuse", "reasons": "Het dossier is nog in behandeling (art. 17(3)(b))."})  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.request_a.refresh_from_db()
        self.assertEqual(self.request_a.status, RequestStatus.REFUSED)
        self.assertTrue(Resident.objects.filter(pk=self.world.residents["a"].pk).exists())
        self.assertEqual(mail.outbox[-1].to, [self.world.residents["a"].email])
        self.assertIn("art. 17(3)(b)", mail.outbox[-1].body)


class ErasureTests(RightsTestCase):
    def test_granting_an_erasure_removes_the_resident_everywhere_and_keeps_the_log_pseudonymous(self) -> None:
        resident = self.world.residents["a"]
        pseudo_id, name = resident.pseudo_id, resident.last_name
        log_before = AccessLogEntry.objects.filter(subject_resident_pseudo_id=pseudo_id).count()
        self.login(self.officer)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("rights:decide", args=[self.request_a.public_id]),
                                        {"decision": "grant", "reasons": "Geen wettelijke grond meer om te bewaren."})  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Resident.objects.filter(pk=resident.pk).exists())
        request = PrivacyRequest.objects.get(pk=self.request_a.pk)
        self.assertIsNone(request.resident)
        self.assertEqual(request.resident_pseudo_id, pseudo_id)
        self.assertIn("residents.record", request.erasure_report["removed"])
        # The access log keeps its entries (NEN 7513), pseudonymous, and the chain still verifies.
        self.assertGreater(
            AccessLogEntry.objects.filter(subject_resident_pseudo_id=pseudo_id).count(), log_before
        )
        from omzien.audit.integrity import chain_verify

        self.assertTrue(chain_verify().intact)
        self.assertFalse(AccessLogEntry.objects.filter(actor_display__icontains=name).exists())
        # The resident was told, at the address captured before the erasure.
        self.assertEqual(mail.outbox[-1].to, ["alida@example.nl"])
        page = self.client.get(reverse("rights:detail", args=[request.public_id]))
        self.assertContains(page, "What the erasure did")
        self.assertNotContains(page, name)

    def test_an_erased_residents_account_can_no_longer_log_in(self) -> None:
        services.resident_erase(resident=self.me, acting_user=self.officer)
        self.resident_user.refresh_from_db()
        self.assertFalse(self.resident_user.is_active)
        self.assertFalse(self.resident_user.has_usable_password())
        self.assertEqual(self.resident_user.email, "")
        self.assertNotIn("Smit", self.resident_user.username + self.resident_user.last_name)

    def test_the_erasure_report_reads_as_words_in_the_officers_language(self) -> None:
        """Every count a room reports has its wording, in English and in Dutch: no internal key shows, also not for
        what the law keeps."""
        import re

        from omzien.casework.models import Signal
        from omzien.initiatives.models import Initiative
        from omzien.lib.rooms import erasure_steps
        from omzien.rights.selectors import _OWN_LABELS

        resident = self.world.residents["a"]
        Signal.objects.filter(pk=self.world.extra["casework"]["signal_a"].pk).update(resident=resident)
        Initiative.objects.filter(pk=self.world.extra["initiatives"]["initiative_a"].pk).update(
            contact_email=resident.email
        )
        services.request_decide(
            request=self.request_a, grant=True, reasons="Geen grond meer.", acting_user=self.officer
        )
        report = PrivacyRequest.objects.get(pk=self.request_a.pk).erasure_report
        worded = dict(_OWN_LABELS) | {
            f"{room.label}.{step.key}": step.labels for room, step in erasure_steps()
        }
        # What went with the record (the database's cascade) is named by each model's plural name.
        self.assertEqual(report["removed"].pop("residents.with_record").get("wellbeing.Measurement"), 1)
        for step_key, counts in report["removed"].items():
            self.assertLessEqual(set(counts), set(worded[step_key]), step_key)
        self.assertTrue(report["kept"], "a granted application would be kept for the accounts")
        self.login(self.officer)
        url = reverse("rights:detail", args=[self.request_a.public_id])
        for language, removed, kept in (
            ("en", ["Signals (worries reported about the resident) removed: 1", "Running pairs ended: 2",
                    "The resident record removed: 1", "Measurements removed with the record: 1"],
             "kept seven years for the accounts"),
            ("nl", ["Meldingen (zorgen over de bewoner) verwijderd: 1", "Lopende koppels beëindigd: 2",
                    "Het bewonersdossier verwijderd: 1", "Metingen verwijderd met het dossier: 1"],
             "zeven jaar bewaard voor de boekhouding"),
        ):  # fmt: skip
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            page = self.client.get(url).content.decode()
            section = page[page.index('id="erased"') : page.index("</section>", page.index('id="erased"'))]
            for line in removed:
                self.assertIn(line, section)
            self.assertIn(kept, section)
            # No internal key (volunteers_matches, residents.record) and no model label (wellbeing.Measurement).
            self.assertIsNone(re.search(r"[a-z]_[a-z]|[a-z]\.[a-zA-Z]", section), section)

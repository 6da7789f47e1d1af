# SPDX-License-Identifier: EUPL-1.2
"""Signals in from every channel, the team queue and triage, with access checks and the access log."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omzien.accounts.models import Organisation, User
from omzien.accounts.roles import Role
from omzien.audit import events
from omzien.audit.models import AccessLogEntry, Action, Outcome
from omzien.casework import services
from omzien.casework.models import Outcome as Decision
from omzien.casework.models import PhoneCall, Signal, Source, Status
from omzien.casework.services import SignalData, SignalError
from omzien.geo.models import Neighbourhood, Postcode
from omzien.lib.testing.world import build_world, login_verified
from omzien.residents.models import ResidentLink
from omzien.wellbeing.services import contact_request_create

AMS = ZoneInfo("Europe/Amsterdam")
PUBLIC_FORM = {
    "reporter_relation": "neighbour", "reporter_name": "Bea Buur", "reporter_phone": "06-11112222",
    "reporter_email": "bea@example.nl", "first_name": "Gerrit", "last_name": "Eenzaam", "date_of_birth": "1938-03-04",
    "street": "Zamenhofdreef", "house_number": "12", "postcode": "3561 ab", "phone": "030-1234567",
    "how_to_reach": "", "concern": "De gordijnen blijven dicht en de post stapelt zich op.",
    "resident_knows": "no", "resident_agrees": "unknown", "urgency": "normal", "wants_closing_message": "on",
}  # fmt: skip


class CaseworkTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        Postcode.objects.create(code="3561AB", neighbourhood=Neighbourhood.objects.get(code="BU03440321"))
        Postcode.objects.create(code="3562CD", neighbourhood=Neighbourhood.objects.get(code="BU03440322"))
        cls.team_a, cls.team_b = cls.world.organisations["team_a"], cls.world.organisations["team_b"]
        cls.professional = cls.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        cls.partner = cls.world.user("partner_professional")

    def setUp(self) -> None:
        # The tests read the English messages (the Dutch ones are checked by the translations test).
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def signal(self, **changes: Any) -> Signal:
        data = SignalData(last_name="Eenzaam", first_name="Gerrit", postcode="3561AB", house_number="12",
                          concern="Komt niet meer buiten.")  # fmt: skip
        for name, value in changes.pop("data", {}).items():
            setattr(data, name, value)
        return services.signal_create(data=data, source=changes.pop("source", Source.PUBLIC_FORM),
                                      actor=events.Actor(display="test"), **changes)  # fmt: skip


class PublicFormTests(CaseworkTestCase):
    def test_a_neighbour_reports_without_login_and_the_team_of_the_buurt_gets_it(self) -> None:
        page = self.client.get(reverse("casework:public_report"))
        # Emergencies go elsewhere: 112, 113 and Veilig Thuis are on the form.
        for number in ("112", "0800-0113", "0800-2000"):
            self.assertContains(page, number)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("casework:public_report"), PUBLIC_FORM)
        self.assertEqual(response.status_code, 302)
        signal = Signal.objects.get(last_name="Eenzaam")
        self.assertEqual((signal.team, signal.source, signal.postcode), (self.team_a, Source.PUBLIC_FORM, "3561AB"))
        self.assertGreater(signal.deadline, signal.received_at.date())
        done = self.client.get(response["Location"])
        self.assertContains(done, signal.reference)
        self.assertNotContains(done, "Eenzaam")
        # The acknowledgement by mail: the number, nothing about the resident.
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(signal.reference, mail.outbox[0].body)
        self.assertNotIn("Eenzaam", str(mail.outbox[0].body) + str(mail.outbox[0].subject))
        created = AccessLogEntry.objects.get(action=Action.CREATE, object_id=str(signal.public_id))
        self.assertEqual(created.actor_role, "anonymous")
        self.assertNotIn("Eenzaam", str(created.fields))

    def test_bad_input_gets_clear_messages_and_nothing_is_stored_or_lost(self) -> None:
        before = Signal.objects.count()
        cases = {
            "postcode": ({"postcode": "12345"}, "Dutch postcode"),
            "postcode ": ({"postcode": "9999 ZZ"}, "cannot find a neighbourhood team"),
            "date_of_birth": ({"date_of_birth": "2090-01-01"}, "cannot be right"),
            "reporter_email": ({"reporter_email": "", "wants_closing_message": "on"}, "so we can send you the message"),
            "concern": ({"concern": ""}, "Tell us what you noticed"),
            "last_name": ({"last_name": ""}, "last name of the person"),
            "reporter_organisation_name": ({"reporter_relation": "professional"}, "organisation you work for"),
            "reporter_email ": ({"reporter_email": "not-an-address"}, "not an e-mail address"),
        }
        for label, (change, message) in cases.items():
            with self.subTest(label):
                response = self.client.post(reverse("casework:public_report"), PUBLIC_FORM | change,
                                            HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                # What was typed is still there.
                self.assertContains(response, "De gordijnen blijven dicht" if change.get("concern") != "" else "Eenzaam")
        self.assertEqual(Signal.objects.count(), before)
        # Markup in the text is shown as text, never run.
        self.client.post(reverse("casework:public_report"), PUBLIC_FORM | {"concern": "<script>alert(1)</script>"})
        login_verified(self.client, self.professional)
        signal = Signal.objects.get(last_name="Eenzaam")
        page = self.client.get(reverse("casework:signal", kwargs={"public_id": signal.public_id}))
        self.assertNotContains(page, "<script>alert(1)</script>")
        self.assertContains(page, "&lt;script&gt;")


    def test_the_public_form_is_throttled_per_address_without_a_captcha(self) -> None:
        with self.settings(OMZIEN_PUBLIC_FORM_RATE="2/h"):
            statuses = [self.client.post(reverse("casework:public_report"), PUBLIC_FORM).status_code for _ in range(3)]
            self.assertEqual(statuses, [302, 302, 429])
            self.assertEqual(self.client.get(reverse("casework:public_report")).status_code, 200)
        self.assertEqual(Signal.objects.filter(last_name="Eenzaam").count(), 2)


class QueueTests(CaseworkTestCase):
    def test_the_queue_shows_the_teams_signals_with_deadlines_and_logs_each_one(self) -> None:
        own = self.signal(received_at=datetime(2026, 5, 13, 10, tzinfo=AMS))  # Wednesday before Ascension Day
        self.assertEqual(own.deadline.isoformat(), "2026-05-21")  # Thu 14 closed: Fri 15, Mon 18 ... Thu 21
        urgent = self.signal(data={"urgency": "urgent"}, received_at=datetime(2026, 5, 13, 10, tzinfo=AMS))
        self.assertEqual(urgent.deadline.isoformat(), "2026-05-15")
        other = self.signal(data={"postcode": "3562CD", "last_name": "Anders"})
        login_verified(self.client, self.professional)
        page = self.client.get(reverse("casework:queue"))
        self.assertContains(page, own.reference)
        self.assertNotContains(page, other.reference)
        self.assertContains(page, "data-testid=\"overdue\"", count=2)  # both deadlines are in the past
        listed = AccessLogEntry.objects.filter(action=Action.LIST, object_type="signal")
        self.assertEqual(
            sorted(e.object_id for e in listed),
            sorted(str(s.public_id) for s in Signal.objects.filter(team=self.team_a)),
        )

    def test_the_queue_takes_the_same_number_of_queries_for_3_or_25_rows(self) -> None:
        login_verified(self.client, self.professional)
        self.client.get(reverse("casework:queue"))  # warm the session, the policy cache and the menu
        for _index in range(2):
            self.signal()
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("casework:queue"))
        for _index in range(22):
            self.signal(data={"house_number": "13"})
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(reverse("casework:queue"))
        self.assertContains(response, "data-signal=", count=25)
        self.assertEqual(len(few), len(many))

    def test_another_team_gets_a_404_and_the_attempt_is_logged(self) -> None:
        foreign = self.world.extra["casework"]["signal_b"]
        login_verified(self.client, self.professional)
        for name in ("casework:signal", "casework:signal_notice"):
            response = self.client.get(reverse(name, kwargs={"public_id": foreign.public_id}))
            self.assertEqual(response.status_code, 404)
        response = self.client.post(reverse("casework:signal_decide", kwargs={"public_id": foreign.public_id}),
                                    {"outcome": "no_action", "reason": "x"})  # fmt: skip
        self.assertEqual(response.status_code, 404)
        denied = AccessLogEntry.objects.filter(outcome=Outcome.DENIED, object_id=str(foreign.public_id))
        self.assertEqual(denied.count(), 3)
        foreign.refresh_from_db()
        self.assertEqual(foreign.status, Status.NEW)

    def test_reading_a_signal_is_logged_with_the_fields_shown(self) -> None:
        signal = self.world.extra["casework"]["signal_a"]
        login_verified(self.client, self.professional)
        page = self.client.get(reverse("casework:signal", kwargs={"public_id": signal.public_id}))
        self.assertContains(page, "Aaldering")
        entry = AccessLogEntry.objects.get(action=Action.READ, object_id=str(signal.public_id))
        self.assertIn("last_name", entry.fields)
        self.assertIn("reporter_name", entry.fields)
        self.assertEqual(entry.request_id, page["X-Request-ID"])

    def test_menu_count_is_new_plus_assigned_to_me(self) -> None:
        colleague = User.objects.create_user(username="collega", organisation=self.team_a)
        colleague.groups.add(*self.professional.groups.all())
        first, second, third = self.signal(), self.signal(), self.signal()
        actor = events.Actor(display="t")
        services.signal_assign(signal=first, assignee=self.professional, acting_user=self.professional, actor=actor)
        services.signal_assign(signal=second, assignee=colleague, acting_user=self.professional, actor=actor)
        from omzien.casework.selectors import worklist_count

        # signal_a, the test world's self-test request and third are new, first is mine; second is the colleague's.
        self.assertEqual(worklist_count(self.professional), 4)
        login_verified(self.client, self.professional)
        self.assertContains(self.client.get(reverse("accounts:start")), "Signals (4)")
        self.assertIsNotNone(third)
        # An error page shows the menu without its counts, the worklist's queries (core.views.error_404).
        missing = self.client.get("/bestaat-niet/")
        self.assertContains(missing, reverse("casework:queue"), status_code=404)
        self.assertNotContains(missing, "Signals (4)", status_code=404)


class TriageTests(CaseworkTestCase):
    def post(self, signal: Signal, name: str, data: dict[str, Any]) -> Any:
        return self.client.post(reverse(f"casework:{name}", kwargs={"public_id": signal.public_id}), data)

    def test_assign_note_and_every_outcome(self) -> None:
        login_verified(self.client, self.professional)
        signal = self.signal(data={"reporter_email": "bea@example.nl", "wants_closing_message": True})
        mail.outbox.clear()
        self.assertEqual(self.post(signal, "signal_assign", {"assignee": self.professional.pk}).status_code, 302)
        self.assertEqual(self.post(signal, "signal_note", {"text": "Gebeld, niet thuis."}).status_code, 302)
        # Refused without what the outcome needs; the page says why.
        for data, message in (
            ({"outcome": "no_action"}, "Give the reason"),
            ({"outcome": "new_case"}, "consent for support"),
            ({"outcome": "forwarded_veilig_thuis"}, "steps 1, 2 and 5"),
            ({"outcome": "forwarded_team", "reason": "verhuisd"}, "Choose the other"),
        ):
            response = self.client.post(reverse("casework:signal_decide", kwargs={"public_id": signal.public_id}),
                                        data)  # fmt: skip
            self.assertContains(response, message)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(signal, "signal_decide", {"outcome": "new_case", "consent_method": "phone"})
        self.assertEqual(response.status_code, 302)
        signal.refresh_from_db()
        self.assertEqual((signal.status, signal.outcome, signal.assigned_to), (Status.DECIDED, Decision.NEW_CASE, self.professional))
        self.assertTrue(ResidentLink.objects.filter(resident=signal.resident, organisation=self.team_a, kind="case").exists())
        self.assertEqual(signal.notes.count(), 1)
        # The closing message: the number only, nothing about the resident or the outcome.
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn(signal.reference, mail.outbox[0].body)
        for secret in ("Eenzaam", "Gerrit", "case", "zaak"):
            self.assertNotIn(secret, mail.outbox[0].body)
        # A decided signal is not decided twice.
        self.assertEqual(self.post(signal, "signal_decide", {"outcome": "no_action", "reason": "x"}).status_code, 200)

    def test_forwarding_puts_a_new_signal_in_the_other_teams_queue(self) -> None:
        signal = self.signal()
        decided = services.signal_decide(signal=signal, outcome=Decision.FORWARDED_TEAM, acting_user=self.professional,
                                         actor=events.Actor(display="t"), reason="Verhuisd naar Neckardreef",
                                         forward_team=self.team_b)  # fmt: skip
        forwarded = decided.forwarded_signal  # type: ignore[attr-defined]
        self.assertEqual((forwarded.team, forwarded.source, forwarded.forwarded_from), (self.team_b, Source.FORWARDED, decided))
        self.assertIn("Verhuisd", forwarded.concern)

    def test_veilig_thuis_needs_the_meldcode_steps_and_keeps_them(self) -> None:
        actor = events.Actor(display="t")
        signal = self.signal()
        with self.assertRaises(SignalError):
            services.signal_decide(signal=signal, outcome=Decision.FORWARDED_VEILIG_THUIS, acting_user=self.professional,
                                   actor=actor, meldcode={"step1": True})  # fmt: skip
        decided = services.signal_decide(signal=signal, outcome=Decision.FORWARDED_VEILIG_THUIS,
                                         acting_user=self.professional, actor=actor,
                                         meldcode={"step1": True, "step2": True, "step5": True, "step3": False})  # fmt: skip
        self.assertEqual(decided.meldcode, {"step1": True, "step2": True, "step5": True})
        crisis = services.signal_decide(signal=self.signal(), outcome=Decision.FORWARDED_CRISIS, acting_user=self.professional,
                                        actor=actor, meldcode={"acute": True})  # fmt: skip
        self.assertEqual(crisis.outcome, Decision.FORWARDED_CRISIS)

    def test_added_to_a_case_only_for_a_client_of_the_team(self) -> None:
        actor = events.Actor(display="t")
        with self.assertRaises(SignalError):
            services.signal_decide(signal=self.signal(), outcome=Decision.ADDED_TO_CASE, acting_user=self.professional,
                                   actor=actor, resident=self.world.residents["b"])  # fmt: skip
        decided = services.signal_decide(signal=self.signal(), outcome=Decision.ADDED_TO_CASE,
                                         acting_user=self.professional, actor=actor, resident=self.world.residents["a"])  # fmt: skip
        self.assertEqual(decided.resident, self.world.residents["a"])

    def test_duplicates_inside_the_team_are_shown_elsewhere_only_the_team_and_the_check_is_logged(self) -> None:
        resident_b = self.world.residents["b"]  # a client of team B only
        earlier = self.signal(data={"house_number": "5"})
        signal = self.signal(data={"house_number": "5"})
        lookalike = self.signal(data={"last_name": resident_b.last_name, "date_of_birth": resident_b.date_of_birth,
                                      "house_number": "", "first_name": "B."})  # fmt: skip
        login_verified(self.client, self.professional)
        page = self.client.get(reverse("casework:signal", kwargs={"public_id": signal.public_id}))
        self.assertContains(page, earlier.reference)
        self.assertNotContains(page, "known-elsewhere")
        page = self.client.get(reverse("casework:signal", kwargs={"public_id": lookalike.public_id}))
        self.assertContains(page, "data-testid=\"known-elsewhere\"")
        self.assertContains(page, "Buurtteam B")
        self.assertNotContains(page, resident_b.street)  # nothing of what team B knows
        check = AccessLogEntry.objects.filter(action=Action.SEARCH, subject_resident_pseudo_id=resident_b.pseudo_id)
        self.assertEqual(check.count(), 1)
        self.assertEqual(self.post(signal, "signal_duplicate", {"original": earlier.public_id}).status_code, 302)
        signal.refresh_from_db()
        self.assertEqual(signal.duplicate_of, earlier)
        # A signal of another team cannot be linked.
        self.post(signal, "signal_duplicate", {"original": self.world.extra["casework"]["signal_b"].public_id})
        signal.refresh_from_db()
        self.assertEqual(signal.duplicate_of, earlier)

    def test_the_residents_export_has_the_signal_without_the_reporter_and_erasure_removes_it(self) -> None:
        from omzien.casework.selectors import signals_of_resident_export
        from omzien.casework.services import signals_of_resident_erase

        signal = self.world.extra["casework"]["signal_a"]
        resident = self.world.residents["a"]
        services.signal_decide(signal=signal, outcome=Decision.ADDED_TO_CASE, acting_user=self.professional,
                               actor=events.Actor(display="t"), resident=resident)  # fmt: skip
        exported = signals_of_resident_export(resident)
        self.assertEqual([row["what_was_noticed"] for row in exported], [signal.concern])
        self.assertNotIn("Dokter A", str(exported))
        self.assertNotIn("Huisartsenpraktijk", str(exported))
        self.assertEqual(signals_of_resident_erase(resident)["signals"], 1)
        self.assertFalse(Signal.objects.filter(pk=signal.pk).exists())

    def test_the_art_14_notice_never_names_the_reporter(self) -> None:
        signal = self.world.extra["casework"]["signal_a"]
        login_verified(self.client, self.professional)
        page = self.client.get(reverse("casework:signal_notice", kwargs={"public_id": signal.public_id}))
        self.assertContains(page, "Aaldering")
        self.assertNotContains(page, "Dokter A")
        self.assertNotContains(page, "Huisartsenpraktijk A")
        self.assertContains(page, "365")
        self.assertEqual(self.client.post(page.request["PATH_INFO"]).status_code, 302)
        self.assertTrue(signal.events.filter(kind="notice_given").exists())


class ReporterTests(CaseworkTestCase):
    def test_a_partner_sees_only_its_own_organisations_signals(self) -> None:
        login_verified(self.client, self.partner)
        response = self.client.post(reverse("casework:report"), {k: v for k, v in PUBLIC_FORM.items() if not k.startswith("reporter")})
        self.assertEqual(response.status_code, 302)
        mine = Signal.objects.get(last_name="Eenzaam")
        self.assertEqual((mine.source, mine.reporter_organisation, mine.reported_by), (Source.PARTNER, self.world.organisations["gp_a"], self.partner))
        page = self.client.get(reverse("casework:reported"))
        self.assertContains(page, mine.reference)
        self.assertContains(page, self.world.extra["casework"]["signal_a"].reference)
        self.assertNotContains(page, self.world.extra["casework"]["signal_b"].reference)
        self.assertNotContains(page, "Komt niet meer buiten")  # the status, never the triage
        # A partner of another organisation sees none of them.
        other_org = Organisation.objects.create(name="Apotheek B", kind="apotheek")
        other = User.objects.create_user(username="apotheker", organisation=other_org)
        other.groups.add(*self.partner.groups.all())
        login_verified(self.client, other)
        page = self.client.get(reverse("casework:reported"))
        self.assertNotContains(page, mine.reference)
        # Nor the team's queue.
        self.assertEqual(self.client.get(reverse("casework:signal", kwargs={"public_id": mine.public_id})).status_code, 403)

    def test_a_self_test_contact_request_becomes_a_signal_and_is_handled_with_it(self) -> None:
        request = contact_request_create(name="Sien Zelf", phone="0612345678", email="", postcode="3561AB",
                                         preferred_contact="phone", consent_text="ok", category="severe")  # fmt: skip
        signal = Signal.objects.get(contact_request=request)
        self.assertEqual((signal.team, signal.source, signal.last_name), (self.team_a, Source.SELF_TEST, "Zelf"))
        services.signal_decide(signal=signal, outcome=Decision.NO_ACTION, reason="Al geholpen", acting_user=self.professional,
                               actor=events.Actor(display="t"))  # fmt: skip
        request.refresh_from_db()
        self.assertIsNotNone(request.handled_at)

    def test_the_phone_line_logs_anonymously_and_with_consent_makes_a_signal(self) -> None:
        volunteer = self.world.user("phone_line_volunteer")
        login_verified(self.client, volunteer)
        page = self.client.get(reverse("casework:calls"))
        self.assertContains(page, "088-0767 000")  # the number from the policy's helplines
        call = {"started_at": "2026-11-30T21:10", "duration_minutes": "25", "topic": "loneliness",
                "loneliness_mentioned": "on", "advice": "listening"}  # fmt: skip
        self.assertEqual(self.client.post(reverse("casework:calls"), call).status_code, 302)
        self.assertEqual(Signal.objects.filter(source=Source.PHONE_LINE).count(), 0)
        refused = self.client.post(reverse("casework:calls"), call | {"consent": "on"})
        self.assertContains(refused, "fill in the caller")
        consented = call | {"consent": "on", "last_name": "Beller", "postcode": "3562 CD", "phone": "0301112233",
                            "concern": "Wil graag bezoek."}  # fmt: skip
        self.assertEqual(self.client.post(reverse("casework:calls"), consented).status_code, 302)
        signal = Signal.objects.get(source=Source.PHONE_LINE)
        self.assertEqual(signal.team, self.team_b)
        self.assertEqual(PhoneCall.objects.filter(volunteer=volunteer).count(), 3)  # the test world's and these two
        self.assertEqual(PhoneCall.objects.get(signal=signal).topic, "loneliness")
        future = self.client.post(reverse("casework:calls"), call | {"started_at": "2099-01-01T10:00"})
        self.assertContains(future, "cannot start in the future")
        ancient = self.client.post(reverse("casework:calls"), call | {"started_at": "0001-01-01T00:00"})
        self.assertContains(ancient, "past year only")


class ApiTests(CaseworkTestCase):
    def setUp(self) -> None:
        self.token, self.key = services.token_issue(organisation=self.world.organisations["gp_a"], name="HIS",
                                                    acting_user=self.world.user(Role.ADMINISTRATOR))  # fmt: skip

    def api(self, method: str, path: str, key: str | None = None, **data: Any) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
        return getattr(self.client, method)(path, data or None, content_type="application/json", **headers)

    def test_a_partner_system_posts_a_signal_and_follows_its_status_every_use_logged(self) -> None:
        body = {"last_name": "Eenzaam", "postcode": "3561AB", "concern": "Komt niet buiten.", "reporter_name": "Dr. X"}
        self.assertEqual(self.api("post", "/api/casework/signals/", **body).status_code, 401)
        self.assertEqual(self.api("post", "/api/casework/signals/", "omz_wrong", **body).status_code, 401)
        bad = self.api("post", "/api/casework/signals/", self.key, **(body | {"postcode": "9999ZZ"}))
        self.assertEqual(bad.status_code, 400)
        self.assertIn("postcode", bad.json())
        created = self.api("post", "/api/casework/signals/", self.key, **body)
        self.assertEqual(created.status_code, 201)
        signal = Signal.objects.get(public_id=created.json()["id"])
        self.assertEqual((signal.team, signal.source, signal.reporter_organisation), (self.team_a, Source.PARTNER_API, self.token.organisation))
        status = self.api("get", f"/api/casework/signals/{signal.public_id}/", self.key)
        self.assertEqual(status.json()["status"], "received")
        # Another organisation's signal is not found.
        foreign = self.world.extra["casework"]["signal_b"]
        self.assertEqual(self.api("get", f"/api/casework/signals/{foreign.public_id}/", self.key).status_code, 404)
        self.assertEqual(self.token.uses.count(), 3 + 1)  # 400, 201, 200, 404 with the key
        # Six requests, the signal created, and the test world's one use.
        self.assertEqual(AccessLogEntry.objects.filter(source_system__endswith="/api").count(), 6 + 1 + 1)

    def test_rotated_and_revoked_keys_stop_at_once(self) -> None:
        admin = self.world.user(Role.ADMINISTRATOR)
        new, new_key = services.token_rotate(token=self.token, acting_user=admin)
        self.assertEqual(self.api("get", "/api/casework/signals/00000000-0000-0000-0000-000000000000/", self.key).status_code, 401)
        self.assertEqual(self.api("get", "/api/casework/signals/00000000-0000-0000-0000-000000000000/", new_key).status_code, 404)
        services.token_revoke(token=new, acting_user=admin)
        self.assertEqual(self.api("get", "/api/casework/signals/00000000-0000-0000-0000-000000000000/", new_key).status_code, 401)

    def test_the_api_is_in_the_openapi_document(self) -> None:
        schema = self.client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
        self.assertIn("/api/casework/signals/", schema)
        self.assertIn("organisationKey", schema)

    def test_the_administrator_issues_a_key_in_the_admin_and_sees_it_once(self) -> None:
        admin = self.world.user(Role.ADMINISTRATOR)
        login_verified(self.client, admin)
        response = self.client.post(reverse("admin:casework_partnertoken_add"),
                                    {"organisation": self.world.organisations["gp_a"].pk, "name": "Nieuw"}, follow=True)  # fmt: skip
        self.assertContains(response, "omz_")
        self.assertEqual(self.token.organisation.api_tokens.filter(name="Nieuw").count(), 1)

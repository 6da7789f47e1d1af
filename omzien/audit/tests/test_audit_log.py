# SPDX-License-Identifier: EUPL-1.2
"""The access log: complete entries for every person-record URL, denied attempts kept, tampering found."""

from __future__ import annotations

import os
import uuid
from io import StringIO

from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.test import RequestFactory, TestCase
from django.urls import reverse

import pytest

from omzien.accounts.roles import Role
from omzien.audit import events
from omzien.audit.integrity import chain_verify
from omzien.audit.models import AccessLogEntry, Action, AuditChainHead, Outcome
from omzien.conf.url_policy import POLICY
from omzien.lib.testing.world import build_world, login_verified
from omzien.residents.permissions import get_resident_for_user

# Runs on PostgreSQL too, not only on SQLite with the rest of the unit suite (scripts/test): the access log numbers and chains its entries one way on PostgreSQL and another on SQLite.
pytestmark = pytest.mark.both_databases

# Fields that may be empty only when there is nothing to say (NEN 7513 / security.md A2).
ALWAYS_FILLED = ("id", "sequence", "occurred_at", "action", "outcome", "actor_user_id", "actor_display", "actor_role",
                 "purpose", "object_type", "object_id", "source_system", "client_ip", "request_id", "prev_hash", "entry_hash")  # fmt: skip
PERSON_RECORD_URLS = {
    "residents:list": Role.NEIGHBOURHOOD_PROFESSIONAL,
    "residents:detail": Role.NEIGHBOURHOOD_PROFESSIONAL,
    "residents:consent": Role.NEIGHBOURHOOD_PROFESSIONAL,
    "residents:mine": Role.RESIDENT,
    "residents:my_access_log": Role.RESIDENT,
    "wellbeing:measurements": Role.NEIGHBOURHOOD_PROFESSIONAL,
    "wellbeing:measurement_create": Role.NEIGHBOURHOOD_PROFESSIONAL,
    "activities:register_on_behalf": Role.NEIGHBOURHOOD_PROFESSIONAL,
    "activities:mine": Role.RESIDENT,
    "activities:client": Role.NEIGHBOURHOOD_PROFESSIONAL,
    "activities:participants": Role.ACTIVITY_PROVIDER,
    "activities:attendance": Role.ACTIVITY_PROVIDER,
}


class AccessLogTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def test_every_personal_data_url_is_covered_here(self) -> None:
        # The person-record pages of the first rooms (later rooms test their own).
        first_rooms = ("residents:", "wellbeing:", "activities:")
        tagged = {
            name for name, rule in POLICY.items() if rule.personal_data and name.startswith(first_rooms)
        }
        # create and the contact requests (not residents, so no pseudonymous id): their own tests below
        self.assertEqual(tagged - set(PERSON_RECORD_URLS), {"residents:create", "wellbeing:contact_requests"})

    def test_every_person_record_url_writes_complete_entries(self) -> None:
        for name, role in PERSON_RECORD_URLS.items():
            self.client.logout()
            login_verified(self.client, self.world.user(role))
            rule = POLICY[name]
            kwargs = rule.sample_kwargs(name, self.world) if rule.sample_kwargs else {}
            before = AccessLogEntry.objects.count()
            response = self.client.get(reverse(name, kwargs=kwargs))
            self.assertEqual(response.status_code, 200, name)
            new = list(AccessLogEntry.objects.order_by("sequence")[before:])
            with self.subTest(url=name):
                self.assertTrue(new, "no access-log entry written")
                for entry in new:
                    for field in ALWAYS_FILLED:
                        self.assertNotIn(getattr(entry, field), (None, ""), f"{field} empty")
                    self.assertEqual(entry.request_id, response["X-Request-ID"])
                    self.assertTrue(entry.source_system.endswith("/web"))
                self.assertTrue(any(e.subject_resident_pseudo_id for e in new))

    def test_the_contact_request_list_writes_one_entry_per_request_shown(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        response = self.client.get(reverse("wellbeing:contact_requests"))
        entries = list(AccessLogEntry.objects.filter(action=Action.LIST, object_type="contact_request"))
        self.assertEqual([e.object_id for e in entries], [str(self.world.extra["contact_request"].pk)])
        for field in ALWAYS_FILLED:
            self.assertNotIn(getattr(entries[0], field), (None, ""), field)
        self.assertEqual(entries[0].request_id, response["X-Request-ID"])
        self.assertIn("phone", entries[0].fields)

    def test_a_list_writes_one_entry_per_resident_shown(self) -> None:
        login_verified(self.client, self.world.user(Role.COORDINATOR))
        self.client.get(reverse("residents:list"))
        entries = AccessLogEntry.objects.filter(action=Action.LIST)
        self.assertEqual(
            [e.subject_resident_pseudo_id for e in entries], [self.world.residents["a"].pseudo_id]
        )
        self.client.get(reverse("residents:list"), {"q": "Aald"})
        self.assertEqual(AccessLogEntry.objects.filter(action=Action.SEARCH).count(), 1)

    def test_creating_a_resident_is_logged_with_the_consent_as_legal_basis(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        response = self.client.post(reverse("residents:create"), {
            "first_name": "Nieuw", "last_name": "Persoon", "preferred_contact": "visit", "consent_method": "verbal",
            "postcode": "3561 ab", "city": "Utrecht",
        })  # fmt: skip
        self.assertEqual(response.status_code, 302)
        entry = AccessLogEntry.objects.get(action=Action.CREATE, object_type="resident")
        self.assertTrue(entry.legal_basis_or_consent_id.startswith("consent:"))
        self.assertIn("first_name", entry.fields)
        self.assertNotIn("Nieuw", str(entry.fields))  # names of fields, never values

    def test_a_denied_attempt_inside_a_failed_transaction_survives_the_rollback(self) -> None:
        request = RequestFactory().get("/")
        request.user = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        foreign = self.world.residents["b"]
        with events.audit_scope():
            with self.assertRaises(Http404), transaction.atomic():
                get_resident_for_user(request, foreign.public_id, purpose="test")
            self.assertFalse(
                AccessLogEntry.objects.filter(outcome=Outcome.DENIED, object_type="resident").exists()
            )  # parked, not yet written
        denied = AccessLogEntry.objects.get(outcome=Outcome.DENIED, object_type="resident")
        self.assertEqual(denied.subject_resident_pseudo_id, foreign.pseudo_id)

    def test_a_denied_attempt_in_a_transaction_without_a_scope_is_refused_not_lost(self) -> None:
        with self.assertRaises(RuntimeError), transaction.atomic():
            events.record_denied(
                action=Action.READ, actor=events.Actor(), subject=events.Subject(), purpose="test"
            )

    def test_a_resident_sees_which_organisations_looked_at_their_record(self) -> None:
        own = self.world.residents["self"]
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        self.client.get(reverse("residents:list"))  # resident_self has no case at team A: not shown
        self.client.logout()
        request = RequestFactory().get("/")
        request.user = self.world.user(Role.COORDINATOR)
        with events.audit_scope(), self.assertRaises(Http404):
            get_resident_for_user(request, own.public_id, purpose="test")
        login_verified(self.client, self.world.user(Role.RESIDENT))
        body = self.client.get(reverse("residents:my_access_log")).content.decode()
        self.assertIn("Humanitas", body)  # the coordinator's denied attempt
        self.assertNotIn("Coordinator", body)  # organisation and role, not the person's name
        csv = self.client.get(reverse("residents:my_access_log"), {"formaat": "csv"})
        self.assertEqual(csv["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("Humanitas", csv.content.decode())

    def test_the_auditor_view_filters_and_is_itself_logged(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        self.client.get(reverse("residents:detail", args=[self.world.residents["b"].public_id]))
        self.client.logout()
        login_verified(self.client, self.world.user(Role.ADMINISTRATOR))
        response = self.client.get(reverse("audit:entries"), {"outcome": "denied"})
        self.assertContains(response, "neighbourhood-professional")
        # Only the denied entries (the world's rooms may have written some of their own).
        denied = AccessLogEntry.objects.filter(outcome=Outcome.DENIED)
        self.assertEqual(response.context["page"].paginator.count, denied.count())
        self.assertTrue(denied.filter(actor_role="neighbourhood_professional").exists())
        self.assertEqual({e.outcome for e in response.context["page"].object_list}, {Outcome.DENIED})
        self.assertTrue(
            AccessLogEntry.objects.filter(object_type="access_log", actor_role="administrator").exists()
        )


class ChainTests(TestCase):
    def _entries(self, count: int) -> None:
        for number in range(count):
            events.record(action=Action.READ, actor=events.Actor(display="t", role="test"),
                          subjects=[events.Subject(resident_pseudo_id=uuid.uuid4(), object_type="resident", object_id=str(number))],
                          purpose="test")  # fmt: skip

    def _allow_changes(self) -> None:
        # The application role may not change the log on PostgreSQL; the test role grants itself the
        # right inside this test's transaction, which the rollback takes back.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("GRANT UPDATE, DELETE ON audit_accesslogentry TO CURRENT_USER")

    def test_an_intact_chain_verifies(self) -> None:
        self._entries(5)
        report = chain_verify()
        self.assertTrue(report.intact, report.problems)
        self.assertEqual(report.checked, 5)
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        self.assertIn("intact: 5 entries", out.getvalue())

    def _nth(self, position: int) -> AccessLogEntry:
        return AccessLogEntry.objects.get(chain=1, chain_position=position)

    def _in_chain_1(self, problem: str) -> str:
        # With more than one chain (PostgreSQL makes OMZIEN_AUDIT_CHAINS heads at the first write) a
        # problem names its chain.
        return f"chain 1: {problem}" if AuditChainHead.objects.count() > 1 else problem

    def test_an_altered_row_is_detected_and_verify_exits_non_zero(self) -> None:
        self._entries(5)
        self._allow_changes()
        third = self._nth(3)
        AccessLogEntry.objects.filter(pk=third.pk).update(actor_display="someone else")
        report = chain_verify()
        self.assertEqual(
            report.problems, [self._in_chain_1(f"entry #{third.sequence}: its content was changed after it was written")]
        )
        with self.assertRaises(SystemExit) as raised:
            call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
        self.assertEqual(raised.exception.code, 1)

    def test_a_removed_row_and_a_cut_off_end_are_detected(self) -> None:
        self._entries(5)
        self._allow_changes()
        third = self._nth(3)
        AccessLogEntry.objects.filter(pk=self._nth(2).pk).delete()
        missing = self._in_chain_1(f"entry 2 is missing (next found: entry 3, #{third.sequence})")
        self.assertIn(missing, chain_verify().problems)
        AccessLogEntry.objects.filter(pk=self._nth(5).pk).delete()
        self.assertTrue(any("removed from the end" in p for p in chain_verify().problems))


@pytest.mark.postgres
class AppendOnlyOnPostgresTests(TestCase):
    def test_the_application_role_cannot_update_or_delete_entries(self) -> None:
        events.record(
            action=Action.READ,
            actor=events.Actor(),
            subjects=[events.Subject(object_type="x", object_id="1")],
            purpose="t",
        )
        for statement in (
            "UPDATE audit_accesslogentry SET actor_display = 'x'",
            "DELETE FROM audit_accesslogentry",
        ):
            with (
                self.subTest(statement=statement),
                self.assertRaises(DatabaseError),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement)
        self.assertEqual(AccessLogEntry.objects.count(), 1)
        self.assertIn("omzien", os.environ.get("DATABASE_URL", ""))  # the test runs as the application role


class RecordListedTests(TestCase):
    """``events.record_listed`` is the one way to log a list: one entry per person shown, none for none."""

    def test_one_entry_per_person_shown_with_the_field_names_and_none_for_an_empty_list(self) -> None:
        world = build_world()
        shown = [world.residents["a"], world.residents["b"]]
        actor = events.Actor(display="t", role="test")
        events.record_listed(actor=actor, shown=[], fields=("first_name",), purpose="test")
        self.assertFalse(AccessLogEntry.objects.filter(purpose="test").exists())
        events.record_listed(actor=actor, shown=shown, fields=("last_name", "first_name"), purpose="test",
                             action=Action.SEARCH)  # fmt: skip
        entries = list(AccessLogEntry.objects.filter(purpose="test").order_by("sequence"))
        self.assertEqual([e.subject_resident_pseudo_id for e in entries], [r.pseudo_id for r in shown])
        self.assertEqual([e.object_id for e in entries], [str(r.public_id) for r in shown])
        self.assertEqual(
            {(e.action, tuple(e.fields)) for e in entries}, {(Action.SEARCH, ("first_name", "last_name"))}
        )


def test_a_rooms_access_purposes_are_shown_in_its_own_words() -> None:
    from django.utils import translation

    from omzien.audit.words import purpose_label

    with translation.override("en"):
        assert purpose_label("signal_triage") == "assessing a signal"  # declared by casework's room.py
        assert purpose_label("attendance") == "attendance at an activity"  # activities
        assert purpose_label("own_record") == "the resident's own record"  # the ground floor's own
        assert purpose_label("not_declared") == "not declared"

# SPDX-License-Identifier: EUPL-1.2
"""How entries are written (issue #16): one prepared INSERT for all the rows of an action, storing exactly what
the ORM would store, in as many queries for 300 people as for 3; and the chain heads made at migration."""

from __future__ import annotations

import importlib
import uuid
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

import pytest

from omzien.audit import events
from omzien.audit.integrity import chain_verify
from omzien.audit.models import AccessLogEntry, AuditChainHead

# Runs on PostgreSQL too, not only on SQLite with the rest of the unit suite (scripts/test): the access log numbers and chains its entries one way on PostgreSQL and another on SQLite.
pytestmark = pytest.mark.both_databases

ACTOR = events.Actor(
    user_id=uuid.uuid4(), display="zorgverlener", role="neighbourhood_professional", organisation_id=uuid.uuid4(),
    organisation_name="Buurtteam Overvecht", client_ip="2001:db8::7", channel="web",
    on_behalf_of_user_id=uuid.uuid4(),
)  # fmt: skip


def _subjects(count: int) -> list[events.Subject]:
    return [
        events.Subject(resident_pseudo_id=uuid.uuid4(), object_type="resident", object_id=str(n),
                       fields=("last_name", "first_name"), changes={"role": {"old": None, "new": f"r{n}"}})
        for n in range(count)
    ]  # fmt: skip


def _stored(entry_id: uuid.UUID) -> dict[str, object]:
    """The row as the database holds it, column by column, read past the ORM's conversions."""
    columns = [field.column for field in AccessLogEntry._meta.concrete_fields]
    id_column = AccessLogEntry._meta.pk.column
    prepared = AccessLogEntry._meta.pk.get_db_prep_value(entry_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM audit_accesslogentry WHERE {id_column} = %s",  # noqa: S608 - the model's own columns
            [prepared],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


class AppendTests(TestCase):
    def test_a_written_row_is_stored_exactly_as_the_orm_stores_the_same_values(self) -> None:
        [written] = events.record(action="read", actor=ACTOR, subjects=_subjects(1), purpose="case_work",
                                  legal_basis="consent:42", http_status=200, break_glass_reason="crisis")  # fmt: skip
        # The same values through the ORM, at a place of its own (the keys and hashes must differ).
        twin = dict(written, id=uuid.uuid4(), sequence=written["sequence"] + 10**9, chain=999,
                    entry_hash="f" * 64)  # fmt: skip
        AccessLogEntry.objects.bulk_create([AccessLogEntry(**twin)])
        lean, orm = _stored(written["id"]), _stored(twin["id"])
        for column in ("id", "sequence", "chain", "entry_hash"):
            lean.pop(column), orm.pop(column)
        self.assertEqual(lean, orm)
        entry = AccessLogEntry.objects.get(pk=written["id"])
        self.assertEqual(
            (entry.fields, entry.changes, entry.client_ip, entry.occurred_at, entry.break_glass),
            (["first_name", "last_name"], {"role": {"old": None, "new": "r0"}}, "2001:db8::7",
             written["occurred_at"], True),
        )  # fmt: skip
        if connection.vendor == "postgresql":  # the maintenance role's right, inside this test's transaction
            with connection.cursor() as cursor:
                cursor.execute("GRANT DELETE ON audit_accesslogentry TO CURRENT_USER")
        AccessLogEntry.objects.filter(pk=twin["id"]).delete()
        report = chain_verify()
        self.assertTrue(report.intact, report.problems)

    def test_an_address_written_in_another_notation_is_stored_and_hashed_alike(self) -> None:
        # The database stores 2001:db8::7; hashing the notation as given broke the chain's verification.
        from dataclasses import replace

        for written in ("2001:DB8:0:0:0:0:0:7", "2001:0db8::0007", "192.0.2.1", "not an address"):
            events.record(action="view", actor=replace(ACTOR, client_ip=written), subjects=_subjects(1), purpose="case_work")
        report = chain_verify()
        self.assertTrue(report.intact, report.problems)
        stored = list(AccessLogEntry.objects.order_by("sequence").values_list("client_ip", flat=True))
        self.assertEqual(stored, ["2001:db8::7", "2001:db8::7", "192.0.2.1", None])

    def test_the_chain_links_across_several_appends_and_verifies(self) -> None:
        for count in (1, 5, 3):
            events.record(action="list", actor=ACTOR, subjects=_subjects(count), purpose="case_work")
        report = chain_verify()
        self.assertTrue(report.intact, report.problems)
        self.assertEqual(report.checked, 9)
        head = AuditChainHead.objects.get(pk=1)
        last = AccessLogEntry.objects.filter(chain=1).order_by("-chain_position").first()
        assert last is not None
        self.assertEqual((head.last_position, head.last_sequence, head.last_hash),
                         (9, last.sequence, last.entry_hash))  # fmt: skip

    def test_a_list_of_300_people_is_written_in_as_many_queries_as_a_list_of_3(self) -> None:
        def queries(count: int) -> int:
            with CaptureQueriesContext(connection) as captured:
                events.record(action="list", actor=ACTOR, subjects=_subjects(count), purpose="case_work")
            return len(captured.captured_queries)

        queries(1)  # the chain head exists from here on in every case
        self.assertEqual(queries(300), queries(3))
        self.assertEqual(AccessLogEntry.objects.count(), 304)


class ChainHeadsMigrationTests(TestCase):
    def test_the_migration_makes_every_chains_head_and_an_empty_chain_verifies(self) -> None:
        AuditChainHead.objects.all().delete()
        migration = importlib.import_module("omzien.audit.migrations.0006_chain_heads")
        migration.chain_heads(apps, SimpleNamespace(connection=connection))
        migration.chain_heads(apps, SimpleNamespace(connection=connection))  # again: nothing changes
        chains = list(range(1, events.chains_configured() + 1))
        self.assertEqual(list(AuditChainHead.objects.order_by("pk").values_list("pk", flat=True)), chains)
        report = chain_verify()
        self.assertTrue(report.intact, report.problems)
        events.record(action="read", actor=ACTOR, subjects=_subjects(2), purpose="case_work")
        self.assertEqual(AuditChainHead.objects.count(), len(chains))  # the writer made none
        self.assertTrue(chain_verify().intact)

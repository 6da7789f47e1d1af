# SPDX-License-Identifier: EUPL-1.2
"""The access log as several chains side by side (issue 26): writers in different transactions do not wait
for one another, and ``omzien audit verify`` still catches every removal, alteration or move."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase, override_settings

import pytest

from omzien.audit import events
from omzien.audit.integrity import chain_expire, chain_verify, chains_seal
from omzien.audit.models import AccessLogEntry, AuditChainHead

# Runs on PostgreSQL too, not only on SQLite with the rest of the unit suite (scripts/test): the access log numbers and chains its entries one way on PostgreSQL and another on SQLite.
pytestmark = pytest.mark.both_databases

ACTOR = events.Actor(display="test", role="system")


def _rows(count: int, label: str = "x") -> list[dict]:
    return [
        events._entry_values(
            action="read", outcome="success", actor=ACTOR, purpose="test", legal_basis="", http_status=None,
            subject=events.Subject(object_type="thing", object_id=f"{label}{n}"), break_glass_reason="",
            occurred_at=events.timezone.now(),
        )
        for n in range(count)
    ]  # fmt: skip


class TwoChainsTests(TestCase):
    """Entries in chain 1 and chain 2 (as two concurrent writers leave them), then tampered with."""

    def setUp(self) -> None:
        events._append(_rows(3, "a"), chain=1)
        events._append(_rows(3, "b"), chain=2)
        events._append(_rows(2, "c"), chain=1)
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor
            ):  # the maintenance role's rights, inside this test's transaction
                cursor.execute("GRANT UPDATE, DELETE ON audit_accesslogentry TO CURRENT_USER")

    def _entry(self, chain: int, position: int) -> AccessLogEntry:
        return AccessLogEntry.objects.get(chain=chain, chain_position=position)

    def test_both_chains_verify_and_are_numbered_without_gaps(self) -> None:
        report = chain_verify()
        self.assertTrue(report.intact, report.problems)
        self.assertEqual(report.checked, 8)
        self.assertEqual(
            list(AccessLogEntry.objects.filter(chain=2).values_list("chain_position", flat=True)), [1, 2, 3]
        )
        self.assertEqual(AuditChainHead.objects.get(pk=1).last_position, 5)
        sequences = list(AccessLogEntry.objects.values_list("sequence", flat=True))
        self.assertEqual(len(set(sequences)), 8)  # unique across the chains, in the order written
        self.assertLess(self._entry(2, 3).sequence, self._entry(1, 4).sequence)

    def test_an_entry_removed_from_the_middle_of_the_second_chain_is_detected(self) -> None:
        self._entry(2, 2).delete()
        self.assertIn(f"chain 2: entry 2 is missing (next found: entry 3, #{self._entry(2, 3).sequence})",
                      chain_verify().problems)  # fmt: skip

    def test_the_end_of_the_second_chain_cut_off_is_detected(self) -> None:
        self._entry(2, 3).delete()
        self.assertTrue(
            any(p.startswith("chain 2:") and "removed from the end" in p for p in chain_verify().problems)
        )

    def test_a_whole_chain_removed_with_its_head_is_detected_by_the_seal(self) -> None:
        self.assertEqual(chains_seal(), 1)
        self.assertEqual(chains_seal(), 0)  # nothing moved since: no second seal
        self.assertTrue(chain_verify().intact, chain_verify().problems)
        AccessLogEntry.objects.filter(chain=2).delete()
        AuditChainHead.objects.filter(pk=2).delete()
        problems = chain_verify().problems
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("chain 2: entry 3, named by the seal", problems[0])
        self.assertIn("entries were removed", problems[0])

    def test_a_head_removed_with_entries_left_behind_is_detected(self) -> None:
        AuditChainHead.objects.filter(pk=2).delete()
        self.assertIn("chain 2: the chain has no head: its end cannot be checked (the head was removed)",
                      chain_verify().problems)  # fmt: skip

    def test_the_seal_written_by_the_tick_links_into_chain_one_and_verifies(self) -> None:
        call_command("tick", stdout=StringIO(), stderr=StringIO())
        seal = AccessLogEntry.objects.get(purpose="chain_seal")
        self.assertEqual((seal.chain, seal.chain_position), (1, 6))
        self.assertEqual(seal.changes["heads"]["2"], [3, self._entry(2, 3).entry_hash])
        self.assertTrue(chain_verify().intact, chain_verify().problems)

    def test_an_entry_moved_to_the_other_chain_is_detected(self) -> None:
        moved = self._entry(2, 3)
        AccessLogEntry.objects.filter(pk=moved.pk).update(chain=1, chain_position=6)
        AuditChainHead.objects.filter(pk=1).update(last_position=6, last_hash=moved.entry_hash)
        problems = chain_verify().problems
        self.assertIn(f"chain 1: entry #{moved.sequence}: does not link to the entry before it", problems)
        self.assertTrue(
            any(p.startswith("chain 2:") and "removed from the end" in p for p in problems), problems
        )

    def test_an_altered_entry_in_the_second_chain_is_detected_and_verify_exits_non_zero(self) -> None:
        altered = self._entry(2, 1)
        AccessLogEntry.objects.filter(pk=altered.pk).update(object_id="someone else")
        self.assertEqual(
            chain_verify().problems,
            [f"chain 2: entry #{altered.sequence}: its content was changed after it was written"],
        )
        with self.assertRaises(SystemExit):
            call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())

    def test_expiry_cuts_each_chain_at_its_own_place_and_both_still_verify(self) -> None:
        later = events.timezone.now() + timedelta(days=1)
        report = chain_expire(before=later)
        self.assertEqual((report.removed, report.kept_from), (8, {1: 6, 2: 4}))
        verified = chain_verify()
        self.assertTrue(verified.intact, verified.problems)
        self.assertEqual(verified.checked, 2)  # one retention entry in each chain
        events._append(_rows(1), chain=2)
        self.assertTrue(chain_verify().intact)


@pytest.mark.postgres
@override_settings(OMZIEN_AUDIT_CHAINS=4)
class ConcurrentWritersTests(TransactionTestCase):
    """Two transactions append at the same time: the second does not wait for the first to commit."""

    def test_a_writer_does_not_wait_for_another_transaction_holding_a_chain(self) -> None:
        if connection.vendor != "postgresql":
            pytest.skip("chains side by side are PostgreSQL's; SQLite lets one writer in at a time")
        # The heads exist, as in any running system: the very first writers of a new database both
        # insert them, and the second waits for the first's uncommitted insert of the same keys.
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=pk) for pk in range(1, events.chains_configured() + 1)], ignore_conflicts=True
        )
        holding, release, errors = threading.Event(), threading.Event(), []
        second_done = threading.Event()

        def first() -> None:
            try:
                with transaction.atomic():
                    events._append(_rows(1, "first"))
                    holding.set()
                    release.wait(10)
            except Exception as error:  # noqa: BLE001 - reported by the test below
                errors.append(error)
            finally:
                connection.close()

        def second() -> None:
            try:
                holding.wait(10)
                with transaction.atomic():
                    events._append(_rows(2, "second"))
                second_done.set()
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        # The second commits while the first still holds its chain's head.
        self.assertTrue(second_done.wait(10), "the second writer waited for the first transaction")
        release.set()
        for thread in threads:
            thread.join(15)
        self.assertEqual(errors, [])
        chains = dict(AccessLogEntry.objects.values_list("object_id", "chain"))
        self.assertNotEqual(chains["first0"], chains["second0"])
        self.assertEqual(chains["second0"], chains["second1"])  # one action's entries stay in one chain
        report = chain_verify()
        self.assertTrue(report.intact, report.problems)
        self.assertEqual(report.checked, 3)

# SPDX-License-Identifier: EUPL-1.2
"""The proposal round's fast path (issue #21): rows read straight into the engine's records, the even
pricing, proposals stored in one COPY (PostgreSQL) or bulk_create — the same result as the reference
way (model instances, records one by one, one solve over all pairs), and one access-log entry a round."""

from __future__ import annotations

import importlib
import random
from datetime import timedelta
from typing import Any
from unittest import mock

from django.core import mail
from django.utils import timezone

import numpy as np
import pytest

from omzien.audit.models import AccessLogEntry
from omzien.matching.engine import solve
from omzien.residents.models import Resident
from omzien.volunteers import services
from omzien.volunteers.engine_input import engine_input, engine_instance, free_volunteers, open_requests
from omzien.volunteers.models import MatchRequest, Pair, Proposal, Volunteer
from omzien.volunteers.tests.test_pairs import PairsTestCase

# Runs on PostgreSQL too, not only on SQLite with the rest of the unit suite (scripts/test): a round's proposals are written with COPY on PostgreSQL and bulk_create elsewhere.
pytestmark = pytest.mark.both_databases

solve_module = importlib.import_module("omzien.matching.engine.solve")


class FastRoundTests(PairsTestCase):
    def setUp(self) -> None:
        super().setUp()
        from omzien.activities.models import Term
        from omzien.geo.models import Postcode

        rng = random.Random(5)
        interests = list(Term.objects.filter(vocabulary="interest").values_list("pk", flat=True))[:8]
        codes = list(Postcode.objects.filter(lat__isnull=False).values_list("code", flat=True))
        kinds = [("visits",), ("buddy",), ("visits", "buddy"), ("meal_host",)]
        for i in range(24):
            work = kinds[i % len(kinds)]
            volunteer = self.volunteer(f"V{i}", postcode=rng.choice(codes), work=work, max_pairs=rng.choice([1, 1, 2]),
                                       guests_per_meal=2 if "meal_host" in work else None,
                                       diets=["halal"] if i % 8 == 3 else [], gender=rng.choice(["woman", "man", ""]))  # fmt: skip
            volunteer.interests.set(rng.sample(interests, 2))
            Volunteer.objects.filter(pk=volunteer.pk).update(
                availability=rng.getrandbits(21), languages=rng.choice([["nl"], ["nl", "ar"], ["tr"]])
            )
        for _i in range(30):
            request = self.request(rng.choice(["visit", "buddy", "eet_mee"]), need=rng.choice([1, 2, 3]),
                                   interests=rng.sample(interests, rng.randint(0, 3)), gender_preference=rng.choice(["", "women"]))  # fmt: skip
            MatchRequest.objects.filter(pk=request.pk).update(
                availability=rng.getrandbits(21), languages=rng.choice([["nl"], ["ar"], ["tr", "nl"]]),
                created_at=timezone.now() - timedelta(days=rng.randint(0, 300)),
            )  # fmt: skip
        # One volunteer is busy with a current pair: one place fewer.
        self.busy = Volunteer.objects.filter(max_pairs=2).order_by("pk")[0]
        Pair.objects.create(request=self.request("visit"), volunteer=self.busy, organisation=self.humanitas, kind="visit",
                            stage=Pair.Stage.ACTIVE, asked_at=timezone.now())  # fmt: skip

    def test_rows_make_the_same_instance_as_the_records_of_model_instances(self) -> None:
        now = timezone.now()
        fast = engine_input(self.humanitas, now=now)
        reference = engine_instance(open_requests(self.humanitas), free_volunteers(self.humanitas), now=now)
        self.assertEqual(fast.request_ids, [int(i) for i in reference.requests.ids])
        self.assertEqual(fast.volunteer_ids, [int(i) for i in reference.offers.ids])
        self.assertIn(self.busy.pk, fast.volunteer_ids)
        self.assertEqual(int(fast.instance.offers.capacity[fast.volunteer_ids.index(self.busy.pk)]), 1)
        for side in ("requests", "offers"):
            ours, theirs = getattr(fast.instance, side), getattr(reference, side)
            for name, value in theirs.__dict__.items():
                if isinstance(value, np.ndarray):
                    np.testing.assert_array_equal(getattr(ours, name), value, err_msg=f"{side}.{name}")
                else:
                    self.assertEqual(getattr(ours, name), value, f"{side}.{name}")
        self.assertEqual(fast.instance.vocabulary, reference.vocabulary)

    def test_the_round_stores_the_reference_optimum(self) -> None:
        # Every size takes the even pricing here (as 10,000 × 10,000 does), checked against one solve over all pairs.
        with (
            mock.patch.object(solve_module, "DIRECT_PAIRS", 0),
            mock.patch.object(solve_module, "EVEN_KEEP", 1),
        ):
            result = services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        reference = solve(engine_instance(open_requests(self.humanitas), free_volunteers(self.humanitas), now=timezone.now()),
                          pricing=False)  # fmt: skip
        self.assertLess(result.solver["working_pairs"], result.pairs)  # the fast path ran
        stored = list(Proposal.objects.filter(status=Proposal.Status.PROPOSED))
        self.assertGreater(len(stored), 5)
        self.assertEqual(len(stored), reference.matched)
        self.assertAlmostEqual(sum(p.weight for p in stored), reference.objective, delta=1e-3 * len(stored))
        self.assertEqual(result.proposals, len(stored))
        # Nobody over their places, a request at most once, parts adding up, alternatives not the proposal.
        load: dict[int, int] = {}
        for proposal in stored:
            load[proposal.volunteer_id] = load.get(proposal.volunteer_id, 0) + 1
            self.assertAlmostEqual(sum(proposal.parts.values()), proposal.weight, places=2)
            self.assertNotIn(proposal.volunteer_id, [a["volunteer"] for a in proposal.alternatives])
            self.assertLessEqual(len(proposal.alternatives), services.pairs.ALTERNATIVES)
            self.assertEqual(proposal.round, result.round)
            self.assertTrue(proposal.public_id)
        for volunteer in Volunteer.objects.filter(pk__in=load):
            current = Pair.objects.filter(volunteer=volunteer, stage__in=Pair.CURRENT).count()
            self.assertLessEqual(
                load[volunteer.pk] + current, max(volunteer.max_pairs, volunteer.guests_per_meal or 1)
            )

    def test_one_access_log_entry_names_the_round(self) -> None:
        before = AccessLogEntry.objects.count()
        first = services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        entries = list(
            AccessLogEntry.objects.order_by("-sequence")[: AccessLogEntry.objects.count() - before]
        )
        self.assertEqual(
            [(e.object_type, e.object_id, e.action) for e in entries],
            [("proposalround", str(first.round), "create")],
        )
        self.assertIsNone(entries[0].subject_resident_pseudo_id)
        # A second round supersedes the first one's open proposals and writes its own entry.
        second = services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        self.assertEqual(
            set(Proposal.objects.filter(status=Proposal.Status.PROPOSED).values_list("round", flat=True)),
            {second.round},
        )
        self.assertEqual(
            Proposal.objects.filter(round=first.round, status=Proposal.Status.SUPERSEDED).count(),
            first.proposals,
        )
        self.assertEqual(AccessLogEntry.objects.filter(object_type="proposalround").count(), 2)


class ResidentToldWhenAskedTests(PairsTestCase):
    """Accepting a proposal asks the volunteer and tells the resident how to answer (issue #21's life cycle)."""

    def _accept(self, resident: Resident) -> list[Any]:
        self.volunteer("Nina")
        data = services.RequestData(kind="visit", postcode="3561AB", languages=["nl"], availability=0b111)
        request = services.request_open(organisation=self.humanitas, data=data, source=MatchRequest.Source.COORDINATOR,
                                        acting_user=self.coordinator, resident=resident)  # fmt: skip
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            services.proposal_accept(proposal=request.proposals.get(), acting_user=self.coordinator)
        return [m for m in mail.outbox if m.to == [resident.email]]

    def test_a_resident_with_an_account_is_asked_to_answer_in_omzien_in_dutch(self) -> None:
        me = self.world.residents["self"]
        Resident.objects.filter(pk=me.pk).update(email="ikzelf@example.nl", languages=["nl", "ar"])
        me.refresh_from_db()
        (message,) = self._accept(me)
        self.assertEqual(message.subject, "Misschien hebben we iemand voor u gevonden")
        self.assertIn("Humanitas heeft misschien een bezoeker voor u gevonden", message.body)
        self.assertIn("'Een bezoeker of maatje'", message.body)
        # Nothing about the volunteer, nothing about the resident beyond the address it goes to.
        for detail in ("Nina", "Vrijwilliger", me.last_name, "3561"):
            self.assertNotIn(detail, message.body + message.subject)

    def test_someone_who_reads_english_and_no_dutch_gets_english_and_without_an_account_a_call(self) -> None:
        resident = self.world.residents["b"]
        Resident.objects.filter(pk=resident.pk).update(
            email="bea@example.nl", languages=["en", "pl"], user=None
        )
        resident.refresh_from_db()
        (message,) = self._accept(resident)
        self.assertEqual(message.subject, "We may have found someone for you")
        self.assertIn("Your coordinator at Humanitas will call you to ask.", message.body)
        self.assertNotIn("Omzien, under", message.body)

    def test_no_address_no_mail(self) -> None:
        resident = self.world.residents["b"]
        Resident.objects.filter(pk=resident.pk).update(email="")
        resident.refresh_from_db()
        self.assertEqual(self._accept(resident), [])
        self.assertEqual([m.to for m in mail.outbox], [["nina@example.nl"]])  # the volunteer is asked

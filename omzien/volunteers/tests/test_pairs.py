# SPDX-License-Identifier: EUPL-1.2
"""Matches between people through their services and pages: a proposal round with its reasons, the
life of a pair (asked → introduction → active → check-ins → ended → re-match), "I am worried" filing a
casework signal, a referral opening a request and hearing back, durability against a hand computation,
and who sees whose resident."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

import pytest

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry
from omzien.geo.models import Postcode
from omzien.lib.testing.world import build_world, login_verified
from omzien.residents.models import ResidentLink
from omzien.residents.permissions import residents_visible_to
from omzien.volunteers import selectors, services
from omzien.volunteers.models import (
    Intake,
    IntakeStep,
    MatchRequest,
    Pair,
    Proposal,
    VogRecord,
    Volunteer,
)
from omzien.volunteers.tests.factories import grant_room_permissions

# Runs on PostgreSQL too, not only on SQLite with the rest of the unit suite (scripts/test): a round's proposals are written with COPY on PostgreSQL and bulk_create elsewhere.
pytestmark = pytest.mark.both_databases


class PairsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        grant_room_permissions()
        cls.world = build_world()
        buurt = cls.world.residents["a"].neighbourhood
        for code, lat, lon in (("3561AB", 52.100, 5.120), ("3561AC", 52.104, 5.121), ("3584AA", 52.112, 5.128)):
            Postcode.objects.create(code=code, neighbourhood=buurt, lat=lat, lon=lon)
        cls.humanitas = cls.world.organisations["humanitas"]
        cls.coordinator = cls.world.user(Role.COORDINATOR)
        cls.volunteer_user = cls.world.user(Role.VOLUNTEER)
        cls.resident = cls.world.residents["a"]
        # The test world's own requests and pairs (the URL walker's) are not part of these stories.
        Pair.objects.all().delete()
        MatchRequest.objects.all().delete()
        Volunteer.objects.filter(user=cls.volunteer_user).update(user=None)

    def volunteer(self, name: str, *, postcode: str = "3561AC", work: tuple[str, ...] = ("visits",), user=None,  # type: ignore[no-untyped-def]
                  organisation=None, **values) -> Volunteer:  # fmt: skip
        now = timezone.now()
        place = Postcode.objects.get(code=postcode)
        volunteer = Volunteer.objects.create(
            user=user, first_name=name, last_name="Vrijwilliger", email=f"{name.lower()}@example.nl", postcode=postcode,
            lat=place.lat, lon=place.lon, work_kinds=list(work), availability=0b111111111, languages=["nl"],
            max_travel_km=5, created_at=now, **values,
        )  # fmt: skip
        organisation = organisation or self.humanitas
        intake = Intake.objects.create(volunteer=volunteer, organisation=organisation, stage=Intake.Stage.ACTIVE,
                                       stage_changed_at=now, started_at=now, via=Intake.Via.SIGNUP)  # fmt: skip
        IntakeStep.objects.create(intake=intake, stage=intake.stage, at=now)
        VogRecord.objects.create(volunteer=volunteer, organisation=organisation, requested_on=timezone.localdate() - timedelta(days=30),
                                 issued_on=timezone.localdate() - timedelta(days=20), checked_at=now)  # fmt: skip
        return volunteer

    def request(self, kind: str = "visit", **values) -> MatchRequest:  # type: ignore[no-untyped-def]
        data = services.RequestData(kind=kind, postcode="3561AB", languages=["nl"], availability=0b111, **values)
        # One open request per person and kind: a story with several of a kind has several people asking.
        resident = self.resident
        if MatchRequest.objects.filter(resident=resident, kind=kind, status=MatchRequest.Status.OPEN).exists():
            from omzien.residents.models import Resident

            resident = Resident.objects.create(first_name=f"Bewoner{MatchRequest.objects.count()}", last_name="Test",
                                               postcode="3561AB", neighbourhood=self.resident.neighbourhood)  # fmt: skip
        return services.request_open(organisation=self.humanitas, data=data, source=MatchRequest.Source.COORDINATOR,
                                     acting_user=self.coordinator, resident=resident)  # fmt: skip


class ProposalRoundTests(PairsTestCase):
    def test_a_round_proposes_who_fits_with_reasons_and_alternatives(self) -> None:
        near = self.volunteer("Nina")
        far = self.volunteer("Fleur", postcode="3584AA")
        host = self.volunteer("Hans", work=("meal_host",), guests_per_meal=2, diets=["halal"])
        plain_host = self.volunteer("Piet", work=("meal_host",), guests_per_meal=3, diets=[])
        visit = self.request("visit")
        meal = self.request("eet_mee", diets=["halal"])
        result = services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        self.assertEqual((result.requests, result.proposals), (2, 2))
        by_request = {p.request_id: p for p in Proposal.objects.filter(status=Proposal.Status.PROPOSED)}
        self.assertEqual(by_request[visit.pk].volunteer, near)  # nearer, same language and days
        self.assertEqual(by_request[meal.pk].volunteer, host)  # the only host who cooks halal; a visitor never hosts
        proposal = by_request[visit.pk]
        self.assertAlmostEqual(sum(proposal.parts.values()), proposal.weight, places=2)
        self.assertEqual([a["volunteer"] for a in proposal.alternatives], [far.pk])  # Piet hosts, he does not visit
        self.assertNotIn(plain_host.pk, [a["volunteer"] for a in by_request[meal.pk].alternatives])
        # A second round replaces the open proposals instead of adding to them.
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        self.assertEqual(Proposal.objects.filter(status=Proposal.Status.PROPOSED).count(), 2)

    def test_a_resident_who_restricted_processing_or_objected_to_matching_gets_no_proposal(self) -> None:
        # AVG art. 18 and 21 (rights room): the request stays open, but the engine leaves it out.
        self.volunteer("Nina")
        self.request("visit")
        for limit in ({"restricted_since": timezone.now()}, {"objections": ["matching"]}):
            type(self.resident).objects.filter(pk=self.resident.pk).update(**{"restricted_since": None, "objections": [], **limit})
            result = services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
            self.assertEqual((result.requests, result.proposals), (0, 0), limit)
        type(self.resident).objects.filter(pk=self.resident.pk).update(restricted_since=None, objections=[])
        result = services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        self.assertEqual((result.requests, result.proposals), (1, 1))

    def test_a_volunteer_without_a_free_place_cannot_be_accepted_twice(self) -> None:
        self.volunteer("Nina")
        first, second = self.request("visit"), self.request("buddy")
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        Volunteer.objects.update(work_kinds=["visits", "buddy"])
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        proposals = list(Proposal.objects.filter(status=Proposal.Status.PROPOSED))
        # One volunteer, one place: the engine proposes her for one of the two requests only.
        self.assertEqual(len(proposals), 1)
        proposal = proposals[0]
        services.proposal_accept(proposal=proposal, acting_user=self.coordinator)
        other = first if proposal.request_id == second.pk else second
        extra = Proposal.objects.create(request=other, volunteer=proposal.volunteer, round=proposal.round, weight=1, km=1,
                                        created_at=timezone.now())  # fmt: skip
        with self.assertRaises(services.PairError):
            services.proposal_accept(proposal=extra, acting_user=self.coordinator)
        self.assertEqual(Pair.objects.count(), 1)

    def test_rejecting_needs_a_reason_and_keeps_it(self) -> None:
        self.volunteer("Nina")
        request = self.request()
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        proposal = request.proposals.get()
        with self.assertRaises(services.PairError):
            services.proposal_reject(proposal=proposal, reason=" ", acting_user=self.coordinator)
        services.proposal_reject(proposal=proposal, reason="Kennen elkaar al", acting_user=self.coordinator)
        proposal.refresh_from_db()
        self.assertEqual((proposal.status, proposal.reason), (Proposal.Status.REJECTED, "Kennen elkaar al"))


class PairLifeTests(PairsTestCase):
    def test_a_pair_from_question_to_end_and_a_re_match(self) -> None:
        vera = self.volunteer("Vera", user=self.volunteer_user)
        self.volunteer("Wim", postcode="3584AA")
        request = self.request()
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        pair = services.proposal_accept(proposal=request.proposals.get(volunteer=vera), acting_user=self.coordinator)
        self.assertEqual(pair.stage, Pair.Stage.ASKED)
        # Before both said yes the volunteer does not see the resident's record.
        self.assertFalse(ResidentLink.objects.filter(kind="match", source__startswith="volunteers.Pair").exists())
        pair = services.pair_answer(pair=pair, who="volunteer", answer="yes", acting_user=self.volunteer_user)
        pair = services.pair_answer(pair=pair, who="resident", answer="yes", acting_user=self.coordinator)
        self.assertEqual(pair.stage, Pair.Stage.INTRODUCTION)
        link = ResidentLink.objects.get(pk=pair.link_id or 0)
        self.assertEqual((link.kind, link.user_id, link.ended_at), ("match", self.volunteer_user.pk, None))
        self.assertTrue(residents_visible_to(self.volunteer_user).filter(pk=self.resident.pk).exists())
        started = timezone.localdate() - timedelta(days=100)
        Pair.objects.filter(pk=pair.pk).update(asked_at=timezone.now() - timedelta(days=110))
        pair = services.introduction_record(pair=pair, on=started, goes_ahead=True, acting_user=self.coordinator)
        self.assertEqual((pair.stage, pair.started_on), (Pair.Stage.ACTIVE, started))
        # omzien tick: the 6-week and 3-month check-ins are due after 100 days; a second tick adds nothing.
        self.assertEqual(services.check_ins_create(), 2)
        self.assertEqual(services.check_ins_create(), 0)
        self.assertEqual(set(pair.check_ins.values_list("moment", flat=True)), {"6w", "3m"})
        check_in = pair.check_ins.get(moment="6w")
        services.check_in_fill(check_in=check_in, acting_user=self.coordinator, data=services.CheckInData(
            still_meeting=True, times_a_month=4, resident_going=4, volunteer_going=5))  # fmt: skip
        with self.assertRaises(services.PairError):
            services.check_in_fill(check_in=check_in, acting_user=self.coordinator, data=services.CheckInData(True, 1, 1, 1))
        pair = services.pair_end(pair=pair, reason="volunteer_stopped", on=timezone.localdate(), acting_user=self.coordinator)
        request.refresh_from_db()
        self.assertEqual(request.status, MatchRequest.Status.OPEN)  # offered for a re-match
        self.assertIsNotNone(ResidentLink.objects.get(pk=link.pk).ended_at)  # the volunteer's view ends with the pair
        proposal = services.rematch_propose(request=request, acting_user=self.coordinator)
        self.assertIsNotNone(proposal)
        self.assertEqual(proposal.volunteer.first_name, "Vera")  # free again, and still the best fit

    def test_a_final_end_closes_the_request(self) -> None:
        self.volunteer("Vera")
        request = self.request()
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        pair = services.proposal_accept(proposal=request.proposals.get(), acting_user=self.coordinator)
        services.pair_end(pair=pair, reason="moved", on=timezone.localdate(), acting_user=self.coordinator)
        request.refresh_from_db()
        self.assertEqual(request.status, MatchRequest.Status.CLOSED)
        with self.assertRaises(services.PairError):
            services.pair_end(pair=pair, reason="moved", on=timezone.localdate(), acting_user=self.coordinator)

    def test_i_am_worried_files_a_casework_signal_with_the_residents_team(self) -> None:
        from omzien.casework.models import Signal

        vera = self.volunteer("Vera", user=self.volunteer_user)
        request = self.request()
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        pair = services.proposal_accept(proposal=request.proposals.get(volunteer=vera), acting_user=self.coordinator)
        services.pair_answer(pair=pair, who="volunteer", answer="yes", acting_user=self.volunteer_user)
        pair = services.pair_answer(pair=pair, who="resident", answer="yes", acting_user=self.coordinator)
        with self.assertRaises(services.PairError):  # a worry must say what it is
            services.contact_log(pair=pair, on=timezone.localdate(), minutes=60, note="", worried=True, concern="",
                                 acting_user=self.volunteer_user)  # fmt: skip
        contact = services.contact_log(pair=pair, on=timezone.localdate(), minutes=90, note="Fijne middag", worried=True,
                                       concern="Ze eet slecht en is vergeetachtig.", acting_user=self.volunteer_user)  # fmt: skip
        signal = Signal.objects.get(reference=contact.signal_reference)
        self.assertEqual((signal.team, signal.last_name, signal.source), (self.world.organisations["team_a"], "Aaldering", "volunteer"))
        self.assertNotIn("Fijne middag", signal.concern)  # the note is for the coordinator only
        self.assertEqual(selectors.volunteer_hours(vera), 1.5)


class RespiteTests(PairsTestCase):
    def test_a_carers_request_for_respite_is_matched_and_marked_so(self) -> None:
        from omzien.volunteers.models import Carer, RespiteRequest

        carer = Carer.objects.create(organisation=self.humanitas, first_name="Carla", last_name="Zorg", postcode="3561AB",
                                     cares_for="parent", hours_per_week=30, burden=4, consent_text="ja", registered_at=timezone.now())  # fmt: skip
        services.respite_request(carer=carer, data=services.RespiteData(availability=0b111, hours_per_week=3, languages=["nl"],
                                 note="Moeder heeft dementie."), acting_user=self.coordinator, actor=services.SYSTEM)  # fmt: skip
        request = MatchRequest.objects.get(respite_request__carer=carer)
        self.assertEqual((request.kind, request.source, request.keep_in_mind), ("respite", "carer", "Moeder heeft dementie."))
        self.volunteer("Nina", work=("respite",))
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        pair = services.proposal_accept(proposal=request.proposals.get(), acting_user=self.coordinator)
        services.pair_answer(pair=pair, who="volunteer", answer="yes", acting_user=self.coordinator)
        pair = services.pair_answer(pair=pair, who="resident", answer="yes", acting_user=self.coordinator)
        services.introduction_record(pair=pair, on=timezone.localdate(), goes_ahead=True, acting_user=self.coordinator)
        self.assertEqual(RespiteRequest.objects.get(carer=carer).status, RespiteRequest.Status.MATCHED)


class ReferralTests(PairsTestCase):
    def test_a_referral_opens_a_request_that_reports_back(self) -> None:
        from omzien.casework import services as casework
        from omzien.casework.models import Referral

        professional = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        vera = self.volunteer("Vera")
        case = casework.case_open(resident=self.resident, team=self.world.organisations["team_a"], acting_user=professional)
        with self.captureOnCommitCallbacks(execute=True):
            referral = casework.referral_send(case=case, route="conversation_partner", target_organisation=self.humanitas,
                                              acting_user=professional, consent_method="verbal")  # fmt: skip
        request = MatchRequest.objects.get(referral_id=referral.pk)
        self.assertEqual((request.kind, request.source, request.resident), ("visit", "referral", self.resident))
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            pair = services.proposal_accept(proposal=request.proposals.get(volunteer=vera), acting_user=self.coordinator)
        self.assertEqual(Referral.objects.get(pk=referral.pk).status, "accepted")
        services.pair_answer(pair=pair, who="volunteer", answer="yes", acting_user=self.coordinator)
        pair = services.pair_answer(pair=pair, who="resident", answer="yes", acting_user=self.coordinator)
        with self.captureOnCommitCallbacks(execute=True):
            services.introduction_record(pair=pair, on=timezone.localdate(), goes_ahead=True, acting_user=self.coordinator)
        self.assertEqual(Referral.objects.get(pk=referral.pk).status, "started")


    def test_a_request_closes_when_the_team_declines_its_referral(self) -> None:
        from omzien.casework import services as casework

        professional = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        case = casework.case_open(resident=self.resident, team=self.world.organisations["team_a"], acting_user=professional)
        with self.captureOnCommitCallbacks(execute=True):
            referral = casework.referral_send(case=case, route="conversation_partner", target_organisation=self.humanitas,
                                              acting_user=professional, consent_method="verbal")  # fmt: skip
        request = MatchRequest.objects.get(referral_id=referral.pk)
        with self.captureOnCommitCallbacks(execute=True):
            casework.referral_status_set(referral=referral, status="declined", reason="Wil toch geen bezoek",
                                         acting_user=professional)  # fmt: skip
        request.refresh_from_db()
        self.assertEqual((request.status, request.closed_reason), (MatchRequest.Status.CLOSED, "Wil toch geen bezoek"))
        # Nobody waits for a match any more: the next round proposes nothing for it.
        self.volunteer("Vera")
        self.assertEqual(services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator).requests, 0)


class DurabilityTests(PairsTestCase):
    def test_the_curve_matches_a_hand_computed_kaplan_meier(self) -> None:
        today = timezone.localdate()
        vera = self.volunteer("Vera", max_pairs=5)
        # Durations 10 (ended), 20 (still active: censored), 30 (ended), 40 (ended).
        for days, ended in ((10, True), (20, False), (30, True), (40, True)):
            request = self.request()
            start = today - timedelta(days=days if not ended else days + 5)
            Pair.objects.create(request=request, volunteer=vera, organisation=self.humanitas, kind="visit",
                                stage=Pair.Stage.ENDED if ended else Pair.Stage.ACTIVE, asked_at=timezone.now() - timedelta(days=60),
                                started_on=start, ended_on=start + timedelta(days=days) if ended else None,
                                end_reason="mismatch" if ended else "")  # fmt: skip
        [curve] = selectors.pair_durability(organisation_id=self.humanitas.pk)
        self.assertEqual((curve.pairs, curve.ended, curve.route_code), (4, 3, "visit"))
        survival = dict(zip(curve.times, curve.survival, strict=True))
        # By hand: S(10) = 3/4; at 20 one censored; S(30) = 3/4 · (1 − 1/2) = 3/8; S(40) = 0.
        self.assertAlmostEqual(survival[10.0], 0.75)
        self.assertAlmostEqual(survival[30.0], 0.375)
        self.assertAlmostEqual(survival[40.0], 0.0)
        # Greenwood's variance at 10 days: S² · d/(n(n−d)) = 0.5625 · 1/12; the band is the exponential
        # (log−log) one around it, so it lies inside [0, 1] and contains S.
        index = curve.times.index(10.0)
        self.assertLess(curve.lower[index], 0.75)
        self.assertGreater(curve.upper[index], 0.75)
        var = 0.5625 / 12
        c = 1.959964 * math.sqrt(var / 0.75**2) / math.log(0.75)
        self.assertAlmostEqual(curve.lower[index], 0.75 ** math.exp(-c), places=4)
        at_35 = selectors.survival_at(curve, 35)
        assert at_35 is not None
        self.assertAlmostEqual(at_35[0], 0.375)
        self.assertEqual(at_35[1:], (curve.lower[curve.times.index(30.0)], curve.upper[curve.times.index(30.0)]))
        self.assertIsNone(selectors.survival_at(curve, 400))  # nobody followed that long


class WhoSeesWhatTests(TestCase):
    """On the URL walker's world: Vera (the volunteer persona) and resident_a at Humanitas; Otto and
    resident_b at Rode Kruis."""

    @classmethod
    def setUpTestData(cls) -> None:
        grant_room_permissions()
        cls.world = build_world()
        cls.coordinator = cls.world.user(Role.COORDINATOR)
        cls.volunteer_user = cls.world.user(Role.VOLUNTEER)
        cls.own = cls.world.extra["volunteers"]["pair"]
        cls.others = cls.world.extra["volunteers"]["other_pair"]

    def test_a_volunteer_never_sees_another_volunteers_resident(self) -> None:
        login_verified(self.client, self.volunteer_user)
        before = AccessLogEntry.objects.count()
        response = self.client.get(reverse("volunteers:my_pair", args=[self.others.public_id]))
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Bakker", response.content.decode())
        denied = AccessLogEntry.objects.filter(outcome="denied", object_type="pair", object_id=str(self.others.public_id))
        self.assertEqual(denied.count(), 1)  # the attempt is logged
        self.assertGreaterEqual(AccessLogEntry.objects.count(), before + 1)
        before = AccessLogEntry.objects.count()
        response = self.client.get(reverse("volunteers:my_pair", args=[self.own.public_id]))
        self.assertContains(response, "Alida")  # what a match shares: the first name …
        self.assertNotContains(response, "Aaldering")  # … never the last name
        self.assertGreater(AccessLogEntry.objects.count(), before)  # and that read is logged
        mine = self.client.get(reverse("volunteers:mine"))
        self.assertNotContains(mine, "Bert")

    def test_a_coordinator_sees_only_their_own_organisations_pairs(self) -> None:
        login_verified(self.client, self.coordinator)
        self.assertEqual(self.client.get(reverse("volunteers:pair_detail", args=[self.others.public_id])).status_code, 404)
        before = AccessLogEntry.objects.count()
        response = self.client.get(reverse("volunteers:pair_detail", args=[self.own.public_id]))
        self.assertContains(response, "Aaldering")
        self.assertGreater(AccessLogEntry.objects.count(), before)
        overview = self.client.get(reverse("volunteers:matching"))
        self.assertNotContains(overview, "Bakker")


class MatchingPageQueryTests(PairsTestCase):
    """The coordinator's matching page makes the same number of queries for 2 waiting requests as for 10
    (issue #16: a lazy relation or a label lookup per row would make it grow with the list)."""

    def _page(self) -> tuple[int, Any]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        login_verified(self.client, self.coordinator)
        self.client.get(reverse("volunteers:matching"))  # warm: session, permissions, policy store
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(reverse("volunteers:matching"))
        self.assertEqual(response.status_code, 200)
        return len(captured.captured_queries), response

    def _requests(self, count: int) -> None:
        from omzien.residents.models import Resident

        for n in range(count):
            resident = Resident.objects.create(first_name=f"Wachtende{n}", last_name="Bewoner", postcode="3561AB")
            data = services.RequestData(kind="visit", postcode="3561AB", languages=["nl"], availability=0b111)
            services.request_open(organisation=self.humanitas, data=data, source=MatchRequest.Source.COORDINATOR,
                                  acting_user=self.coordinator, resident=resident)  # fmt: skip

    def test_the_matching_page_makes_no_query_per_waiting_request(self) -> None:
        self._requests(2)
        few, page = self._page()
        self.assertEqual(len(page.context["data"].waiting), 2)
        self._requests(8)
        many, page = self._page()
        self.assertEqual(len(page.context["data"].waiting), 10)  # guards the count: the rows are shown
        self.assertContains(page, "Wachtende7 Bewoner")
        self.assertEqual(many, few)

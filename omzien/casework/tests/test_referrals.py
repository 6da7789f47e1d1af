# SPDX-License-Identifier: EUPL-1.2
"""Cases through their services: intake, route advice from the rule table, the referral's closed loop,
follow-ups by ``omzien tick`` and the personal link, and the records the reports room computes from."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.test import TestCase

from omzien.accounts.roles import Role
from omzien.casework import selectors, services
from omzien.casework.advice import AdviceInput, Rule, advise
from omzien.casework.models import Case, FollowUp, Referral, ReferralStatus, RouteTable, Stage
from omzien.casework.models.cases import CASE_EVENT_LABELS
from omzien.casework.routes import DEFAULT_ROUTES
from omzien.casework.services import CaseError, IntakeData, LinkError, TieData
from omzien.lib.testing.world import build_world
from omzien.residents.models import ConsentEvent, ConsentPurpose, Resident, ResidentLink
from omzien.wellbeing.services import measurement_record

AMS = ZoneInfo("Europe/Amsterdam")
# DJG-11 answers (engine codes): socially lonely (social 5), emotionally not (emotional 0): total 5.
SOCIAL = [-2, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2]
# Less lonely: social 1, emotional 0: total 1.
BETTER = [2, -2, -2, 2, -2, -2, 2, 2, -2, -2, -1]


class CaseFlowTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.team = cls.world.organisations["team_a"]
        cls.professional = cls.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        a = cls.world.residents["a"]
        cls.resident = Resident.objects.create(first_name="Tinus", last_name="Toets", postcode="3561AB",
                                               neighbourhood=a.neighbourhood, phone="06-99999999")  # fmt: skip
        cls.start = datetime(2026, 1, 5, 10, tzinfo=AMS)

    def case_with_intake(self, answers: list[int] = SOCIAL, **intake: Any) -> Case:
        case = services.case_open(resident=self.resident, team=self.team, acting_user=self.professional, at=self.start)
        measurement = measurement_record(
            actor=services.cases._actor(self.professional), acting_user=self.professional, resident=self.resident,
            instrument_code="djg11", answers=answers, context="intake", mode="conversation", at=self.start,
        )  # fmt: skip
        services.intake_record(
            case=case, data=IntakeData(goals="Weer eens samen eten.", **intake), measurement=measurement,
            ties=[TieData("dochter Anja", "family", "monthly", "more"), TieData("buurvrouw", "neighbour", "weekly")],
            acting_user=self.professional, at=self.start,
        )  # fmt: skip
        case.refresh_from_db()
        return case

    def started_case(self) -> tuple[Case, Referral]:
        case = self.case_with_intake()
        referral = services.referral_send(case=case, route="visiting_service", acting_user=self.professional,
                                          target_organisation=self.world.organisations["humanitas"],
                                          consent_method="verbal", at=self.start)  # fmt: skip
        services.referral_status_set(referral=referral, status=ReferralStatus.STARTED, at=self.start + timedelta(days=7))
        return case, referral


# The parts below share one test world (building it is the slow part): mixins of one TestCase at the end.
if TYPE_CHECKING:
    Part = CaseFlowTestCase
else:
    Part = object


class RouteTableTests(Part):
    def test_the_migration_loads_every_route_and_publishes_version_1(self) -> None:
        codes = {route.code for route in selectors.routes()}
        self.assertEqual(codes, {code for code, *_rest in DEFAULT_ROUTES})
        self.assertEqual(services.route_table_current().version, 1)

    def test_social_loneliness_proposes_social_routes_with_reasons_and_barrier_caveats(self) -> None:
        case = self.case_with_intake(barriers=["mobility"])
        table, facts, proposals, _measurement = services.route_advice_propose(case)
        self.assertTrue(facts.social_lonely)
        self.assertFalse(facts.emotional_lonely)
        routes = [proposal.route for proposal in proposals]
        self.assertIn("visiting_service", routes)
        self.assertNotIn("phone_line", routes)  # emotional routes need emotional loneliness
        day = next(proposal for proposal in proposals if proposal.route == "day_activity")
        self.assertTrue(day.reasons)
        self.assertTrue(any("Mobility" in caveat for caveat in day.caveats))

    def test_the_decision_stores_the_proposal_and_the_table_version(self) -> None:
        case = self.case_with_intake()
        with self.assertRaises(CaseError):  # a route not proposed needs a note
            services.route_advice_decide(case=case, chosen=["phone_line"], acting_user=self.professional)
        advice = services.route_advice_decide(case=case, chosen=["visiting_service"], acting_user=self.professional)
        self.assertEqual(advice.table.version, 1)
        self.assertIn("visiting_service", advice.proposed_codes)

    def test_a_new_version_applies_after_publishing_and_old_advice_keeps_its_version(self) -> None:
        case = self.case_with_intake()
        first = services.route_advice_decide(case=case, chosen=["buddy"], acting_user=self.professional)
        draft = services.route_table_copy(table=RouteTable.objects.get(version=1))
        draft.rules.filter(route__code="buddy").delete()
        self.assertEqual(services.route_table_current().version, 1)  # a draft is not in force
        services.route_table_publish(table=draft, acting_user=None)
        _table, _facts, proposals, _m = services.route_advice_propose(case)
        self.assertNotIn("buddy", [proposal.route for proposal in proposals])
        first.refresh_from_db()
        self.assertEqual(first.table.version, 1)
        with self.assertRaises(CaseError):
            services.route_table_publish(table=draft, acting_user=None)

    def test_the_pure_advice_lists_a_route_once_with_all_its_reasons(self) -> None:
        rules = [Rule("buddy", "person", "social", "s", 1), Rule("buddy", "person", "emotional", "e", 2),
                 Rule("mantelzorg_support", "organisation", "carer", "c", 3)]  # fmt: skip
        facts = AdviceInput(social_lonely=True, emotional_lonely=True, category="severe", is_carer=False)
        proposals = advise(facts, rules)
        self.assertEqual([(p.route, p.reasons) for p in proposals], [("buddy", ["s", "e"])])


class ReferralLoopTests(Part):
    def test_a_person_referral_shares_what_was_agreed_signals_and_closes_its_link(self) -> None:
        case = self.case_with_intake()
        received: list[Referral] = []

        def receiver(sender: Any, referral: Referral, **kwargs: Any) -> None:
            received.append(referral)

        services.referral_sent.connect(receiver, dispatch_uid="test_referral_sent")
        self.addCleanup(services.referral_sent.disconnect, dispatch_uid="test_referral_sent")
        humanitas = self.world.organisations["humanitas"]
        with self.captureOnCommitCallbacks(execute=True):
            referral = services.referral_send(
                case=case, route="visiting_service", target_organisation=humanitas, acting_user=self.professional,
                consent_method="verbal", shared=["first_name", "last_name", "phone", "not_a_field"], at=self.start,
            )  # fmt: skip
        self.assertEqual(received, [referral])
        self.assertEqual(referral.shared, ["first_name", "last_name", "phone"])
        self.assertTrue(ConsentEvent.objects.filter(pk=referral.consent_id or 0, purpose=ConsentPurpose.SHARING,
                                                    organisation=humanitas, given=True).exists())  # fmt: skip
        link = ResidentLink.objects.get(pk=referral.link_id or 0)
        self.assertIsNone(link.ended_at)
        with self.assertRaises(CaseError):  # declining needs a reason
            services.referral_status_set(referral=referral, status=ReferralStatus.DECLINED)
        services.referral_status_set(referral=referral, status=ReferralStatus.ACCEPTED, at=self.start + timedelta(days=2))
        services.referral_status_set(referral=referral, status=ReferralStatus.STARTED, at=self.start + timedelta(days=9))
        with self.assertRaises(CaseError):  # started never goes back to sent-like answers
            services.referral_status_set(referral=referral, status=ReferralStatus.DECLINED, reason="x")
        services.referral_status_set(referral=referral, status=ReferralStatus.ENDED, reason="Verhuisd.")
        link.refresh_from_db()
        self.assertIsNotNone(link.ended_at)
        self.assertEqual([event.status for event in referral.events.all()], ["sent", "accepted", "started", "ended"])

    def test_an_unanswered_referral_is_stuck_after_the_policy_working_days(self) -> None:
        case = self.case_with_intake()
        referral = services.referral_send(case=case, route="buddy", target_organisation=self.world.organisations["humanitas"],
                                          acting_user=self.professional, consent_method="verbal", at=self.start)  # fmt: skip
        # Monday 5 January + 5 working days = Monday 12 January.
        self.assertEqual(referral.stuck_on.isoformat(), "2026-01-12")

    def test_a_referral_needs_its_target_and_the_resident_agreement(self) -> None:
        case = self.case_with_intake()
        with self.assertRaises(CaseError):
            services.referral_send(case=case, route="buddy", acting_user=self.professional, consent_method="verbal")
        with self.assertRaises(CaseError):
            services.referral_send(case=case, route="other_organisation", acting_user=self.professional,
                                   consent_method="")  # fmt: skip
        with self.assertRaises(CaseError):
            services.referral_send(case=case, route="no_such_route", acting_user=self.professional, consent_method="verbal")
        outside = services.referral_send(case=case, route="other_organisation", target_name="Schuldhulp Utrecht",
                                         acting_user=self.professional, consent_method="verbal")  # fmt: skip
        self.assertIsNone(outside.link_id)
        self.assertEqual(outside.receiver_name, "Schuldhulp Utrecht")

    def test_a_referral_sent_twice_is_one_referral_until_the_first_is_answered_no(self) -> None:
        from django.urls import reverse

        from omzien.casework.services import ReferralOpenError
        from omzien.lib.testing.world import login_verified

        case = self.case_with_intake()
        humanitas = self.world.organisations["humanitas"]
        first = services.referral_send(case=case, route="visiting_service", target_organisation=humanitas,
                                       acting_user=self.professional, consent_method="verbal")  # fmt: skip
        links = ResidentLink.objects.filter(resident=self.resident, kind=ResidentLink.Kind.REFERRAL).count()
        sent: list[Any] = []
        services.referral_sent.connect(lambda sender, referral, **kw: sent.append(referral), weak=False,
                                       dispatch_uid="test-twice")  # fmt: skip
        self.addCleanup(services.referral_sent.disconnect, dispatch_uid="test-twice")
        with self.captureOnCommitCallbacks(execute=True), self.assertRaises(ReferralOpenError) as raised:
            services.referral_send(case=case, route="visiting_service", target_organisation=humanitas,
                                   acting_user=self.professional, consent_method="verbal")  # fmt: skip
        self.assertEqual(raised.exception.referral, first)
        services.referral_send(case=case, route="other_organisation", target_name="Schuldhulp Utrecht",
                                         acting_user=self.professional, consent_method="verbal")  # fmt: skip
        with self.assertRaises(ReferralOpenError):  # the same name outside Omzien, typed otherwise
            services.referral_send(case=case, route="other_organisation", target_name=" schuldhulp utrecht ",
                                   acting_user=self.professional, consent_method="verbal")  # fmt: skip
        # Through the page: the second post lands on the case with a message, and nothing new is made.
        login_verified(self.client, self.professional)
        url = reverse("casework:referral_new", kwargs={"public_id": case.public_id, "route": "visiting_service"})
        data = {"organisation": str(humanitas.public_id), "shared": ["first_name", "last_name"], "consent_method": "verbal"}
        from django.utils import translation

        self.client.cookies["omzien-language"] = "en"
        self.addCleanup(translation.deactivate)  # the request leaves English active in this thread
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, data, follow=True)
        self.assertRedirects(response, reverse("casework:case", kwargs={"public_id": case.public_id}))
        self.assertContains(response, "This referral was already sent on")
        self.assertEqual(Referral.objects.filter(case=case, route="visiting_service").count(), 1)
        self.assertEqual(Referral.objects.filter(case=case).count(), 2)
        self.assertEqual(ResidentLink.objects.filter(resident=self.resident, kind=ResidentLink.Kind.REFERRAL).count(), links)
        self.assertEqual(sent, [])  # the volunteers room heard of no second request
        # Both an organisation in Omzien and a name outside it: which one was meant is asked, not guessed.
        both = self.client.post(
            reverse("casework:referral_new", kwargs={"public_id": case.public_id, "route": "other_organisation"}),
            {**data, "target_name": "Iets anders"},
        )
        self.assertEqual(both.status_code, 200)
        self.assertContains(both, "not both")
        self.assertEqual(Referral.objects.filter(case=case).count(), 2)
        # Once the organisation said no, the resident can be referred to it again.
        services.referral_status_set(referral=first, status=ReferralStatus.DECLINED, reason="Geen vrijwilliger vrij.")
        again = services.referral_send(case=case, route="visiting_service", target_organisation=humanitas,
                                       acting_user=self.professional, consent_method="verbal")  # fmt: skip
        self.assertNotEqual(again, first)


class FollowUpTests(Part):
    def test_tick_creates_the_follow_ups_from_the_route_start_once(self) -> None:
        case, _referral = self.started_case()
        self.assertEqual(services.follow_ups_create(now=self.start + timedelta(days=40)), 0)
        three = self.start + timedelta(days=7 + 80)  # within the 14 days before 12 April
        self.assertEqual(services.follow_ups_create(now=three), 1)
        self.assertEqual(services.follow_ups_create(now=three), 0)
        follow_up = FollowUp.objects.get(case=case)
        self.assertEqual((follow_up.months, follow_up.basis, follow_up.due_on.isoformat()), (3, "route_started", "2026-04-12"))
        self.assertEqual(follow_up.assigned_to, self.professional)
        case.refresh_from_db()
        self.assertEqual(case.next_due, follow_up.due_on)

    def test_residents_still_waiting_are_followed_up_from_their_referral(self) -> None:
        case = self.case_with_intake()
        services.referral_send(case=case, route="buddy", target_organisation=self.world.organisations["humanitas"],
                               acting_user=self.professional, consent_method="verbal", at=self.start)  # fmt: skip
        services.follow_ups_create(now=self.start + timedelta(days=200))
        self.assertEqual(sorted(FollowUp.objects.filter(case=case).values_list("basis", "months")),
                         [("waiting", 3), ("waiting", 6)])  # fmt: skip

    def test_the_personal_link_is_single_use_tamper_proof_and_expires(self) -> None:
        case, _referral = self.started_case()
        now = self.start + timedelta(days=95)
        services.follow_ups_create(now=now)
        follow_up = FollowUp.objects.get(case=case)
        token = services.follow_up_link_create(follow_up=follow_up, acting_user=self.professional, at=now)
        with self.assertRaises(LinkError) as tampered:
            services.follow_up_link_check(token[:-2] + "xx", now=now)
        self.assertEqual(tampered.exception.kind, "invalid")
        with self.assertRaises(LinkError) as expired:
            services.follow_up_link_check(token, now=now + timedelta(days=15))
        self.assertEqual(expired.exception.kind, "expired")
        services.follow_up_answer(token=token, answers=BETTER, now=now + timedelta(hours=1))
        follow_up.refresh_from_db()
        self.assertEqual(follow_up.status, FollowUp.Status.DONE)
        self.assertEqual(follow_up.measurement.total, 1)  # type: ignore[union-attr]
        self.assertEqual(follow_up.measurement.mode, "self")  # type: ignore[union-attr]
        with self.assertRaises(LinkError) as reused:
            services.follow_up_answer(token=token, answers=BETTER, now=now + timedelta(hours=2))
        self.assertEqual(reused.exception.kind, "used")
        case.refresh_from_db()
        self.assertEqual(case.last_score, 1)

    def test_closing_needs_a_reason_ends_the_case_link_and_open_follow_ups(self) -> None:
        case, _referral = self.started_case()
        services.follow_ups_create(now=self.start + timedelta(days=95))
        with self.assertRaises(CaseError):
            services.case_close(case=case, reason="", acting_user=self.professional)
        closed = services.case_close(case=case, reason="route_running", acting_user=self.professional)
        self.assertEqual(closed.stage, Stage.CLOSED)
        self.assertFalse(FollowUp.objects.filter(case=case, status=FollowUp.Status.OPEN).exists())
        self.assertIsNotNone(ResidentLink.objects.get(pk=case.link_id or 0).ended_at)


class FiguresTests(Part):
    def test_outcome_records_only_for_statistics_allowed_residents(self) -> None:
        case, _referral = self.started_case()
        now = self.start + timedelta(days=95)
        services.follow_ups_create(now=now)
        token = services.follow_up_link_create(follow_up=FollowUp.objects.get(case=case), acting_user=None, at=now)
        services.follow_up_answer(token=token, answers=BETTER, now=now)
        today = (self.start + timedelta(days=300)).date()
        self.assertEqual(selectors.outcome_records(today=today), [])  # no statistics consent
        ConsentEvent.objects.create(resident=self.resident, purpose=ConsentPurpose.STATISTICS, given=True,
                                    method="verbal", recorded_by=self.professional)  # fmt: skip
        [record] = selectors.outcome_records(today=today)
        self.assertEqual((record.route, record.waiting, record.intake_score, record.wijk), ("visiting_service", False, 5, "WK034403"))
        # 3 months measured; 6 months (12 July) is more than the grace period past: lost.
        self.assertEqual(dict(record.followups), {3: 1, 6: None})
        self.assertEqual(record.lost_to_follow_up, frozenset({6}))
        reach = [row for row in selectors.reach_counts(today=today) if row.route == "visiting_service"]
        self.assertEqual([(r.referrals, r.started, r.active_at_3_months) for r in reach], [(1, 1, 1)])

    def test_a_resident_who_waited_counts_as_waiting_for_the_moments_before_the_route_started(self) -> None:
        case = self.case_with_intake()
        referral = services.referral_send(case=case, route="buddy", acting_user=self.professional,
                                          target_organisation=self.world.organisations["humanitas"],
                                          consent_method="verbal", at=self.start)  # fmt: skip
        services.referral_status_set(referral=referral, status=ReferralStatus.ACCEPTED, at=self.start + timedelta(days=5))
        # Started after five months: recorded now, but the tick of month three did not know it yet.
        started = self.start + timedelta(days=150)
        services.referral_status_set(referral=referral, status=ReferralStatus.STARTED, at=started)
        self.assertEqual(services.follow_ups_create(now=self.start + timedelta(days=85), case=case), 1)
        waiting = FollowUp.objects.get(case=case)
        self.assertEqual((waiting.basis, waiting.months), (FollowUp.Basis.WAITING, 3))
        measurement = measurement_record(
            actor=services.cases._actor(self.professional), acting_user=self.professional, resident=self.resident,
            instrument_code="djg11", answers=BETTER, context="follow_up", mode="phone", at=self.start + timedelta(days=92),
        )  # fmt: skip
        services.follow_up_record(follow_up=waiting, measurement=measurement, acting_user=self.professional,
                                  at=self.start + timedelta(days=92))  # fmt: skip
        services.follow_ups_create(now=started + timedelta(days=95), case=case)  # the route's own 3 months
        self.assertTrue(FollowUp.objects.filter(case=case, basis=FollowUp.Basis.ROUTE_STARTED, months=3).exists())
        ConsentEvent.objects.create(resident=self.resident, purpose=ConsentPurpose.STATISTICS, given=True,
                                    method="verbal", recorded_by=self.professional)  # fmt: skip
        records = selectors.outcome_records(today=(started + timedelta(days=100)).date())
        by_kind = {record.waiting: record for record in records}
        self.assertEqual(len(records), 2)
        # Waiting: measured at 3 months (score 1); 6 months fell after the start: not due, not lost.
        self.assertEqual((by_kind[True].route, dict(by_kind[True].followups)), ("buddy", {3: 1}))
        self.assertEqual(by_kind[True].lost_to_follow_up, frozenset())
        # The route: its 3-month moment is due but within the grace period: not yet counted.
        self.assertEqual(dict(by_kind[False].followups), {})

    def test_steps_batched_leave_the_same_summary_and_history_as_steps_one_by_one(self) -> None:
        with services.case_steps_batched():
            case, referral = self.started_case()
            services.follow_ups_create(now=self.start + timedelta(days=95), case=case)
            self.assertEqual(case.events.count(), 0)  # the history waits for the block's end
        case.refresh_from_db()
        summary = (case.next_due, case.last_score)
        self.assertEqual(summary[1], 5)
        self.assertIsNotNone(summary[0])
        services.case_refresh(case)
        case.refresh_from_db()
        self.assertEqual((case.next_due, case.last_score), summary)
        kinds = list(case.events.order_by("at", "pk").values_list("kind", flat=True))
        self.assertEqual(kinds[:3], ["opened", "intake", "referral"])
        self.assertIn("referral_started", kinds)
        with self.assertRaises(CaseError), services.case_steps_batched():
            services.referral_status_set(referral=referral, status=ReferralStatus.ENDED, at=self.start + timedelta(days=99),
                                         reason="Doel bereikt.")  # fmt: skip
            services.referral_status_set(referral=referral, status=ReferralStatus.STARTED, at=self.start)  # ended: refused
        self.assertTrue(case.events.filter(kind="referral_ended").exists())  # the step before the refusal stands


class StatusSignalTests(Part):
    def test_every_status_change_is_announced_on_commit_for_the_rooms_that_follow_referrals(self) -> None:
        heard: list[tuple[int, str, str]] = []

        def listen(sender: object, referral: Referral, status: str, reason: str, **kwargs: object) -> None:
            heard.append((referral.pk, status, reason))

        services.referral_status_changed.connect(listen)
        try:
            with self.captureOnCommitCallbacks(execute=True):
                case, referral = self.started_case()
                services.referral_status_set(referral=referral, status=ReferralStatus.ENDED, reason="Doel bereikt.",
                                             at=self.start + timedelta(days=60))  # fmt: skip
        finally:
            services.referral_status_changed.disconnect(listen)
        self.assertEqual(heard, [(referral.pk, "started", ""), (referral.pk, "ended", "Doel bereikt.")])


class RightsTests(Part):
    def test_the_data_export_holds_the_whole_case_without_staff_names(self) -> None:
        from omzien.lib.rooms import data_export_sections

        case, referral = self.started_case()
        services.follow_ups_create(now=self.start + timedelta(days=95), case=case)
        [section] = [s for _room, s in data_export_sections() if s.key == "cases"]
        [exported] = section.collect(self.resident)
        self.assertEqual(exported["team"], self.team.name)
        self.assertEqual(exported["intake"]["goals"], "Weer eens samen eten.")
        people = exported["network_maps"][0]["people"]
        self.assertEqual({p["who"] for p in people}, {"dochter Anja", "buurvrouw"})
        [sent] = exported["referrals"]
        started, sent_label = str(ReferralStatus.STARTED.label), str(ReferralStatus.SENT.label)
        self.assertEqual((sent["to"], sent["status"], sent["shared"]), ("Humanitas", started, ["first_name", "last_name", "phone"]))
        self.assertEqual([step["status"] for step in sent["history"]], [sent_label, started])
        self.assertEqual([f["months"] for f in exported["follow_ups"]], [3])
        self.assertIn(str(CASE_EVENT_LABELS["opened"]), [step["what"] for step in exported["history"]])
        text = json.dumps(exported)
        for name in (self.professional.first_name, self.professional.last_name, self.professional.username):
            if name:
                self.assertNotIn(name, text)

    def test_a_closed_case_expires_after_the_retention_period_unless_a_route_still_runs(self) -> None:
        from omzien.casework.models import Signal

        case, referral = self.started_case()
        services.case_close(case=case, reason="route_running", acting_user=self.professional, at=self.start + timedelta(days=30))
        later = self.start + timedelta(days=30 + 5 * 365 + 1)
        self.assertEqual(services.cases_expire(later, True), 0)  # its route still runs
        services.referral_status_set(referral=referral, status=ReferralStatus.ENDED, reason="Doel bereikt.",
                                     at=self.start + timedelta(days=400))  # fmt: skip
        self.assertEqual(services.cases_expire(later, True), 0)  # ended less than the period ago
        much_later = self.start + timedelta(days=400 + 5 * 365 + 1)
        self.assertEqual(services.cases_expire(much_later, True), 1)
        self.assertTrue(Case.objects.filter(pk=case.pk).exists())  # a dry run changes nothing
        self.assertEqual(services.cases_expire(much_later, False), 1)
        self.assertFalse(Case.objects.filter(pk=case.pk).exists())
        self.assertFalse(Referral.objects.filter(pk=referral.pk).exists())
        self.assertFalse(Signal.objects.filter(resident=self.resident).exists())
        self.assertTrue(Resident.objects.filter(pk=self.resident.pk).exists())  # the resident is other rooms' too


class RestrictionTests(Part):
    def test_a_restricted_resident_is_left_out_of_the_figures_and_their_case_is_read_only(self) -> None:
        from django.utils import timezone

        case, _referral = self.started_case()
        ConsentEvent.objects.create(resident=self.resident, purpose=ConsentPurpose.STATISTICS, given=True,
                                    method="verbal", recorded_by=self.professional)  # fmt: skip
        self.assertIn(self.resident, selectors.statistics_allowed())
        Resident.objects.filter(pk=self.resident.pk).update(restricted_since=timezone.now())
        self.assertNotIn(self.resident, selectors.statistics_allowed())
        self.assertEqual(selectors.outcome_records(), [])
        with self.assertRaisesMessage(CaseError, "alleen te lezen"):
            services.referral_send(case=case, route="phone_line", target_name="De Luisterlijn", acting_user=self.professional,
                                   consent_method="verbal")  # fmt: skip
        with self.assertRaisesMessage(CaseError, "alleen te lezen"):
            services.wmo_melding_record(case=case, on=timezone.localdate(), acting_user=self.professional)
        Resident.objects.filter(pk=self.resident.pk).update(restricted_since=None, objections=["statistics"])
        self.assertNotIn(self.resident, selectors.statistics_allowed())  # an objection to statistics: out too
        services.wmo_melding_record(case=case, on=timezone.localdate(), acting_user=self.professional)  # writable again


class CaseworkFlowTests(RouteTableTests, ReferralLoopTests, FollowUpTests, FiguresTests, StatusSignalTests, RightsTests, RestrictionTests,
                         CaseFlowTestCase):
    """Every part above, on one test world."""

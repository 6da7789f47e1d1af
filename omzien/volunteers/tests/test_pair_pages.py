# SPDX-License-Identifier: EUPL-1.2
"""The pages of matches between people through the test client, as each role uses them: the coordinator's
overview (with VOGs due and the menu's count), a request entered by hand (bad input kept and named), a
proposal edited (an alternative chosen) or rejected through its form, the durability page's curve; the
resident asking and answering in their own portal; the Eet Mee host with two guests, their meal rhythm
and a meal logged; and nobody reaching another's pair."""

from __future__ import annotations

import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from omzien.accounts.models import User
from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry
from omzien.lib.testing.world import login_verified
from omzien.residents.models import Resident
from omzien.volunteers import services
from omzien.volunteers.charts import survival_chart
from omzien.volunteers.models import Contact, MatchRequest, Pair, Proposal, VogRecord, Volunteer
from omzien.volunteers.selectors import pair_durability
from omzien.volunteers.tests.test_pairs import PairsTestCase


class CoordinatorPagesTests(PairsTestCase):
    def test_the_overview_counts_vogs_due_and_the_menu_counts_waiting_requests_and_check_ins(self) -> None:
        login_verified(self.client, self.coordinator)
        before = self.client.get(reverse("volunteers:matching")).context["data"].vogs_due
        old = self.volunteer("Oud")
        VogRecord.objects.filter(volunteer=old).update(
            issued_on=timezone.localdate() - timedelta(days=40 * 30)
        )
        self.volunteer("Nieuw")  # a VOG of twenty days is not due
        self.volunteer("Elders", organisation=self.world.organisations["rode_kruis"])
        VogRecord.objects.filter(volunteer__first_name="Elders").update(
            issued_on=timezone.localdate() - timedelta(days=40 * 30)
        )
        self.request()
        page = self.client.get(reverse("volunteers:matching"))
        self.assertEqual(
            page.context["data"].vogs_due, before + 1
        )  # another organisation's VOG is not counted
        link = re.search(r'<a[^>]*data-testid="vogs-due-count"[^>]*>([^<]*)</a>', page.content.decode())
        assert link is not None
        self.assertIn('href="/vrijwilligers/#vogs"', link.group(0))
        self.assertRegex(
            link.group(1).strip(),
            rf"^{before + 1} VOG('s verlopen binnenkort of zijn| verloopt binnenkort of is) verlopen\.$",
        )
        self.assertContains(page, "Koppelingen (1)")  # one request waits, no check-in due yet
        # A check-in come due counts while the pair runs; once the pair has ended it is no longer due.
        today = timezone.localdate()
        running = Pair.objects.create(request=self.request("buddy"), volunteer=old, organisation=self.humanitas, kind="buddy",
                                      stage=Pair.Stage.ACTIVE, asked_at=timezone.now() - timedelta(days=60),
                                      started_on=today - timedelta(days=50))  # fmt: skip
        self.assertEqual(services.check_ins_create(today=today), 1)
        page = self.client.get(reverse("volunteers:matching"))
        self.assertEqual(len(page.context["data"].check_ins_due), 1)
        self.assertContains(page, "Koppelingen (2)")  # the buddy request has its pair; the visit waits
        services.pair_end(pair=running, reason="moved", on=today, acting_user=self.coordinator)
        page = self.client.get(reverse("volunteers:matching"))
        self.assertEqual(len(page.context["data"].check_ins_due), 0)
        self.assertContains(page, "Koppelingen (1)")

    def test_a_request_waiting_again_counts_from_its_last_pair_and_a_referral_from_when_it_was_sent(
        self,
    ) -> None:
        from omzien.casework import services as casework

        today = timezone.localdate()
        vera = self.volunteer("Vera", max_pairs=5)
        again = self.request(diets=["halal", "vegetarian"])
        MatchRequest.objects.filter(pk=again.pk).update(created_at=timezone.now() - timedelta(days=400))
        Pair.objects.create(request=again, volunteer=vera, organisation=self.humanitas, kind="visit", stage=Pair.Stage.ENDED,
                            asked_at=timezone.now() - timedelta(days=390), started_on=today - timedelta(days=380),
                            ended_on=today - timedelta(days=10), end_reason="volunteer_stopped")  # fmt: skip
        new = self.request()
        MatchRequest.objects.filter(pk=new.pk).update(created_at=timezone.now() - timedelta(days=30))
        professional = self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        case = casework.case_open(
            resident=self.resident, team=self.world.organisations["team_a"], acting_user=professional
        )
        with self.captureOnCommitCallbacks(execute=True):
            referral = casework.referral_send(case=case, route="network_coach", target_organisation=self.humanitas, acting_user=professional,
                                              consent_method="verbal", at=timezone.now() - timedelta(days=50))  # fmt: skip
        referred = MatchRequest.objects.get(referral_id=referral.pk)
        self.assertEqual(referred.created_at, referral.sent_at)  # waiting since the team sent it
        login_verified(self.client, self.coordinator)
        data = self.client.get(reverse("volunteers:matching")).context["data"]
        self.assertEqual(
            [(r.pk, r.waiting_days) for r in data.waiting], [(referred.pk, 50), (new.pk, 30), (again.pk, 10)]
        )
        self.assertEqual((data.waiting_count, data.waiting_median_days), (3, 30.0))
        page = self.client.get(reverse("volunteers:request_detail", args=[again.public_id]))
        waiting = re.search(r'data-testid="waiting-days">([^<]*)<', page.content.decode())
        assert waiting is not None
        self.assertTrue(waiting.group(1).startswith("10 dagen (opnieuw sinds "), waiting.group(1))
        self.assertContains(page, "halal, vegetarisch")  # diets in words, not codes
        # A request that has a pair does not wait: its page says when it was made, not how long it waits.
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        services.proposal_accept(
            proposal=new.proposals.get(status=Proposal.Status.PROPOSED), acting_user=self.coordinator
        )
        page = self.client.get(reverse("volunteers:request_detail", args=[new.public_id]))
        self.assertNotContains(page, 'data-testid="waiting-days"')
        self.assertContains(page, "Aangevraagd op")

    def test_a_request_entered_by_hand_names_bad_input_keeps_it_and_stores_nothing(self) -> None:
        login_verified(self.client, self.coordinator)
        bad = {"first_name": "Truus", "last_name": "Test", "phone": "😀😀😀", "postcode": "9999ZZ", "kind": "visit",
               "need": "2", "languages": ["nl"], "max_km": "3", "keep_in_mind": "Houdt van kaarten"}  # fmt: skip
        page = self.client.post(reverse("volunteers:request_create"), bad)
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "Vul een telefoonnummer in cijfers in", status_code=400)
        self.assertContains(page, "Houdt van kaarten", status_code=400)  # what was typed stays
        self.assertFalse(Resident.objects.filter(first_name="Truus").exists())
        page = self.client.post(reverse("volunteers:request_create"), {**bad, "phone": "06-12345678"})
        self.assertContains(page, "Deze postcode kennen wij niet", status_code=400)
        self.assertFalse(MatchRequest.objects.exists())
        page = self.client.post(
            reverse("volunteers:request_create"), {**bad, "phone": "06-12345678", "postcode": "3561 ab"}
        )
        request = MatchRequest.objects.get()
        self.assertRedirects(page, reverse("volunteers:request_detail", args=[request.public_id]))
        self.assertEqual(
            (request.postcode, request.resident.phone, request.source),
            ("3561AB", "06-12345678", "coordinator"),
        )

    def test_a_request_by_hand_for_someone_the_organisation_knows_goes_on_their_record_not_a_second_one(self) -> None:
        login_verified(self.client, self.coordinator)
        url = reverse("volunteers:request_create")
        truus = {"first_name": "Truus", "last_name": "de Wit", "phone": "06-12345678", "postcode": "3561 ab",
                 "kind": "visit", "need": "2", "languages": ["nl"], "max_km": "3"}  # fmt: skip
        self.assertEqual(self.client.post(url, truus).status_code, 302)  # unknown yet: a new record
        first = MatchRequest.objects.get()
        # She calls again for a buddy (another spelling, another phone): the organisation knows her, so the
        # coordinator is asked; nothing is stored until they choose. The look-up is logged, per person shown.
        again = {**truus, "last_name": "De Wit ", "phone": "030-1234567", "kind": "buddy"}
        page = self.client.post(url, again)
        self.assertContains(page, 'data-testid="known-people"')
        self.assertContains(page, f'value="{first.resident.public_id}"')
        self.assertContains(page, "Truus de Wit, 3561AB, 06-12345678 — open verzoek: een bezoeker")
        self.assertEqual((Resident.objects.filter(last_name__iexact="de wit").count(), MatchRequest.objects.count()), (1, 1))
        self.assertTrue(AccessLogEntry.objects.filter(action="search", object_type="resident",
                                                      object_id=str(first.resident.public_id)).exists())  # fmt: skip
        # A made-up choice is refused; choosing her puts the buddy request on her record.
        self.assertEqual(self.client.post(url, {**again, "persoon": "someone-else"}).status_code, 400)
        page = self.client.post(url, {**again, "persoon": str(first.resident.public_id)})
        second = MatchRequest.objects.exclude(pk=first.pk).get()
        self.assertRedirects(page, reverse("volunteers:request_detail", args=[second.public_id]))
        self.assertEqual((second.resident_id, second.kind, Resident.objects.filter(last_name__iexact="de wit").count()),
                         (first.resident_id, "buddy", 1))  # fmt: skip
        # A second open request of the same kind for her is refused with a reason, nothing stored.
        page = self.client.post(url, {**again, "kind": "visit", "persoon": str(first.resident.public_id)})
        self.assertContains(page, "heeft al een open verzoek hiervoor bij uw organisatie", status_code=400)
        self.assertEqual(MatchRequest.objects.count(), 2)
        # "Someone else" makes a new record; a person of another organisation is never offered.
        page = self.client.post(url, {**again, "kind": "visit", "persoon": "nieuw"})
        self.assertEqual(page.status_code, 302)
        self.assertEqual(Resident.objects.filter(last_name__iexact="de wit").count(), 2)
        stranger = Resident.objects.create(first_name="Klaas", last_name="Vreemd", postcode="3561AB")
        page = self.client.post(url, {**truus, "first_name": "Klaas", "last_name": "Vreemd"})
        self.assertEqual(page.status_code, 302)  # not known to Humanitas: no choice, no name shown
        self.assertNotEqual(MatchRequest.objects.latest("pk").resident_id, stranger.pk)

    def test_a_proposal_is_edited_to_an_alternative_or_rejected_only_with_a_reason(self) -> None:
        vera = self.volunteer("Vera", postcode="3561AB")
        wim = self.volunteer("Wim", postcode="3584AA")
        stranger = self.volunteer("Sjaak", organisation=self.world.organisations["rode_kruis"])
        request = self.request()
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        proposal = request.proposals.get(status=Proposal.Status.PROPOSED)
        self.assertEqual(proposal.volunteer, vera)
        login_verified(self.client, self.coordinator)
        detail = self.client.get(reverse("volunteers:request_detail", args=[request.public_id]))
        self.assertContains(detail, "Wim")  # the alternative is on the page
        # The urgency is a labelled fact of its own, not a word after the date.
        self.assertContains(detail, "<dt>Urgentie</dt>", html=True)
        self.assertContains(detail, '<dd data-testid="urgency">Binnenkort</dd>', html=True)
        decide = reverse("volunteers:proposal_decide", args=[proposal.public_id])
        page = self.client.post(decide, {"decision": "reject", "reason": "  "}, follow=True)
        self.assertContains(page, "Geef aan waarom het voorstel wordt afgewezen")
        self.assertEqual(Proposal.objects.get(pk=proposal.pk).status, Proposal.Status.PROPOSED)
        # Someone who is not among the alternatives (another organisation's volunteer) cannot be chosen.
        page = self.client.post(decide, {"decision": "accept", "volunteer": str(stranger.pk)}, follow=True)
        self.assertContains(page, "Kies de voorgestelde vrijwilliger of een van de alternatieven")
        self.assertFalse(Pair.objects.exists())
        page = self.client.post(
            decide, {"decision": "accept", "volunteer": str(wim.pk), "reason": "kent de buurt"}
        )
        pair = Pair.objects.get()
        self.assertRedirects(page, reverse("volunteers:pair_detail", args=[pair.public_id]))
        self.assertEqual((pair.volunteer, pair.stage), (wim, Pair.Stage.ASKED))
        self.assertEqual(Proposal.objects.get(pk=proposal.pk).reason, "kent de buurt")
        # Wim has no account (most volunteers have none): the coordinator is told to call him and records
        # his answer on the pair's page; together with the resident's yes the pair goes to its introduction.
        page = self.client.get(reverse("volunteers:pair_detail", args=[pair.public_id]))
        self.assertContains(page, "Wim heeft geen account in Omzien: bel en leg het antwoord vast.")
        self.assertContains(page, 'data-testid="volunteer-yes"')
        pair_url = reverse("volunteers:pair_detail", args=[pair.public_id])
        self.assertEqual(self.client.post(pair_url, {"action": "volunteer_answer", "answer": "misschien"}).status_code, 400)
        self.assertRedirects(self.client.post(pair_url, {"action": "volunteer_answer", "answer": "yes"}), pair_url)
        self.client.post(pair_url, {"action": "resident_answer", "answer": "yes"})
        self.assertEqual(Pair.objects.get(pk=pair.pk).stage, Pair.Stage.INTRODUCTION)
        # A volunteer with an account answers in their own portal, not through the coordinator.
        with_account = self.volunteer("Anna", postcode="3561AB", user=self.volunteer_user)
        other = Pair.objects.create(request=self.request("buddy"), volunteer=with_account, organisation=self.humanitas,
                                    kind="buddy", stage=Pair.Stage.ASKED, asked_at=timezone.now())  # fmt: skip
        other_url = reverse("volunteers:pair_detail", args=[other.public_id])
        self.assertNotContains(self.client.get(other_url), 'data-testid="volunteer-yes"')
        page = self.client.post(other_url, {"action": "volunteer_answer", "answer": "yes"}, follow=True)
        self.assertContains(page, "Deze vrijwilliger antwoordt in het eigen portaal.", status_code=400)
        self.assertEqual(Pair.objects.get(pk=other.pk).volunteer_answer, "")

    def test_the_durability_page_draws_each_curve_with_its_band_beside_the_table(self) -> None:
        today = timezone.localdate()
        vera = self.volunteer("Vera", max_pairs=9)
        for days, ended in ((40, True), (120, False), (150, True), (200, True), (400, False)):
            start = today - timedelta(days=days if not ended else days + 5)
            Pair.objects.create(request=self.request(), volunteer=vera, organisation=self.humanitas, kind="visit",
                                stage=Pair.Stage.ENDED if ended else Pair.Stage.ACTIVE, asked_at=timezone.now() - timedelta(days=500),
                                started_on=start, ended_on=start + timedelta(days=days) if ended else None,
                                end_reason="mismatch" if ended else "")  # fmt: skip
        login_verified(self.client, self.coordinator)
        page = self.client.get(reverse("volunteers:durability"))
        html = page.content.decode()
        self.assertEqual(html.count('data-testid="survival-chart"'), 1)
        self.assertIn('role="img"', html)
        self.assertIn('<title id="curve-1-title">Een bezoeker: aandeel koppelingen dat nog samen is', html)
        line = re.search(r'class="omzien-survival__line" d="([^"]+)"', html)
        band = re.search(r'class="omzien-survival__band" d="([^"]+)"', html)
        assert line is not None and band is not None
        chart = page.context["rows"][0]["chart"]
        self.assertEqual(line.group(1), chart.line)
        self.assertTrue(
            line.group(1).startswith(f"M{chart.left:.1f},{chart.top:.1f}")
        )  # everyone together at 0
        self.assertIn("6 maanden", html)  # the table stays, the accessible equivalent

    def test_the_curve_steps_down_at_each_end_and_its_band_holds_it(self) -> None:
        today = timezone.localdate()
        vera = self.volunteer("Vera", max_pairs=9)
        for days, ended in ((30, True), (60, True), (90, False), (100, True), (380, True)):
            start = today - timedelta(days=days + 1)
            Pair.objects.create(request=self.request(), volunteer=vera, organisation=self.humanitas, kind="buddy",
                                stage=Pair.Stage.ENDED if ended else Pair.Stage.ACTIVE, asked_at=timezone.now() - timedelta(days=500),
                                started_on=start, ended_on=start + timedelta(days=days) if ended else None,
                                end_reason="mismatch" if ended else "")  # fmt: skip
        [curve] = pair_durability(organisation_id=self.humanitas.pk)
        chart = survival_chart(curve)
        points = [tuple(map(float, p.split(","))) for p in chart.line[1:].split(" L")]
        ys = [y for _x, y in points]
        self.assertEqual(ys, sorted(ys))  # the share never rises: y grows downwards
        self.assertEqual(len({y for y in ys}), 5)  # 100 % and four ends
        self.assertAlmostEqual(ys[-1], chart.bottom)  # the last pair ended: 0 %
        self.assertEqual(chart.months, 18)  # followed 380 days: the axis runs to a half year beyond
        self.assertEqual([t.label for t in chart.marks], ["3", "6", "12"])
        outline = [tuple(map(float, p.split(","))) for p in chart.band[1:-2].split(" L")]
        for x, y in points:
            above = [by for bx, by in outline if abs(bx - x) < 0.05]
            self.assertTrue(min(above) - 0.05 <= y <= max(above) + 0.05, (x, y, above))


class ResidentPortalTests(PairsTestCase):
    def test_a_resident_asks_for_a_visitor_and_answers_the_question_in_their_portal(self) -> None:
        user = self.world.user(Role.RESIDENT)
        sien = self.world.residents["self"]
        vera = self.volunteer("Vera", postcode="3561AB")
        login_verified(self.client, user)
        page = self.client.post(reverse("volunteers:my_requests"), {"kind": "nonsense", "organisation": "x"})
        self.assertEqual(page.status_code, 400)
        self.assertFalse(MatchRequest.objects.exists())
        page = self.client.post(reverse("volunteers:my_requests"), {
            "kind": "visit", "organisation": str(self.humanitas.pk), "keep_in_mind": "Ik hoor slecht.",
        })  # fmt: skip
        self.assertRedirects(page, reverse("volunteers:my_requests"))
        # Sent again (a double click, or asking twice): one request, and a plain word why.
        page = self.client.post(reverse("volunteers:my_requests"), {"kind": "visit", "organisation": str(self.humanitas.pk)})
        self.assertContains(page, "U hebt deze organisatie hier al om gevraagd; uw verzoek staat nog open.", status_code=400)
        request = MatchRequest.objects.get()
        self.assertEqual(
            (request.resident, request.source, request.keep_in_mind), (sien, "resident", "Ik hoor slecht.")
        )
        services.proposal_round(organisation=self.humanitas, acting_user=self.coordinator)
        pair = services.proposal_accept(
            proposal=request.proposals.get(volunteer=vera), acting_user=self.coordinator
        )
        page = self.client.get(reverse("volunteers:my_requests"))
        self.assertContains(page, 'name="pair"')  # the question to answer
        self.assertContains(page, "Wilt u kennismaken met Vera?")
        self.assertNotContains(page, "Vera Vrijwilliger")  # the volunteer's last name is not theirs to see
        # An answer for somebody else's pair changes nothing.
        other = Pair.objects.create(request=MatchRequest.objects.create(organisation=self.humanitas, resident=self.resident,
                                                                        kind="visit", postcode="3561AB", created_at=timezone.now()),
                                    volunteer=self.volunteer("Wim"), organisation=self.humanitas, kind="visit",
                                    stage=Pair.Stage.ASKED, asked_at=timezone.now())  # fmt: skip
        page = self.client.post(reverse("volunteers:my_requests"), {"action": "answer", "pair": str(other.public_id), "answer": "no"},
                                follow=True)  # fmt: skip
        self.assertContains(page, "Antwoord ja of nee")
        self.assertEqual(Pair.objects.get(pk=other.pk).resident_answer, "")
        self.client.post(
            reverse("volunteers:my_requests"),
            {"action": "answer", "pair": str(pair.public_id), "answer": "yes"},
        )
        self.assertEqual(Pair.objects.get(pk=pair.pk).resident_answer, "yes")


class HostPortalTests(PairsTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.eet_mee = cls.world.organisations["eet_mee"]
        cls.host_user = cls.world.user(Role.MEAL_HOST)
        cls.meal_coordinator = User.objects.create_user(username="eetmee-coordinator", password="x-long-password-1",
                                                        organisation=cls.eet_mee, email="eetmee@example.org")  # fmt: skip
        cls.meal_coordinator.groups.add(Group.objects.get(name="coordinator"))

    def guest(self, name: str) -> MatchRequest:
        resident = Resident.objects.create(
            first_name=name, last_name="Gast", postcode="3561AB", phone="06-22223333"
        )
        data = services.RequestData(kind="eet_mee", postcode="3561AB", languages=["nl"], availability=0b111)
        return services.request_open(organisation=self.eet_mee, data=data, source=MatchRequest.Source.COORDINATOR,
                                     acting_user=self.meal_coordinator, resident=resident)  # fmt: skip

    def test_a_host_takes_two_guests_with_a_meal_rhythm_and_logs_a_meal_and_never_reaches_anothers_guest(
        self,
    ) -> None:
        Volunteer.objects.filter(user=self.host_user).update(user=None)
        host = self.volunteer("Gerrit", work=("meal_host",), user=self.host_user, organisation=self.eet_mee,
                              guests_per_meal=2, diets=["halal"])  # fmt: skip
        other_host = self.volunteer(
            "Hanna", work=("meal_host",), organisation=self.eet_mee, guests_per_meal=1, postcode="3584AA"
        )
        requests = [self.guest("Anna"), self.guest("Bram"), self.guest("Cor")]
        services.proposal_round(organisation=self.eet_mee, acting_user=self.meal_coordinator)
        by_volunteer: dict[int, int] = {}
        for proposal in Proposal.objects.filter(status=Proposal.Status.PROPOSED):
            by_volunteer[proposal.volunteer_id] = by_volunteer.get(proposal.volunteer_id, 0) + 1
        self.assertEqual(
            by_volunteer, {host.pk: 2, other_host.pk: 1}
        )  # two guests at one table, one at the other
        login_verified(self.client, self.meal_coordinator)
        pairs = []
        for request in requests:
            proposal = request.proposals.get(status=Proposal.Status.PROPOSED)
            pair = services.proposal_accept(proposal=proposal, acting_user=self.meal_coordinator)
            services.pair_answer(pair=pair, who="volunteer", answer="yes", acting_user=self.meal_coordinator)
            services.pair_answer(pair=pair, who="resident", answer="yes", acting_user=self.meal_coordinator)
            Pair.objects.filter(pk=pair.pk).update(asked_at=timezone.now() - timedelta(days=10))
            pairs.append(pair)
        mine = [p for p in pairs if p.volunteer_id == host.pk]
        theirs = next(p for p in pairs if p.volunteer_id == other_host.pk)
        # The coordinator records the introduction with the meal rhythm (every other week, on Wednesday).
        page = self.client.post(reverse("volunteers:pair_detail", args=[mine[0].public_id]), {
            "action": "introduction", "intro-on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "intro-goes_ahead": "yes", "intro-meal_rhythm": "fortnightly", "intro-meal_day": "2",
        })  # fmt: skip
        self.assertEqual(page.status_code, 302)
        self.assertEqual(Pair.objects.filter(pk=mine[0].pk).values_list("stage", "meal_rhythm", "meal_day").get(),
                         ("active", "fortnightly", 2))  # fmt: skip

        login_verified(self.client, self.host_user)
        page = self.client.get(reverse("volunteers:my_guests"))
        listed = page.content.decode()
        guests = [p.request.resident.first_name for p in mine]
        self.assertIn(f"{guests[0]}</a> — actief · om de week op woensdag", listed)
        with translation.override("en"):
            self.assertEqual(Pair.objects.get(pk=mine[0].pk).meal_text, "every two weeks on Wednesday")
        self.assertIn(f"{guests[1]}</a> — kennismaking gepland", listed)
        self.assertNotIn(theirs.request.resident.first_name, listed)
        self.assertContains(page, "U hebt plaats voor 2 gasten per maaltijd.")
        guest_url = reverse("volunteers:my_guest", args=[mine[0].public_id])
        # The meal's date starts at today, in the notation a date picker takes (a Dutch 03-12-2026 showed empty).
        self.assertContains(self.client.get(guest_url), f'name="on" value="{timezone.localdate().isoformat()}"')
        page = self.client.post(guest_url, {"action": "contact", "on": "morgen", "minutes": "-5"})
        self.assertEqual(page.status_code, 400)
        # Plain words, not Django's ("Zorg ervoor dat deze waarde minstens 1 is.", "Dit veld is vereist.").
        self.assertContains(page, "Vul een datum in, zoals 2026-03-18.", status_code=400)
        self.assertContains(page, "Vul 1 of meer in.", status_code=400)
        self.assertNotContains(page, "Zorg ervoor", status_code=400)
        page = self.client.post(guest_url, {"action": "contact", "on": "", "minutes": ""})
        # At both fields, and in the error summary with a link to each.
        self.assertContains(page, "Vul dit in.", count=4, status_code=400)
        self.assertContains(page, 'href="#id_on">Datum: Vul dit in.', status_code=400)
        self.assertContains(page, 'href="#id_minutes">Hoe lang (minuten): Vul dit in.', status_code=400)
        self.assertNotContains(page, "Dit veld is vereist", status_code=400)
        self.assertFalse(Contact.objects.exists())
        page = self.client.post(guest_url, {"action": "contact", "on": timezone.localdate().isoformat(), "minutes": "120",
                                            "note": "Gezellig gegeten."})  # fmt: skip
        self.assertRedirects(page, guest_url)
        self.assertEqual(Contact.objects.get().minutes, 120)
        self.assertContains(self.client.get(reverse("volunteers:my_guests")), "Uren vastgelegd dit jaar: 2,0")
        # Another host's guest: 404, nothing of them shown, the attempt logged.
        response = self.client.get(reverse("volunteers:my_guest", args=[theirs.public_id]))
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, theirs.request.resident.first_name, status_code=404)
        self.assertTrue(
            AccessLogEntry.objects.filter(
                outcome="denied", object_type="pair", object_id=str(theirs.public_id)
            ).exists()
        )

# SPDX-License-Identifier: EUPL-1.2
"""The client list at size: each page shows its cases in the list's order (what is due first), reads them in a fixed
number of queries whatever the page, and logs exactly the residents it shows."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry
from omzien.casework.models import Case, Signal, Stage, Status
from omzien.lib.testing.world import build_world, login_verified
from omzien.residents.models import Resident


class ClientListPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.professional = cls.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        team = cls.professional.organisation
        buurt = cls.world.residents["a"].neighbourhood
        today = timezone.localdate()
        residents = Resident.objects.bulk_create([
            Resident(first_name=f"Lijst{n:02d}", last_name="Client", postcode="3561AB", neighbourhood=buurt)
            for n in range(60)
        ])  # fmt: skip
        # Due dates that repeat, so the order's tie-break (the case's id) matters.
        Case.objects.bulk_create([
            Case(resident=resident, team=team, stage=Stage.FOLLOW_UP, opened_at=timezone.now(), intake_due=today,
                 next_due=today + timedelta(days=n % 7))
            for n, resident in enumerate(residents)
        ])  # fmt: skip

    def test_each_page_shows_and_logs_its_own_cases_in_order(self) -> None:
        login_verified(self.client, self.professional)
        expected = list(
            Case.objects.filter(team=self.professional.organisation, closed_at__isnull=True)
            .order_by("next_due", "pk").values_list("public_id", flat=True)
        )  # fmt: skip
        self.assertGreater(len(expected), 50)
        counts = []
        for number in (1, 2, 3):
            before = (
                AccessLogEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0
            )
            with self.subTest(page=number):
                response = self.client.get(reverse("casework:clients"), {"wie": "team", "pagina": number})
                self.assertEqual(response.status_code, 200)
                shown = [case.public_id for case in response.context["cases"]]
                self.assertEqual(shown, expected[(number - 1) * 25 : number * 25])
                logged = list(AccessLogEntry.objects.filter(sequence__gt=before, action="list")
                              .values_list("object_id", flat=True))  # fmt: skip
                self.assertEqual(sorted(logged), sorted(str(public_id) for public_id in shown))
                links = [
                    str(public_id)
                    for public_id in shown
                    if f'href="/clienten/{public_id}/"' in response.content.decode()
                ]
                self.assertEqual(len(links), len(shown))
            counts.append(self._queries(number))
        self.assertEqual(len(set(counts)), 1, counts)  # the last page costs what the first does

    def _queries(self, number: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("casework:clients"), {"wie": "team", "pagina": number})
        return len(queries)


class WorklistMenuNumberTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.professional = cls.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        buurt = cls.world.residents["a"].neighbourhood
        today = timezone.localdate()
        # Intakes of the team that are nobody's yet: in the team's list, not in her own.
        for n in range(3):
            resident = Resident.objects.create(first_name=f"Team{n}", last_name="Intake", neighbourhood=buurt)
            Case.objects.create(resident=resident, team=cls.professional.organisation, stage=Stage.INTAKE,
                                opened_at=timezone.now(), intake_due=today, next_due=today)  # fmt: skip

    def test_the_menu_shows_her_own_number_on_either_list(self) -> None:
        from omzien.casework.selectors import worklist_counts

        # A signal assigned to her and past its deadline: on her list once, though it is both hers and overdue.
        today = timezone.localdate()
        team = self.professional.organisation
        for n, (status, assigned, deadline) in enumerate((
            (Status.ASSIGNED, self.professional, today - timedelta(days=3)),  # hers and overdue
            (Status.ASSIGNED, self.professional, today + timedelta(days=3)),  # hers
            (Status.NEW, None, today - timedelta(days=3)),  # the team's: new and overdue
        )):  # fmt: skip
            Signal.objects.create(
                reference=f"TEST-{n}", source="public_form", reporter_relation="neighbour", concern="Zorg.",
                resident_knows="yes", resident_agrees="yes", last_name=f"Melding{n}", postcode="3561AB", team=team,
                received_at=timezone.now() - timedelta(days=10), deadline=deadline, status=status, assigned_to=assigned,
            )  # fmt: skip
        own = worklist_counts(self.professional, "own")
        everyone = worklist_counts(self.professional, "team")
        mine = own.total
        self.assertEqual(own.signals, 2)
        self.assertEqual((own.new_signals, own.overdue_signals), (2, 1))  # the overdue one is in both parts
        self.assertEqual(mine, 2 + own.intakes_due + own.referrals_stuck + own.follow_ups_due)
        self.assertNotEqual(mine, everyone.total)
        login_verified(self.client, self.professional)
        for word in ("eigen", "team"):
            with self.subTest(list=word):
                page = self.client.get(reverse("casework:worklist"), {"lijst": word}).content.decode()
                self.assertIn(f'href="{reverse("casework:worklist")}"', page)
                # The menu's number is the number on the "Mine" tab, and every signal on the list is counted once.
                self.assertRegex(
                    page, rf'href="{reverse("casework:worklist")}"[^>]*>Werklijst \({mine}\)</a>'
                )
                self.assertRegex(page, rf'href="\?lijst=eigen"[^>]*>Van mij \({mine}\)</a>')
                self.assertRegex(page, rf'href="\?lijst=team"[^>]*>Van het team \({everyone.total}\)</a>')
                listed = page.split('data-testid="wl-signals"', 1)[1].split("</ul>", 1)[0].count("<li")
                shown = own if word == "eigen" else everyone
                self.assertEqual(listed, shown.signals)


class ClientListOrderTests(TestCase):
    """What is due first, first — on SQLite as on PostgreSQL, which sort an empty date differently."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.professional = cls.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        team = cls.professional.organisation
        buurt = cls.world.residents["a"].neighbourhood
        today = timezone.localdate()
        Case.objects.filter(team=team).delete()
        for last_name, stage, next_due in (
            ("Nietsteroe", Stage.REFERRED, None),  # referred and waiting for an answer: nothing due yet
            ("Telaat", Stage.INTAKE, today - timedelta(days=5)),  # an overdue intake
            ("Straks", Stage.FOLLOW_UP, today + timedelta(days=20)),
            ("Vandaag", Stage.INTAKE, today),
        ):
            resident = Resident.objects.create(first_name="Orde", last_name=last_name, neighbourhood=buurt)
            Case.objects.create(resident=resident, team=team, stage=stage, opened_at=timezone.now(),
                                intake_due=today - timedelta(days=5), next_due=next_due, professional=cls.professional)  # fmt: skip

    def test_the_overdue_intake_comes_first_and_a_case_with_nothing_due_last(self) -> None:
        login_verified(self.client, self.professional)
        for params in ({"wie": "team"}, {"wie": "eigen"}):
            with self.subTest(**params):
                response = self.client.get(reverse("casework:clients"), params)
                names = [case.resident.last_name for case in response.context["cases"]]
                self.assertEqual(names, ["Telaat", "Vandaag", "Straks", "Nietsteroe"])
        due = self.client.get(reverse("casework:clients"), {"wie": "team", "weergave": "due"})
        self.assertEqual([case.resident.last_name for case in due.context["cases"]], ["Telaat", "Vandaag"])

    def test_the_chosen_filters_are_marked(self) -> None:
        login_verified(self.client, self.professional)
        page = self.client.get(
            reverse("casework:clients"), {"wie": "eigen", "weergave": "due"}
        ).content.decode()
        current = re.findall(r'<a class="utrecht-link" href="([^"]*)" aria-current="page">', page)
        self.assertEqual(current, ["?wie=eigen&weergave=due", "?wie=eigen&weergave=due"])


class ReferralsReceivedTests(TestCase):
    """An organisation with many running routes still sees a new referral first, and can page and filter."""

    @classmethod
    def setUpTestData(cls) -> None:
        from omzien.casework.models import Referral, ReferralStatus

        cls.world = build_world()
        cls.coordinator = cls.world.user(Role.COORDINATOR)
        organisation = cls.coordinator.organisation
        professional = cls.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL)
        buurt = cls.world.residents["a"].neighbourhood
        now = timezone.now()
        today = timezone.localdate()
        residents = Resident.objects.bulk_create([
            Resident(first_name=f"Loopt{n:03d}", last_name="Route", neighbourhood=buurt) for n in range(121)
        ])  # fmt: skip
        cases = Case.objects.bulk_create([
            Case(resident=resident, team=professional.organisation, stage=Stage.FOLLOW_UP, opened_at=now,
                 intake_due=today)
            for resident in residents
        ])  # fmt: skip
        # 110 running routes and 10 accepted ones, sent long ago; then one new referral, sent today.
        rows = [
            Referral(resident=case.resident, case=case, route="visiting_service", target_organisation=organisation,
                     sent_by=professional, sent_at=now - timedelta(days=200 - n), stuck_on=today - timedelta(days=190 - n),
                     status=ReferralStatus.STARTED if n < 110 else ReferralStatus.ACCEPTED, shared=["first_name"])
            for n, case in enumerate(cases[:120])
        ]  # fmt: skip
        rows.append(Referral(resident=cases[120].resident, case=cases[120], route="buddy", target_organisation=organisation,
                             sent_by=professional, sent_at=now, stuck_on=today + timedelta(days=7),
                             status=ReferralStatus.SENT, shared=["first_name"]))  # fmt: skip
        Referral.objects.bulk_create(rows)

    def test_a_new_referral_comes_first_and_every_open_one_can_be_reached(self) -> None:
        from omzien.casework.selectors import referrals_received

        open_ = referrals_received(self.coordinator).filter(status__in=("sent", "accepted", "started"))
        total, sent = open_.count(), open_.filter(status="sent").count()  # the test world's own ones too
        started = open_.filter(status="started").count()
        self.assertGreater(total, 100)
        login_verified(self.client, self.coordinator)
        url = reverse("casework:referrals_received")
        first = self.client.get(url)
        statuses = [r.status for r in first.context["referrals"]]
        rank = {"sent": 0, "accepted": 1, "started": 2}
        self.assertEqual(statuses, sorted(statuses, key=rank.__getitem__))  # waiting for an answer first
        self.assertIn("Loopt120", [r.resident.first_name for r in first.context["referrals"][:sent]])
        self.assertEqual(len(statuses), 50)
        page = first.content.decode()
        self.assertIn(f'aria-current="page">Alle open ({total})</a>', page)
        self.assertIn(f'href="?status=sent">Wachten op uw antwoord ({sent})</a>', page)
        self.assertIn(f'href="?status=started">Lopend ({started})</a>', page)
        seen = {r.pk for r in first.context["referrals"]}
        for number in range(2, total // 50 + 2):
            seen |= {r.pk for r in self.client.get(url, {"pagina": number}).context["referrals"]}
        self.assertEqual(seen, set(open_.values_list("pk", flat=True)))  # every open referral on some page
        waiting = self.client.get(url, {"status": "sent"})
        self.assertEqual({r.status for r in waiting.context["referrals"]}, {"sent"})
        self.assertIn('href="?status=sent" aria-current="page"', waiting.content.decode())
        running = self.client.get(url, {"status": "started", "pagina": 3})
        self.assertEqual(len(running.context["referrals"]), started - 100)
        self.assertIn("status=started&amp;pagina=2", running.content.decode())
        self.assertEqual(self.client.get(url, {"status": "rubbish"}).context["status"], "")

# SPDX-License-Identifier: EUPL-1.2
"""The demo city's volunteer centre: the letter's organisations, ~1,500 volunteers at every stage, trainings
with sessions whose places add up, vacancies, 200 informal carers; the demo resident also volunteers."""

from __future__ import annotations

from django.db.models import Count, Q

import pytest

from omzien.accounts.models import User
from omzien.lib.testing.demo import DemoCityTestCase
from omzien.volunteers import selectors
from omzien.volunteers.models import Carer, Intake, TrainingSession, Vacancy, Volunteer


@pytest.mark.whole_city
class DemoTests(DemoCityTestCase):
    demo_residents = 300

    def test_the_volunteer_centre_is_populated_as_the_issue_asks(self) -> None:
        self.assertGreaterEqual(Volunteer.objects.count(), 1500)
        stages = set(Intake.objects.values_list("stage", flat=True))
        self.assertEqual(stages, set(Intake.Stage.values))
        organisations = set(Intake.objects.values_list("organisation__name", flat=True))
        for name in ("U Centraal", "Humanitas", "Handje Helpen", "Stichting Present", "CSP 't Zonnetje", "Stichting MORIA",
                     "Hulp in de praktijk", "Rode Kruis"):  # fmt: skip
            self.assertIn(name, organisations)
        self.assertEqual(Carer.objects.filter(organisation__name="Steunpunt Mantelzorg").count(), 200)
        self.assertGreaterEqual(Vacancy.objects.filter(is_published=True).count(), 10)
        # Cantonese/Mandarin speakers at CSP 't Zonnetje, Sranan at MORIA.
        zonnetje = Volunteer.objects.filter(intakes__organisation__name="CSP 't Zonnetje")
        self.assertTrue(any({"yue", "cmn"} & set(v.languages) for v in zonnetje))
        self.assertTrue(any("srn" in v.languages for v in Volunteer.objects.filter(intakes__organisation__name="Stichting MORIA")))

    def test_matches_have_hosts_600_pairs_with_a_history_and_waiting_requests(self) -> None:
        from omzien.volunteers.models import MatchRequest, Pair

        hosts = Volunteer.objects.filter(intakes__organisation__name="Eet Mee", work_kinds__icontains="meal_host").distinct()
        self.assertEqual(hosts.count(), 40)
        self.assertTrue(Pair.objects.filter(kind="eet_mee").values("volunteer").annotate(n=Count("pk")).filter(n__gt=1).exists())
        self.assertGreaterEqual(Pair.objects.count(), 600)
        self.assertEqual(set(Pair.objects.exclude(end_reason="").values_list("end_reason", flat=True)) >= {"moved", "mismatch", "goal_reached"}, True)
        self.assertGreater(MatchRequest.objects.filter(status="open").exclude(pairs__stage__in=Pair.CURRENT).count(), 100)
        curves = selectors.pair_durability()
        self.assertTrue(any(c.pairs >= 50 and 0 < c.ended < c.pairs for c in curves))  # ended and still running
        own = Volunteer.objects.get(user__username="demo-vrijwilliger")
        self.assertLessEqual({"active", "asked"}, set(own.pairs.values_list("stage", flat=True)))

    def test_no_volunteer_or_host_has_more_people_than_places(self) -> None:
        # As the pairing round and accepting a proposal never allow (services.pairs): the demo host was shown five
        # guests and a question with room for four, the demo volunteer two people with room for one.
        from omzien.volunteers.models import Pair

        current = Count("pairs", filter=Q(pairs__stage__in=Pair.CURRENT))
        over = [
            (volunteer.last_name, volunteer.current, kind)
            for volunteer in Volunteer.objects.annotate(current=current).filter(current__gt=0)
            for kind in set(volunteer.pairs.filter(stage__in=Pair.CURRENT).values_list("kind", flat=True))
            if volunteer.current > volunteer.places_for(kind)
        ]
        self.assertEqual(over, [])
        host = Volunteer.objects.get(user__username="demo-gastgezin")
        self.assertLessEqual({"active", "asked"}, set(host.pairs.values_list("stage", flat=True)))

    def test_training_places_match_their_registrations(self) -> None:
        sessions = TrainingSession.objects.annotate(active=Count("registrations", filter=Q(registrations__status="active")))
        self.assertGreater(sessions.count(), 10)
        for session in sessions:
            self.assertEqual(session.places_taken, session.active)
            self.assertLessEqual(session.places_taken, session.capacity)

    def test_vogs_are_due_somewhere_and_eligible_volunteers_exist(self) -> None:
        from django.utils import timezone

        humanitas = Intake.objects.filter(organisation__name="Humanitas").first().organisation  # type: ignore[union-attr]
        self.assertTrue(selectors.vogs_due(on=timezone.localdate(), organisation_id=humanitas.pk))
        self.assertGreater(selectors.volunteers_eligible_for_home_visits(humanitas).count(), 50)

    def test_the_demo_volunteer_has_a_certificate_and_the_demo_resident_two_roles(self) -> None:
        own = Volunteer.objects.get(user__username="demo-vrijwilliger")
        self.assertTrue(own.training_registrations.filter(attended=True).exists())
        resident = User.objects.get(username="demo-bewoner")
        self.assertEqual(set(resident.groups.values_list("name", flat=True)), {"resident", "volunteer"})
        self.assertTrue(User.objects.filter(username="demo-mantelzorg", organisation__name="Steunpunt Mantelzorg").exists())

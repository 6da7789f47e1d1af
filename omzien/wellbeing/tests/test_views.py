# SPDX-License-Identifier: EUPL-1.2
"""The self-test stores nothing unless asked; professionals record measurements and see change."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry, Action
from omzien.lib.testing.world import build_world, login_verified
from omzien.wellbeing.instruments import DJG11
from omzien.wellbeing.models import ContactRequest, Measurement


def answers(lonely: int) -> dict[str, str]:
    """Self-test answers with the first ``lonely`` items answered the lonely way."""
    data = {}
    for index, item in enumerate(DJG11.items):
        lonely_answer = "-1" if item.positive else "1"
        content_answer = "1" if item.positive else "-1"
        data[f"item_{item.number}"] = lonely_answer if index < lonely else content_answer
    return data


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


class SelfTestTests(TestCase):
    def test_the_contact_fields_say_when_they_are_needed_not_that_they_are_optional(self) -> None:
        # Name and postcode are needed for a contact request: "(optional)" beside them was refused on sending.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = self.client.get(reverse("wellbeing:self_test"))
        html = page.content.decode()
        for field in ("name", "postcode"):
            label = html[html.index(f'for="id_{field}"') :][:200]
            with self.subTest(field):
                self.assertIn("needed if you want us to contact you", label)
                self.assertNotIn("(optional)", label)

    def test_the_result_lists_activities_with_a_free_place_nearby_and_stores_nothing(self) -> None:
        from omzien.activities.tests.factories import Town

        town = Town()
        town.activity(title="Koffieochtend dichtbij", capacity=10)
        town.activity(title="Vol dichtbij", capacity=0)
        before = row_counts()
        response = self.client.post(reverse("wellbeing:self_test"), answers(9) | {"postcode": "3561 AA"})
        nearby = response.context["nearby"]
        self.assertEqual([hit.title for hit in nearby], ["Koffieochtend dichtbij"])
        self.assertContains(response, "Koffieochtend dichtbij")
        self.assertContains(response, "/activiteiten/?where=3561AA")
        self.assertEqual(row_counts(), before)

    def test_the_answers_are_scored_and_nothing_is_stored(self) -> None:
        before = row_counts()
        response = self.client.post(reverse("wellbeing:self_test"), answers(9))
        self.assertContains(response, "9 van de 11")
        self.assertContains(response, "0800-0113")
        self.assertContains(response, "signaal, geen diagnose")
        after = row_counts()
        changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
        self.assertEqual(changed, {})  # not a single row anywhere, not even in the access log

    def test_a_missing_answer_is_asked_for_again(self) -> None:
        data = answers(0)
        del data["item_5"]
        response = self.client.post(reverse("wellbeing:self_test"), data)
        self.assertContains(response, "Kies een antwoord")
        self.assertEqual(ContactRequest.objects.count(), 0)

    def test_a_contact_request_needs_consent_and_goes_to_the_buurtteam_of_the_buurt(self) -> None:
        world = build_world()
        from omzien.geo.models import Neighbourhood, Postcode

        Postcode.objects.create(code="3561AB", neighbourhood=Neighbourhood.objects.get(code="BU03440321"))
        data = answers(5) | {"wants_contact": "on", "name": "Truus", "phone": "030-1234567", "postcode": "3561 ab",
                             "preferred_contact": "phone"}  # fmt: skip
        before = ContactRequest.objects.count()
        refused = self.client.post(reverse("wellbeing:self_test"), data)
        self.assertContains(refused, "toestemming")
        self.assertEqual(ContactRequest.objects.count(), before)
        self.client.post(reverse("wellbeing:self_test"), data | {"consent": "on"})
        request = ContactRequest.objects.get(name="Truus")
        self.assertEqual(request.team, world.organisations["team_a"])
        self.assertEqual(request.category, "moderate")
        self.assertTrue(request.consent_text)
        entry = AccessLogEntry.objects.get(object_type="contact_request")
        self.assertEqual(
            (entry.action, entry.actor_role, entry.object_id), ("create", "anonymous", str(request.pk))
        )

    def test_contact_can_be_asked_from_the_result_without_doing_the_test_again(self) -> None:
        world = build_world()
        from omzien.geo.models import Neighbourhood, Postcode

        Postcode.objects.create(code="3561AB", neighbourhood=Neighbourhood.objects.get(code="BU03440321"))
        result = self.client.post(reverse("wellbeing:self_test"), answers(10))
        self.assertContains(result, 'data-testid="ask-contact"')
        token = result.context["signed_result"]
        details = {"uitslag": token, "name": "Truus", "phone": "030-1234567", "postcode": "3561 AB",
                   "preferred_contact": "phone"}  # fmt: skip
        before = ContactRequest.objects.count()
        refused = self.client.post(reverse("wellbeing:self_test"), details)
        self.assertContains(refused, "toestemming")
        self.assertEqual(ContactRequest.objects.count(), before)
        done = self.client.post(reverse("wellbeing:self_test"), details | {"consent": "on"})
        self.assertContains(done, "contact met u op")
        self.assertNotContains(done, 'data-testid="ask-contact"')
        request = ContactRequest.objects.get(name="Truus")
        self.assertEqual((request.team, request.category), (world.organisations["team_a"], "severe"))
        # A forged result is not taken.
        forged = self.client.post(reverse("wellbeing:self_test"), details | {"consent": "on", "uitslag": token + "x"})
        self.assertRedirects(forged, reverse("wellbeing:self_test"))
        self.assertEqual(ContactRequest.objects.filter(name="Truus").count(), 1)


class ContactRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.request = cls.world.extra["contact_request"]

    def test_the_buurtteam_sees_its_requests_and_marks_one_handled(self) -> None:
        ContactRequest.objects.filter(pk=self.request.pk).update(category="severe")
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        page = self.client.get(reverse("wellbeing:contact_requests"))
        self.assertContains(page, "Vraagsteller A")
        self.assertContains(page, "ernstig eenzaam")
        self.assertNotContains(page, ">severe<")
        self.assertContains(page, "tel:0301234567")
        url = reverse("wellbeing:contact_request_handled", args=[self.request.pk])
        self.assertRedirects(self.client.post(url), reverse("wellbeing:contact_requests"))
        self.request.refresh_from_db()
        first = self.request.handled_at
        self.assertIsNotNone(first)
        self.client.post(url)  # a second mark keeps the first time
        self.request.refresh_from_db()
        self.assertEqual(self.request.handled_at, first)
        self.assertEqual(
            AccessLogEntry.objects.filter(action=Action.UPDATE, object_type="contact_request").count(), 1
        )
        self.assertContains(self.client.get(reverse("wellbeing:contact_requests")), "Afgehandeld op")

    def test_another_team_neither_sees_nor_handles_them_and_the_attempt_is_logged(self) -> None:
        login_verified(self.client, self.world.other_team_user)
        page = self.client.get(reverse("wellbeing:contact_requests"))
        self.assertNotContains(page, "Vraagsteller A")
        self.assertContains(page, "geen contactverzoeken")
        url = reverse("wellbeing:contact_request_handled", args=[self.request.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        self.request.refresh_from_db()
        self.assertIsNone(self.request.handled_at)
        denied = AccessLogEntry.objects.get(outcome="denied", object_type="contact_request")
        self.assertEqual(denied.object_id, str(self.request.pk))
        # Other roles do not get the page at all.
        self.client.logout()
        login_verified(self.client, self.world.user(Role.COORDINATOR))
        self.assertEqual(self.client.get(reverse("wellbeing:contact_requests")).status_code, 403)


def world_without_measurements() -> Any:
    """The access-test world, its residents without measurements (other rooms' parts of it, such as
    casework's intake, record some): these tests count what they record themselves."""
    world = build_world()
    Measurement.objects.all().delete()
    return world


class MeasurementTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = world_without_measurements()

    def test_a_professional_records_two_measurements_and_sees_the_reliable_change(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        resident = self.world.residents["a"]
        url = reverse("wellbeing:measurement_create", args=[resident.public_id, "djg11"])
        logged_before = AccessLogEntry.objects.values_list("sequence", flat=True).order_by("-sequence").first() or 0
        for lonely in (10, 2):
            response = self.client.post(url, answers(lonely) | {"context": "intake", "mode": "conversation"})
            self.assertEqual(response.status_code, 302)
        self.assertEqual(list(Measurement.objects.values_list("total", flat=True)), [10, 2])
        page = self.client.get(reverse("wellbeing:measurements", args=[resident.public_id]))
        self.assertContains(page, "-8 (RCI")
        self.assertContains(page, "betrouwbare verandering")
        self.assertContains(page, "<polyline")
        # The chart names its scale, has axes with the scale's whole range (0-11), the cut-offs as
        # lines with their meaning, and a table with the same figures as its text equivalent.
        chart = page.context["charts"][0]
        self.assertEqual(chart.name, "De Jong Gierveld, 11 items")
        self.assertEqual([tick.label for tick in chart.y_ticks], [str(n) for n in range(12)])
        self.assertEqual([cut.label for cut in chart.cut_offs],
                         ["vanaf 3: matig eenzaam", "vanaf 9: ernstig eenzaam", "vanaf 11: zeer ernstig eenzaam"])  # fmt: skip
        # SVG's y grows downwards: 10 is drawn above the line at 8.5, 2 below the line at 2.5.
        self.assertLess(chart.points[0].y, chart.cut_offs[1].y)
        self.assertGreater(chart.points[1].y, chart.cut_offs[0].y)
        self.assertContains(page, "De Jong Gierveld, 11 items: totaalscore door de tijd")
        self.assertContains(page, 'data-testid="chart-table"')
        self.assertNotContains(page, "djg11)")
        # Categories as people read them (10: severe, 2: not lonely), never the codes.
        self.assertContains(page, "ernstig eenzaam")
        self.assertContains(page, "niet eenzaam")
        self.assertNotContains(page, "not_lonely")
        self.assertEqual(
            AccessLogEntry.objects.filter(sequence__gt=logged_before, action=Action.CREATE, object_type="measurement").count(), 2
        )

    def test_other_teams_and_roles_cannot_measure_this_resident(self) -> None:
        url = reverse("wellbeing:measurement_create", args=[self.world.residents["a"].public_id, "djg11"])
        login_verified(self.client, self.world.other_team_user)
        self.assertEqual(
            self.client.post(url, answers(3) | {"context": "intake", "mode": "phone"}).status_code, 404
        )
        self.client.logout()
        login_verified(self.client, self.world.user(Role.COORDINATOR))
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(Measurement.objects.count(), 0)

    def test_a_correction_supersedes_and_the_direct_question_is_stored_as_an_ordinal(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        resident = self.world.residents["a"]
        djg = reverse("wellbeing:measurement_create", args=[resident.public_id, "djg11"])
        self.client.post(djg, answers(9) | {"context": "intake", "mode": "phone"})
        wrong = Measurement.objects.get()
        form = self.client.get(djg, {"corrigeert": wrong.pk})
        self.assertContains(form, "corrigeert een eerdere meting")
        self.client.post(djg, answers(4) | {"context": "intake", "mode": "phone", "supersedes": wrong.pk})
        again = self.client.post(
            djg, answers(5) | {"context": "intake", "mode": "phone", "supersedes": wrong.pk}
        )
        self.assertContains(again, "al gecorrigeerd")  # a correction is corrected only once
        ons = reverse("wellbeing:measurement_create", args=[resident.public_id, "ons"])
        self.client.post(ons, {"item_1": "3", "context": "follow_up", "mode": "conversation"})
        page = self.client.get(reverse("wellbeing:measurements", args=[resident.public_id]))
        self.assertContains(page, "correctie")
        self.assertContains(page, "af en toe")
        self.assertEqual(Measurement.objects.count(), 3)  # nothing edited, nothing deleted
        self.assertEqual([row for row in page.context["rows"] if row.measurement.pk == wrong.pk], [])
        other = self.world.residents["b"]
        Measurement.objects.create(resident=other, instrument="djg11", answers=[], context="intake", mode="phone",
                                   administered_by=self.world.other_team_user)  # fmt: skip
        foreign = Measurement.objects.get(resident=other)
        response = self.client.post(
            djg, answers(4) | {"context": "intake", "mode": "phone", "supersedes": foreign.pk}
        )
        self.assertEqual(response.status_code, 404)


class UnscorableMeasurementTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = world_without_measurements()

    def test_an_unscorable_measurement_is_refused_with_the_rule_unless_saved_as_incomplete(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        resident = self.world.residents["a"]
        url = reverse("wellbeing:measurement_create", args=[resident.public_id, "djg11"])
        four_open = {k: v for k, v in answers(3).items() if k not in ("item_2", "item_5", "item_7", "item_9")}
        refused = self.client.post(url, four_open | {"context": "intake", "mode": "phone"})
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "open: 2, 5, 7, 9")
        self.assertEqual(Measurement.objects.count(), 0)
        nothing = self.client.post(url, {"context": "intake", "mode": "phone", "incomplete": "on"})
        self.assertContains(nothing, "niets om op te slaan")
        self.assertEqual(Measurement.objects.count(), 0)
        saved = self.client.post(url, four_open | {"context": "intake", "mode": "phone", "incomplete": "on"})
        self.assertEqual(saved.status_code, 302)
        self.assertIsNone(Measurement.objects.get().total)
        page = self.client.get(reverse("wellbeing:measurements", args=[resident.public_id]))
        self.assertContains(page, "Onvolledig: geen score")
        self.assertContains(page, DJG11.name)

    def test_the_statements_are_numbered_from_one(self) -> None:
        login_verified(self.client, self.world.user(Role.NEIGHBOURHOOD_PROFESSIONAL))
        resident = self.world.residents["a"]
        for code, count in (("djg11", 11), ("ucla3", 3)):
            page = self.client.get(reverse("wellbeing:measurement_create", args=[resident.public_id, code]))
            text = page.content.decode()
            self.assertIn("1. ", text)
            self.assertIn(f"{count}. ", text)
            self.assertNotIn(f"{count + 1}. ", text.split("<legend")[-1].split("</legend>")[0])
            legends = [part.split("</legend>")[0] for part in text.split("<legend")[1:]]
            self.assertEqual([legend.split(">", 1)[1].split(".")[0] for legend in legends],
                             [str(n) for n in range(1, count + 1)])  # fmt: skip

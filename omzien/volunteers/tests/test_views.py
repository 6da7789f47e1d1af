# SPDX-License-Identifier: EUPL-1.2
"""The volunteer centre's pages: every URL walked for every role, the access log on every page that
shows a person, one organisation never seeing another's volunteers, and the public forms under bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from omzien.accounts.roles import Role
from omzien.audit.models import AccessLogEntry
from omzien.conf.url_policy import policy
from omzien.lib.testing.world import build_world, login_verified
from omzien.volunteers.models import (
    Carer,
    Intake,
    RespiteRequest,
    TrainingRegistration,
    Vacancy,
    VogRecord,
    Volunteer,
)

ROOM_URLS = "volunteers:"


def _kwargs(world: Any, name: str) -> dict[str, Any]:
    rule = policy()[name]
    return rule.sample_kwargs(name, world) if rule.sample_kwargs else {}


class AccessLogTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def test_every_page_that_shows_a_volunteer_or_carer_writes_the_access_log(self) -> None:
        pages = {name: rule for name, rule in policy().items() if name.startswith(ROOM_URLS) and rule.personal_data}
        self.assertGreaterEqual(len(pages), 8)
        for name, rule in pages.items():
            role = next(iter(rule.allowed))
            self.client.logout()
            login_verified(self.client, self.world.user(role))
            before = AccessLogEntry.objects.count()
            response = getattr(self.client, rule.method)(reverse(name, kwargs=_kwargs(self.world, name)), rule.data)
            with self.subTest(url=name):
                self.assertIn(response.status_code, rule.ok_status)
                new = list(AccessLogEntry.objects.order_by("sequence")[before:])
                self.assertTrue(new, "no access-log entry written")
                # Volunteers and carers, and (matches, issue #21) the person a request is for, or the resident's own record.
                people = {"volunteer", "carer", "matchrequest", "resident"}
                self.assertTrue(all(e.subject_resident_pseudo_id for e in new if e.object_type in people))
                self.assertTrue(any(e.object_type in people for e in new))
                for entry in new:
                    # Nothing personal in the log: pseudonymous ids, never names.
                    self.assertNotIn("Vera", str(entry.fields) + entry.object_id)

    def test_the_list_logs_one_entry_per_volunteer_shown(self) -> None:
        login_verified(self.client, self.world.user(Role.COORDINATOR))
        self.client.get(reverse("volunteers:list"))
        listed = AccessLogEntry.objects.filter(action="list", object_type="volunteer")
        own = self.world.extra["volunteers"]["volunteer"]
        self.assertEqual([e.subject_resident_pseudo_id for e in listed], [own.pseudo_id])


class OrganisationWallTests(TestCase):
    """A coordinator of one organisation never sees another's volunteers, anywhere."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def setUp(self) -> None:
        login_verified(self.client, self.world.user(Role.COORDINATOR))  # Humanitas
        self.other: Volunteer = self.world.extra["volunteers"]["other_volunteer"]  # Rode Kruis

    def test_the_other_organisations_volunteer_is_404_and_the_attempt_logged(self) -> None:
        url = reverse("volunteers:detail", kwargs={"public_id": self.other.public_id})
        self.assertEqual(self.client.get(url).status_code, 404)
        denied = AccessLogEntry.objects.filter(object_id=str(self.other.public_id), outcome="denied")
        self.assertTrue(denied.exists())
        post = self.client.post(reverse("volunteers:intake_action", kwargs={"public_id": self.other.public_id}),
                                {"action": "stage", "stage": "stopped"})  # fmt: skip
        self.assertEqual(post.status_code, 404)
        self.assertEqual(self.other.intakes.get().stage, Intake.Stage.ACTIVE)

    def test_no_list_or_overview_names_them(self) -> None:
        for name in ("volunteers:list", "volunteers:overview"):
            self.assertNotContains(self.client.get(reverse(name)), "Otto")
        searched = self.client.get(reverse("volunteers:list"), {"q": "Otto"})
        self.assertEqual(searched.context["page"].paginator.count, 0)
        self.assertNotContains(searched, str(self.other.public_id))
        VogRecord.objects.create(volunteer=self.other, organisation=self.world.organisations["rode_kruis"],
                                 requested_on=timezone.localdate() - timedelta(days=1200),
                                 issued_on=timezone.localdate() - timedelta(days=1190), checked_at=timezone.now())  # fmt: skip
        self.assertNotContains(self.client.get(reverse("volunteers:overview")), "Otto")

    def test_a_volunteer_in_both_organisations_shows_only_the_own_intake(self) -> None:
        Intake.objects.create(volunteer=self.other, organisation=self.world.organisations["humanitas"], stage="registered",
                              stage_changed_at=timezone.now(), started_at=timezone.now(), via="signup")  # fmt: skip
        page = self.client.get(reverse("volunteers:detail", kwargs={"public_id": self.other.public_id}))
        self.assertContains(page, "Otto")
        self.assertNotContains(page, "Rode Kruis")
        self.assertNotContains(page, "Geheime steunnotitie")  # Rode Kruis's note about them

    def test_the_support_note_never_reaches_the_volunteer(self) -> None:
        self.client.logout()
        login_verified(self.client, self.world.user(Role.VOLUNTEER))
        page = self.client.get(reverse("volunteers:mine"))
        self.assertContains(page, "Vera")
        self.assertNotContains(page, "Geheime steunnotitie")


@override_settings(OMZIEN_PUBLIC_FORM_RATE="1000/h")
class PublicFormTests(TestCase):
    """The public forms: bad input gets a message per field and stores nothing; good input an intake."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        from omzien.geo.models import Neighbourhood, Postcode

        Postcode.objects.create(code="3561AB", neighbourhood=Neighbourhood.objects.get(code="BU03440321"), lat=52.11, lon=5.11)

    def good(self, **changes: Any) -> dict[str, Any]:
        data = {
            "organisation": str(self.world.organisations["humanitas"].pk), "work_kinds": ["visits", "meal_host"],
            "availability": ["0-0", "3-2"], "max_travel_km": "3", "first_name": "Sanne", "last_name": "de Wit",
            "email": "sanne@example.nl", "postcode": "3561 ab", "languages": ["nl", "yue", "srn"],
            "guests_per_meal": "2", "diets": ["halal"], "gender": "woman", "gender_preference": "women", "consent": "on",
        }  # fmt: skip
        data.update(changes)
        return data

    def test_a_good_signup_makes_a_volunteer_and_an_intake(self) -> None:
        response = self.client.post(reverse("volunteers:signup"), self.good())
        self.assertRedirects(response, reverse("volunteers:signup_done"))
        volunteer = Volunteer.objects.get(email="sanne@example.nl")
        self.assertEqual(volunteer.postcode, "3561AB")
        self.assertEqual(sorted(volunteer.languages), ["nl", "srn", "yue"])
        self.assertEqual(volunteer.availability, (1 << 0) | (1 << 11))
        self.assertEqual((volunteer.guests_per_meal, volunteer.diets), (2, ["halal"]))
        self.assertEqual(volunteer.intakes.get().organisation.name, "Humanitas")
        # The coordinator reads it in words, in Dutch.
        login_verified(self.client, self.world.user(Role.COORDINATOR))
        page = self.client.get(reverse("volunteers:detail", kwargs={"public_id": volunteer.public_id}))
        self.assertContains(page, "Kantonees")
        self.assertContains(page, "Sranan")
        self.assertContains(page, "maandag ochtend")

    def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(self) -> None:
        before = Volunteer.objects.count()
        cases = {
            "email": "geen-adres", "postcode": "12", "organisation": "999999", "work_kinds": ["astronaut"],
            "availability": ["9-9"], "languages": ["xx"], "max_travel_km": "-1", "guests_per_meal": "500",
            "date_of_birth": "31-02-1990", "first_name": "x" * 500, "consent": "",
        }  # fmt: skip
        for field, value in cases.items():
            with self.subTest(field=field):
                response = self.client.post(reverse("volunteers:signup"), self.good(**{field: value}))
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
                self.assertContains(response, 'role="alert"')
        # A host must say how many guests; a child cannot sign up.
        response = self.client.post(reverse("volunteers:signup"), self.good(guests_per_meal=""))
        self.assertIn("guests_per_meal", response.context["form"].errors)
        young = (timezone.localdate() - timedelta(days=365 * 12)).strftime("%d-%m-%Y")
        response = self.client.post(reverse("volunteers:signup"), self.good(date_of_birth=young))
        self.assertIn("date_of_birth", response.context["form"].errors)
        # Garbage of every kind in the query string and the body.
        self.assertEqual(self.client.get(reverse("volunteers:signup"), {"vacature": "'; drop"}).status_code, 200)
        self.assertEqual(self.client.post(reverse("volunteers:signup"), {"availability": "x" * 10000}).status_code, 200)
        self.assertEqual(Volunteer.objects.count(), before)

    def test_signing_up_twice_with_one_organisation_keeps_the_form_with_a_message(self) -> None:
        self.client.post(reverse("volunteers:signup"), self.good())
        self.client.logout()
        response = self.client.post(reverse("volunteers:signup"), self.good())
        self.assertEqual(response.status_code, 302)  # an anonymous sign-up always makes a new profile

    def test_a_response_to_a_vacancy_starts_an_intake_at_its_organisation(self) -> None:
        vacancy: Vacancy = self.world.extra["volunteers"]["vacancy"]
        page = self.client.get(reverse("volunteers:signup"), {"vacature": str(vacancy.public_id)})
        self.assertContains(page, vacancy.title)
        other = str(self.world.organisations["rode_kruis"].pk)
        self.client.post(reverse("volunteers:signup"), self.good(vacancy=str(vacancy.public_id), organisation=other))
        intake = Intake.objects.get(volunteer__email="sanne@example.nl")
        self.assertEqual((intake.organisation_id, intake.vacancy_id, intake.via), (vacancy.organisation_id, vacancy.pk, "vacancy"))

    def test_the_vacancy_search_survives_bad_input(self) -> None:
        url = reverse("volunteers:vacancies")
        self.assertContains(self.client.get(url), "Bezoekvrijwilliger")
        for query in ({"where": "9999ZZ"}, {"where": "abc"}, {"radius": "x"}, {"work_kind": "nope"}, {"pagina": "-3"},
                      {"q": "x" * 500}, {"wijk": "WK0000"}):  # fmt: skip
            with self.subTest(query=query):
                self.assertEqual(self.client.get(url, query).status_code, 200)
        hits = self.client.get(url, {"where": "3561AB", "radius": "3"}).context["result"]
        self.assertEqual([h.vacancy.title for h in hits], ["Bezoekvrijwilliger"])

    def test_a_carer_registers_with_a_request_for_respite_and_bad_input_stores_nothing(self) -> None:
        Group.objects.get_or_create(name="coordinator")
        from omzien.accounts.models import Organisation

        Organisation.objects.create(name="Steunpunt Mantelzorg", kind=Organisation.Kind.VOLUNTEER_ORGANISATION)
        url = reverse("volunteers:carer_signup")
        good = {"first_name": "Carla", "last_name": "Zorg", "postcode": "3561AB", "cares_for": "parent",
                "hours_per_week": "20", "burden": "4", "consent": "on", "wants_respite": "on",
                "respite_availability": ["2-1"], "respite_hours": "3"}  # fmt: skip
        before = Carer.objects.count()
        for field, value in {"hours_per_week": "200", "burden": "9", "cares_for": "cat", "postcode": "",
                             "respite_availability": [], "consent": ""}.items():  # fmt: skip
            with self.subTest(field=field):
                response = self.client.post(url, {**good, field: value})
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
        self.assertEqual(Carer.objects.count(), before)
        self.assertRedirects(self.client.post(url, good), reverse("volunteers:carer_signup_done"))
        carer = Carer.objects.get(last_name="Zorg")
        self.assertEqual((carer.organisation.name, carer.burden, carer.hours_per_week), ("Steunpunt Mantelzorg", 4, 20))
        self.assertEqual(RespiteRequest.objects.get(carer=carer).availability, 1 << 7)


class CoordinatorFlowTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def setUp(self) -> None:
        login_verified(self.client, self.world.user(Role.COORDINATOR))
        self.volunteer: Volunteer = self.world.extra["volunteers"]["volunteer"]
        self.action = reverse("volunteers:intake_action", kwargs={"public_id": self.volunteer.public_id})

    def test_vog_reference_note_and_stage_through_the_page(self) -> None:
        today = timezone.localdate()
        self.client.post(self.action, {"action": "vog", "vog-requested_on": str(today - timedelta(days=20)),
                                       "vog-issued_on": str(today - timedelta(days=5))})  # fmt: skip
        vog = VogRecord.objects.filter(volunteer=self.volunteer).latest("issued_on")
        self.assertEqual(vog.checked_by, self.world.user(Role.COORDINATOR))
        bad = self.client.post(self.action, {"action": "vog", "vog-requested_on": str(today), "vog-issued_on": str(today - timedelta(days=3))})
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(VogRecord.objects.filter(volunteer=self.volunteer).count(), 2)  # the world's and this one
        self.client.post(self.action, {"action": "reference", "ref-name": "Piet", "ref-relation": "oud-collega", "ref-outcome": "positive"})
        self.client.post(self.action, {"action": "note", "support-note": "Heeft een vaste contactpersoon nodig"})
        self.client.post(self.action, {"action": "stage", "stage": "stopped"})
        page = self.client.get(reverse("volunteers:detail", kwargs={"public_id": self.volunteer.public_id}))
        self.assertContains(page, "Piet")
        self.assertContains(page, "Heeft een vaste contactpersoon nodig")
        self.assertEqual(self.volunteer.intakes.get().stage, "stopped")
        self.assertEqual(self.client.post(self.action, {"action": "stage", "stage": "astronaut"}).status_code, 400)

    def test_a_resident_who_volunteers_gets_the_second_role_on_the_same_account(self) -> None:
        resident_user = self.world.user(Role.RESIDENT)
        volunteer = Volunteer.objects.create(user=resident_user, first_name="Sien", last_name="Smit", email="sien@example.nl",
                                             created_at=timezone.now())  # fmt: skip
        Intake.objects.create(volunteer=volunteer, organisation=self.world.organisations["humanitas"], stage="active",
                              stage_changed_at=timezone.now(), started_at=timezone.now(), via="signup")  # fmt: skip
        self.client.post(reverse("volunteers:intake_action", kwargs={"public_id": volunteer.public_id}), {"action": "account"})
        self.assertEqual(set(resident_user.groups.values_list("name", flat=True)), {"resident", "volunteer"})

    def test_menu_counts_new_signups(self) -> None:
        Intake.objects.filter(volunteer=self.volunteer).update(stage="registered")
        page = self.client.get(reverse("volunteers:overview"))
        self.assertContains(page, "(1)")

    def test_attendance_of_a_past_session(self) -> None:
        past = self.world.extra["volunteers"]["past_session"]
        url = reverse("volunteers:session_attendance", kwargs={"public_id": past.public_id})
        registration: TrainingRegistration = self.world.extra["volunteers"]["attended"]
        self.client.post(url, {"present": []})
        registration.refresh_from_db()
        self.assertIs(registration.attended, False)
        self.client.post(url, {"present": [str(registration.pk), "x"]})
        registration.refresh_from_db()
        self.assertIs(registration.attended, True)


class ThrottleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    @override_settings(OMZIEN_PUBLIC_FORM_RATE="3/h")
    def test_a_script_filling_the_public_forms_gets_a_readable_429(self) -> None:
        for name in ("volunteers:signup", "volunteers:carer_signup"):
            statuses = [self.client.post(reverse(name), {"first_name": "x"}).status_code for _ in range(4)]
            with self.subTest(form=name):
                self.assertEqual(statuses, [200, 200, 200, 429])
                self.assertEqual(self.client.get(reverse(name)).status_code, 200)  # reading is never refused
        self.assertEqual(Volunteer.objects.filter(first_name="x").count(), 0)


class ProfileEditTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def test_the_coordinator_corrects_availability_and_languages_and_bad_input_changes_nothing(self) -> None:
        login_verified(self.client, self.world.user(Role.COORDINATOR))
        volunteer: Volunteer = self.world.extra["volunteers"]["volunteer"]
        url = reverse("volunteers:profile_edit", kwargs={"public_id": volunteer.public_id})
        form = self.client.get(url).context["form"]
        data = {k: v for k, v in form.initial.items() if v not in (None, "")}
        data.update(availability=["4-1"], languages=["nl", "cmn"], work_kinds=["visits"], max_travel_km="5",
                    interests=[], diets=[])  # fmt: skip
        bad = self.client.post(url, {**data, "email": "kapot"})
        self.assertEqual(bad.status_code, 400)
        volunteer.refresh_from_db()
        self.assertEqual(volunteer.languages, ["nl"])
        self.assertRedirects(self.client.post(url, data), reverse("volunteers:detail", kwargs={"public_id": volunteer.public_id}))
        volunteer.refresh_from_db()
        self.assertEqual((volunteer.availability, volunteer.languages, volunteer.max_travel_km), (1 << 13, ["nl", "cmn"], 5))
        other = self.world.extra["volunteers"]["other_volunteer"]
        self.assertEqual(self.client.get(reverse("volunteers:profile_edit", kwargs={"public_id": other.public_id})).status_code, 404)


class CoordinatorEntryTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()

    def test_the_coordinator_enters_a_volunteer_who_called(self) -> None:
        login_verified(self.client, self.world.user(Role.COORDINATOR))
        url = reverse("volunteers:create")
        data = {"first_name": "Bram", "last_name": "Beller", "email": "bram@example.nl", "postcode": "3561AB",
                "work_kinds": ["buddy"], "availability": ["1-1"], "languages": ["nl", "srn"], "max_travel_km": "3"}  # fmt: skip
        self.assertEqual(self.client.post(url, data).status_code, 400)  # no agreement recorded: nothing kept
        self.assertFalse(Volunteer.objects.filter(email="bram@example.nl").exists())
        response = self.client.post(url, {**data, "consent": "on"})
        volunteer = Volunteer.objects.get(email="bram@example.nl")
        self.assertRedirects(response, reverse("volunteers:detail", kwargs={"public_id": volunteer.public_id}))
        intake = volunteer.intakes.get()
        self.assertEqual((intake.organisation.name, intake.via), ("Humanitas", "coordinator"))
        self.assertEqual(intake.steps.get().by, self.world.user(Role.COORDINATOR))

# SPDX-License-Identifier: EUPL-1.2
"""Search, registration through the pages, providers' pages and their object-level checks, upload."""

from __future__ import annotations

import io
from datetime import time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from omzien.accounts.models import Organisation
from omzien.activities import selectors
from omzien.activities.models import Activity, Location, Registration, WaitingListEntry
from omzien.activities.tests.factories import Town, wait
from omzien.audit.models import AccessLogEntry
from omzien.lib.testing.world import login_verified

GOOD_ROW = "Wandelclub;Samen wandelen;12;di 10:00-11:30;Park;Parklaan 1;3561 BB;wandelen;65-plus;nl;0;;vrije inloop;ja;nee;;"
HEADER = "titel;omschrijving;plaatsen;rooster;locatie;adres;postcode;interesses;doelgroepen;talen;kosten;toelichting_kosten;toegang;rolstoel;ringleiding;telefoon;email"


class SearchTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        north = Location.objects.create(
            organisation=self.town.provider, name="Noord", postcode="3561BB", lat=52.11, lon=5.10
        )
        east = Location.objects.create(
            organisation=self.town.provider, name="Oost", postcode="3562CC", lat=52.10, lon=5.18
        )
        self.centre = self.town.activity(
            title="Koffie centrum", interests=("ontmoeten",), weekday=0, start=time(10)
        )
        self.north = self.town.activity(title="Kookclub noord", location=north, interests=("koken",), weekday=2,
                                        start=time(14), capacity=0)  # fmt: skip
        self.east = self.town.activity(
            title="Koken oost", location=east, interests=("koken",), weekday=2, start=time(19)
        )

    def titles(self, **params: str) -> list[str]:
        response = self.client.get(reverse("activities:search"), params)
        self.assertEqual(response.status_code, 200)
        return [hit.title for hit in response.context["result"].hits]

    def test_postcode_and_distance_return_exactly_those_within_reach_nearest_first(self) -> None:
        self.assertEqual(self.titles(where="3561 AA", radius="3"), ["Koffie centrum", "Kookclub noord"])
        self.assertEqual(
            self.titles(where="3561AA", radius="10"), ["Koffie centrum", "Kookclub noord", "Koken oost"]
        )
        # Checked against a direct computation.
        km = selectors.km_between(52.10, 5.10, 52.10, 5.18)
        self.assertGreater(km, 5.0)
        self.assertLess(km, 10.0)

    def test_an_address_is_placed_by_its_postcode(self) -> None:
        self.assertEqual(self.titles(where="Parklaan 1, 3562 CC", radius="1"), ["Koken oost"])

    def test_filters_combine(self) -> None:
        self.assertEqual(self.titles(interest="koken"), ["Koken oost", "Kookclub noord"])
        self.assertEqual(self.titles(interest="koken", day="2", part="evening"), ["Koken oost"])
        self.assertEqual(self.titles(free="on", interest="koken"), ["Koken oost"])
        self.assertEqual(self.titles(q="koffie"), ["Koffie centrum"])
        self.assertEqual(self.titles(wijk="WK034403", day="0"), ["Koffie centrum"])

    def test_an_unknown_postcode_says_so(self) -> None:
        response = self.client.get(reverse("activities:search"), {"where": "9999 ZZ"})
        self.assertContains(response, "We kennen deze postcode niet")

    def test_an_address_without_a_postcode_is_asked_for_one(self) -> None:
        # Not "we do not know this postcode": nothing typed was a postcode.
        response = self.client.get(reverse("activities:search"), {"where": "Oudegracht 1"})
        self.assertContains(response, "Vul een postcode in, zoals 3561 AB")
        self.assertNotContains(response, "We kennen deze postcode niet")

    def test_htmx_gets_only_the_results(self) -> None:
        response = self.client.get(
            reverse("activities:search"), {"q": "koffie"}, headers={"HX-Request": "true"}
        )
        self.assertNotContains(response, "<html")
        self.assertContains(response, "Koffie centrum")

    def test_stale_information_is_marked(self) -> None:
        from datetime import timedelta

        from django.utils import timezone

        Activity.objects.filter(pk=self.east.pk).update(
            last_confirmed_at=timezone.now() - timedelta(days=400)
        )
        response = self.client.get(reverse("activities:search"), {"q": "oost"})
        self.assertContains(response, "mogelijk verouderd")
        self.assertContains(
            self.client.get(reverse("activities:detail", args=[self.east.public_id])), "mogelijk verouderd"
        )

    def test_a_session_every_other_week_says_so_in_the_results(self) -> None:
        from omzien.activities import search_index
        from omzien.activities.models import Schedule

        Schedule.objects.filter(activity=self.east).update(interval_weeks=2)
        search_index.refresh([self.east.pk])
        response = self.client.get(reverse("activities:search"), {"q": "oost"})
        (hit,) = response.context["result"].hits
        self.assertEqual(hit.sessions_text, "woensdag 19:00–21:00 (om de 2 weken)")
        (weekly,) = self.client.get(reverse("activities:search"), {"q": "koffie"}).context["result"].hits
        self.assertEqual(weekly.sessions_text, "maandag 10:00–12:00")

    def test_taxonomy_terms_are_named_in_the_language_of_the_page(self) -> None:
        search, detail = (
            reverse("activities:search"),
            reverse("activities:detail", args=[self.east.public_id]),
        )
        dutch = self.client.get(search)
        self.assertContains(dutch, '<option value="koken">Koken</option>', html=True)
        self.assertContains(self.client.get(detail), "Koken")
        self.client.post("/taal/", {"language": "en", "next": "/"})
        english = self.client.get(search)
        self.assertContains(english, '<option value="koken">Cooking</option>', html=True)
        self.assertNotContains(english, '<option value="koken">Koken</option>', html=True)
        self.assertContains(self.client.get(detail), "Cooking")


class ResidentRegistrationTests(TestCase):
    def test_a_resident_registers_then_sees_a_waiting_position(self) -> None:
        town = Town()
        activity = town.activity(capacity=1)
        me = town.resident(user=True)
        login_verified(self.client, me.user)  # type: ignore[arg-type]
        url = reverse("activities:register", args=[activity.public_id])
        response = self.client.post(url, {})  # without consent: refused
        self.assertEqual(Registration.objects.count(), 0)
        self.client.post(url, {"consent": "yes"})
        self.assertEqual(Registration.objects.get().resident, me)
        other_activity = town.activity(capacity=0, title="Vol")
        wait(other_activity, town.resident(), need=1, days_ago=3)
        self.client.post(reverse("activities:register", args=[other_activity.public_id]), {"consent": "yes"})
        response = self.client.get(reverse("activities:mine"))
        self.assertContains(response, "Plaats 2 van 2")  # need 1 from no measurement, waited less
        entry = WaitingListEntry.objects.get(resident=me)
        response = self.client.post(
            reverse("activities:mine"), {"action": "withdraw", "id": str(entry.public_id)}
        )
        entry.refresh_from_db()
        self.assertEqual(entry.status, "withdrawn")

    def test_a_resident_cannot_act_on_someone_elses_entry(self) -> None:
        town = Town()
        activity = town.activity(capacity=0)
        theirs = wait(activity, town.resident())
        me = town.resident(user=True)
        login_verified(self.client, me.user)  # type: ignore[arg-type]
        response = self.client.post(
            reverse("activities:mine"), {"action": "withdraw", "id": str(theirs.public_id)}
        )
        self.assertEqual(response.status_code, 404)
        theirs.refresh_from_db()
        self.assertEqual(theirs.status, "waiting")
        self.assertTrue(
            AccessLogEntry.objects.filter(
                outcome="denied", subject_resident_pseudo_id=theirs.resident.pseudo_id
            ).exists()
        )


class ProviderTests(TestCase):
    def setUp(self) -> None:
        self.town = Town()
        self.user = self.town.provider_user()
        login_verified(self.client, self.user)

    def test_a_provider_cannot_reach_another_providers_activity(self) -> None:
        other = Organisation.objects.create(name="Digiwijs", kind=Organisation.Kind.ACTIVITY_PROVIDER)
        theirs = Activity.objects.create(
            organisation=other, title="Tabletles", capacity=5, last_confirmed_at="2026-01-01T00:00Z"
        )
        for name in ("activities:edit", "activities:participants", "activities:attendance"):
            self.assertEqual(self.client.get(reverse(name, args=[theirs.public_id])).status_code, 404, name)
        self.assertEqual(
            self.client.post(reverse("activities:confirm", args=[theirs.public_id])).status_code, 404
        )

    def test_create_an_activity_with_schedule_and_location(self) -> None:
        response = self.client.post(reverse("activities:create"), {
            "title": "Zingen", "description": "Samen zingen", "capacity": "20", "access": "walk_in", "cost_eur": "1.50",
            "schedule": "vr 14:00-15:30\nma 10:00-11:00 om de 2 weken", "location_name": "Wijkcentrum", "postcode": "3561 aa",
            "languages": ["nl", "tr"], "interests": [], "target_groups": [], "is_active": "on",
        })  # fmt: skip
        self.assertEqual(response.status_code, 302, response.context and response.context["form"].errors)
        activity = Activity.objects.get(title="Zingen")
        self.assertEqual([str(s) for s in activity.schedules.all()][0][:2], "ma")
        self.assertEqual(activity.schedules.get(weekday=0).interval_weeks, 2)
        self.assertEqual(activity.location.neighbourhood, self.town.buurt)  # type: ignore[union-attr]
        self.assertEqual(activity.location.lat, 52.1)  # type: ignore[union-attr]
        # The search index follows the location and the schedule.
        self.assertEqual((activity.lat, activity.lon), (52.1, 5.1))
        self.assertEqual(activity.session_mask, (1 << (3 * 4 + 1)) | (1 << (3 * 0 + 0)))

    def test_an_address_without_a_location_name_is_kept_and_found_by_postcode(self) -> None:
        base = {"description": "", "capacity": "8", "access": "walk_in", "cost_eur": "0", "schedule": "di 10:00-12:00",
                "location_name": "", "languages": ["nl"], "is_active": "on"}  # fmt: skip
        response = self.client.post(reverse("activities:create"),
                                    base | {"title": "Koffie", "street": "Zamenhofdreef 1", "postcode": "3561AA"})  # fmt: skip
        self.assertEqual(response.status_code, 302)
        activity = Activity.objects.get(title="Koffie")
        self.assertIsNotNone(activity.location)
        self.assertEqual((activity.location.name, activity.location.neighbourhood), ("Zamenhofdreef 1", self.town.buurt))  # type: ignore[union-attr]
        self.assertEqual((activity.lat, activity.lon), (52.1, 5.1))
        # A street without a postcode is asked for, not dropped.
        refused = self.client.post(reverse("activities:create"), base | {"title": "Thee", "street": "Neckardreef 2"})
        self.assertContains(refused, "postcode")
        self.assertFalse(Activity.objects.filter(title="Thee").exists())

    def test_a_bad_schedule_is_explained(self) -> None:
        response = self.client.post(reverse("activities:create"), {"title": "X", "capacity": "5", "access": "walk_in",
                                                                   "cost_eur": "0", "schedule": "maandag 10-12"})  # fmt: skip
        self.assertContains(response, "maandag 10-12")
        self.assertFalse(Activity.objects.filter(title="X").exists())

    def upload(self, text: str, name: str = "aanbod.csv"):  # type: ignore[no-untyped-def]
        file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")
        return self.client.post(reverse("activities:upload"), {"file": file})

    def test_a_malformed_upload_changes_nothing_and_lists_every_bad_row(self) -> None:
        before = Activity.objects.count()
        rows = [HEADER, GOOD_ROW, "Koken;;-3;ma 10:00-12:00;;;;;;;;;;;;;",
                "Bingo;;8;zondag om 3 uur;Zaal;;12AB;schaken;;xx;gratis;;soms;misschien;;;geen-mail"]  # fmt: skip
        response = self.upload("\n".join(rows))
        self.assertEqual(Activity.objects.count(), before)
        problems = response.context["report"].problems
        text = "\n".join(problems)
        for fragment in ("Rij 3, kolom 'plaatsen'", "Rij 4, kolom 'rooster'", "Rij 4, kolom 'postcode'",
                         "Rij 4, kolom 'interesses'", "Rij 4, kolom 'talen'", "Rij 4, kolom 'kosten'",
                         "Rij 4, kolom 'toegang'", "Rij 4, kolom 'rolstoel'", "Rij 4, kolom 'email'"):  # fmt: skip
            self.assertIn(fragment, text)
        self.assertNotIn("Rij 2", text)

    def test_files_the_csv_reader_cannot_take_get_a_message_not_an_error_page(self) -> None:
        def post(content: bytes):  # type: ignore[no-untyped-def]
            file = SimpleUploadedFile("aanbod.csv", content, content_type="text/csv")
            return self.client.post(reverse("activities:upload"), {"file": file})

        # One column: no separator to detect; the missing column is named.
        self.assertContains(post(b"titel\nWandelen\n"), "plaatsen")
        # A field longer than the CSV reader takes.
        self.assertContains(post(b'titel,plaatsen\n"' + b"x" * 140_000 + b'",3\n'), "kon niet worden gelezen")
        # Bytes that are neither UTF-8 nor fully Windows-1252 are read with a replacement character.
        self.assertEqual(post("titel;plaatsen\nCaf\xe9\x81;3\n".encode("latin-1")).status_code, 302)
        self.assertTrue(Activity.objects.filter(title__startswith="Caf\xe9").exists())

    def test_a_good_upload_saves_all_and_a_second_upload_updates(self) -> None:
        response = self.upload("\n".join([HEADER, GOOD_ROW]))
        self.assertEqual(response.status_code, 302)
        self.upload("\n".join([HEADER, GOOD_ROW.replace(";12;", ";15;")]))
        activity = Activity.objects.get(title="Wandelclub")
        self.assertEqual(activity.capacity, 15)
        self.assertEqual(activity.location.neighbourhood, self.town.buurt)  # type: ignore[union-attr]

    def test_xlsx_upload(self) -> None:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(HEADER.split(";"))  # type: ignore[union-attr]
        sheet.append(GOOD_ROW.split(";"))  # type: ignore[union-attr]
        buffer = io.BytesIO()
        book.save(buffer)
        file = SimpleUploadedFile("aanbod.xlsx", buffer.getvalue())
        self.assertEqual(self.client.post(reverse("activities:upload"), {"file": file}).status_code, 302)
        self.assertTrue(Activity.objects.filter(title="Wandelclub").exists())

    def test_attendance_for_a_session(self) -> None:
        from omzien.activities import services
        from omzien.residents.models import ConsentEvent, ResidentLink

        activity = self.town.activity()
        resident = self.town.resident()
        services.register(activity=activity, resident=resident, acting_user=self.user, actor=services.SYSTEM,
                          via="professional", consent_method="verbal")  # fmt: skip
        self.assertTrue(ResidentLink.objects.filter(resident=resident).exists())
        self.assertTrue(ConsentEvent.objects.filter(resident=resident).exists())
        url = reverse("activities:attendance", args=[activity.public_id])
        page = self.client.get(url)
        self.assertContains(page, resident.full_name)
        day = page.context["session_date"]
        registration = Registration.objects.get(resident=resident)
        self.client.post(url, {"datum": day.isoformat(), "present": [str(registration.pk)]})
        self.assertTrue(registration.attendance.get(session_date=day).present)
        # A day still to come records nothing.
        future = (day + timedelta(days=30)).isoformat()
        self.client.post(url, {"datum": future, "present": [str(registration.pk)]})
        self.assertEqual(registration.attendance.count(), 1)


class OccupancyTests(TestCase):
    def test_policy_officers_see_only_aggregates(self) -> None:
        from django.contrib.auth.models import Group

        from omzien.accounts.models import User

        town = Town()
        activity = town.activity(capacity=10, title="Huiskamer X")
        officer = User.objects.create_user(username="beleid", password="x-long-password-1")
        officer.groups.add(Group.objects.get(name="policy_officer"))
        login_verified(self.client, officer)
        response = self.client.get(reverse("activities:occupancy"))
        self.assertContains(response, "Overvecht")
        self.assertEqual(response.context["city"].places, 10)
        self.assertNotContains(response, activity.title)

    def test_the_table_downloads_as_csv_with_the_same_figures(self) -> None:
        import csv

        from django.contrib.auth.models import Group

        from omzien.accounts.models import User

        town = Town()
        town.activity(capacity=10, title="Huiskamer X")
        full = town.activity(capacity=1, title="Huiskamer Y")
        wait(full, town.resident())
        officer = User.objects.create_user(username="beleid", password="x-long-password-1")
        officer.groups.add(Group.objects.get(name="policy_officer"))
        login_verified(self.client, officer)
        response = self.client.get(reverse("activities:occupancy_export"))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        text = response.content.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"))
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        self.assertEqual(rows[0], ["Wijk", "Activiteiten", "Plaatsen", "Bezet", "Bezetting (%)", "Wachtend",
                                   "Aanwezigheid (%)"])  # fmt: skip
        page = self.client.get(reverse("activities:occupancy")).context
        expected = [[row.label or "Stad", str(row.activities), str(row.places), str(row.taken), str(row.waiting)]
                    for row in [*page["rows"], page["city"]]]  # fmt: skip
        self.assertEqual([[r[0], r[1], r[2], r[3], r[5]] for r in rows[1:]], expected)
        self.assertEqual(rows[-1][2], "11")
        self.assertEqual(rows[-1][5], "1")
        self.assertNotIn("Huiskamer", text)


class OnBehalfAccessTests(TestCase):
    def test_staff_reach_only_the_clients_they_have_a_reason_to_see(self) -> None:
        from omzien.accounts.roles import Role
        from omzien.lib.testing.world import build_world

        world = build_world()
        for role in (Role.NEIGHBOURHOOD_PROFESSIONAL, Role.COORDINATOR):
            self.client.logout()
            login_verified(self.client, world.user(role))
            mine = self.client.get(reverse("activities:client", args=[world.residents["a"].public_id]))
            self.assertContains(mine, "Huiskamer A")
            other = self.client.get(reverse("activities:client", args=[world.residents["b"].public_id]))
            self.assertEqual(other.status_code, 404, role)
            form = self.client.get(
                reverse("activities:register_on_behalf", args=[world.extra["activity"].public_id])
            )
            self.assertContains(form, world.residents["a"].full_name)
            self.assertNotContains(form, world.residents["b"].full_name)
        self.assertTrue(AccessLogEntry.objects.filter(outcome="denied",
                                                      subject_resident_pseudo_id=world.residents["b"].pseudo_id).exists())  # fmt: skip

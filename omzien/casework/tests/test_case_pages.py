# SPDX-License-Identifier: EUPL-1.2
"""The professional's pages of a case, read literally against issue #19: every rule group of the first rule
table, the worklists' parts and the client list's filters, the Wmo request's six-week term, the network map at
follow-up next to the intake's, the reminder, a referral to a service from the directory, the answer in the
history chart — and a refused step that keeps nothing half-saved."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from omzien.accounts.models import User
from omzien.activities.models import Activity, Location
from omzien.casework import services
from omzien.casework.models import Case, FollowUp, NetworkMap, ReferralStatus
from omzien.casework.services import IntakeData, TieData
from omzien.casework.tests.test_referrals import BETTER, SOCIAL, CaseFlowTestCase
from omzien.lib.testing.world import login_verified
from omzien.residents.models import Resident
from omzien.wellbeing.models import Measurement
from omzien.wellbeing.services import measurement_record

# DJG-11 engine codes: agreeing with every statement is emotionally lonely (6 of 6) and socially not (0 of 5).
EMOTIONAL = [2] * 11
# Lonely on both subscales: total 11, very severe.
BOTH = [-2 if number in (1, 4, 7, 8, 11) else 2 for number in range(1, 12)]
DJG_FORM_SOCIAL = {
    f"item_{number}": "-1" for number in range(1, 12)
}  # the form's words: every item lonely-ish


class CasePagesTests(CaseFlowTestCase):
    def setUp(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        login_verified(self.client, self.professional)

    def new_resident(self, last_name: str) -> Resident:
        return Resident.objects.create(first_name="Bea", last_name=last_name, postcode="3561AB",
                                       neighbourhood=self.resident.neighbourhood, phone="06-12345678")  # fmt: skip

    def case(self, resident: Resident, *, at: Any, answers: list[int] | None = SOCIAL, professional: Any = None,
             **intake: Any) -> Case:  # fmt: skip
        """A case opened at ``at``; with ``answers`` an intake with a DJG-11 and a network map as well."""
        by = professional or self.professional
        case = services.case_open(resident=resident, team=self.team, acting_user=by, at=at)
        if answers is not None:
            measurement = measurement_record(
                actor=services.cases._actor(by), acting_user=by, resident=resident, instrument_code="djg11",
                answers=answers, context="intake", mode="conversation", at=at,
            )  # fmt: skip
            services.intake_record(case=case, data=IntakeData(goals="Weer naar buiten.", **intake), measurement=measurement,
                                   ties=[TieData("zus Els", "family", "monthly", "more")], acting_user=by, at=at)  # fmt: skip
        case.refresh_from_db()
        return case

    def proposed(self, answers: list[int], **intake: Any) -> list[str]:
        case = self.case(self.resident, at=self.start, answers=answers, **intake)
        return [proposal.route for proposal in services.route_advice_propose(case)[2]]

    # Route advice: the first rule table's four groups.

    def test_emotional_loneliness_proposes_the_emotional_routes_and_a_carer_gets_carer_support(self) -> None:
        routes = self.proposed(EMOTIONAL, is_carer=True)
        self.assertLessEqual(
            {"conversation_partner", "phone_line", "gp_poh", "buddy", "mantelzorg_support"}, set(routes)
        )
        self.assertFalse({"day_activity", "visiting_service", "eet_mee", "buurtteam_support"} & set(routes))

    def test_severe_loneliness_with_other_problems_proposes_the_teams_support_first(self) -> None:
        routes = self.proposed(BOTH, other_problems=True)
        self.assertEqual(routes[0], "buurtteam_support")
        self.assertLessEqual({"day_activity", "visiting_service", "phone_line"}, set(routes))
        self.assertNotIn("mantelzorg_support", routes)  # not a carer

    # Worklists and the client list.

    def test_the_worklists_show_each_kind_of_work_with_its_count_and_the_client_list_filters(self) -> None:
        now = timezone.now()
        self.case(self.new_resident("Intakedue"), at=now - timedelta(days=30), answers=None)
        stuck = self.case(self.new_resident("Vastgelopen"), at=now - timedelta(days=20))
        services.referral_send(case=stuck, route="buddy", target_organisation=self.world.organisations["humanitas"],
                               acting_user=self.professional, consent_method="verbal", at=now - timedelta(days=20))  # fmt: skip
        followed = self.case(self.new_resident("Vervolg"), at=now - timedelta(days=100))
        services.referral_send(case=followed, route="buurtteam_support", acting_user=self.professional,
                               consent_method="verbal", at=now - timedelta(days=95))  # fmt: skip
        services.follow_ups_create(now=now)
        colleague = User.objects.create_user(username="collega", organisation=self.team)
        colleague.groups.add(*self.professional.groups.all())
        self.case(
            self.new_resident("Collegazaak"),
            at=now - timedelta(days=30),
            answers=None,
            professional=colleague,
        )
        closed = self.case(self.new_resident("Gesloten"), at=now - timedelta(days=60))
        services.case_close(case=closed, reason="declined", acting_user=self.professional)

        own = self.client.get(reverse("casework:worklist")).content.decode()
        team = self.client.get(reverse("casework:worklist"), {"lijst": "team"}).content.decode()
        for page, intakes in ((own, ["Intakedue"]), (team, ["Intakedue", "Collegazaak"])):
            for part, names in (
                ("wl-intakes", intakes),
                ("wl-stuck", ["Vastgelopen"]),
                ("wl-follow-ups", ["Vervolg"]),
            ):
                with self.subTest(part=part, team=page is team):
                    section = page.split(f'data-testid="{part}"', 1)[1].split("</ul>", 1)[0]
                    for name in names:
                        self.assertIn(name, section)
                    self.assertNotIn("Gesloten", section)
                    # The count above is the number of rows (fewer than the first 25 shown).
                    count = {
                        "wl-intakes": "count-intakes",
                        "wl-stuck": "count-stuck",
                        "wl-follow-ups": "count-follow-ups",
                    }[part]
                    self.assertIn(f'data-testid="{count}">{section.count("<li")}<', page)
        self.assertNotIn("Collegazaak", own)
        self.assertIn('data-testid="wl-signals"', team)  # the test world's new signal

        def listed(**params: str) -> list[str]:
            response = self.client.get(reverse("casework:clients"), {"wie": "team", **params})
            mine = {
                "Collegazaak",
                "Intakedue",
                "Vastgelopen",
                "Vervolg",
                "Gesloten",
            }  # the test world has others too
            return sorted(
                case.resident.last_name
                for case in response.context["cases"]
                if case.resident.last_name in mine
            )

        self.assertEqual(listed(), ["Collegazaak", "Intakedue", "Vastgelopen", "Vervolg"])
        self.assertEqual(listed(weergave="intake"), ["Collegazaak", "Intakedue"])
        self.assertEqual(listed(weergave="referred"), ["Vastgelopen"])
        self.assertEqual(listed(weergave="follow_up"), ["Vervolg"])
        self.assertEqual(listed(weergave="closed"), ["Gesloten"])
        self.assertEqual(listed(zoek="vastgel"), ["Vastgelopen"])
        self.assertEqual(listed(wie="eigen"), ["Intakedue", "Vastgelopen", "Vervolg"])
        # Each row: its stage, last score and next due date.
        page = self.client.get(
            reverse("casework:clients"), {"wie": "team", "zoek": "Vervolg"}
        ).content.decode()
        followed.refresh_from_db()
        self.assertIn(f'data-testid="last-score">{followed.last_score}', page.replace("\n", ""))
        self.assertIsNotNone(followed.next_due)
        self.assertIn("Follow-up", page)

    # The Wmo request and its term.

    def test_the_wmo_request_date_and_its_six_week_term_are_shown_and_bad_dates_refused(self) -> None:
        case = self.case(self.new_resident("Wmo"), at=timezone.now() - timedelta(days=60))
        url = reverse("casework:case_wmo", kwargs={"public_id": case.public_id})
        for bad, message in (("", "Give the date of the request."), ("31-02-2026", "Give a valid date."),
                             ((timezone.localdate() + timedelta(days=1)).isoformat(), "cannot be in the future")):  # fmt: skip
            with self.subTest(bad=bad):
                response = self.client.post(url, {"melding_on": bad})
                self.assertContains(response, message)
                case.refresh_from_db()
                self.assertIsNone(case.wmo_melding_on)
        asked = timezone.localdate() - timedelta(days=50)
        self.assertRedirects(self.client.post(url, {"melding_on": asked.isoformat()}),
                             reverse("casework:case", kwargs={"public_id": case.public_id}))  # fmt: skip
        page = self.client.get(
            reverse("casework:case", kwargs={"public_id": case.public_id})
        ).content.decode()
        shown = page.split('data-testid="wmo"', 1)[1].split("</p>", 1)[0]
        end = asked + timedelta(weeks=6)
        self.assertIn(f"{end.day} {end.strftime('%b')} {end.year}", shown)
        self.assertIn("term passed", shown)  # 50 days ago: the six weeks are over

    # Follow-up: the network map again, the reminder, the personal link's answer in the chart.

    def test_a_follow_up_in_a_conversation_draws_the_new_network_map_next_to_the_intakes(self) -> None:
        case, _referral = self.started_case()
        services.follow_ups_create(now=self.start + timedelta(days=95))
        item = FollowUp.objects.get(case=case)
        data = {**DJG_FORM_SOCIAL, "tie-TOTAL_FORMS": "1", "tie-INITIAL_FORMS": "0", "tie-0-name": "nieuwe buurman Piet",
                "tie-0-relation": "neighbour", "tie-0-frequency": "weekly", "tie-0-wish": "same"}  # fmt: skip
        response = self.client.post(reverse("casework:follow_up", kwargs={"public_id": item.public_id}), data)
        self.assertRedirects(response, reverse("casework:case", kwargs={"public_id": case.public_id}))
        self.assertEqual(
            NetworkMap.objects.filter(case=case, context=NetworkMap.Context.FOLLOW_UP).count(), 1
        )
        page = self.client.get(
            reverse("casework:case", kwargs={"public_id": case.public_id})
        ).content.decode()
        self.assertIn(
            "dochter Anja", page.split('data-testid="network-table-intake"', 1)[1].split("</table>", 1)[0]
        )
        latest = page.split('data-testid="network-table-latest"', 1)[1].split("</table>", 1)[0]
        self.assertIn("nieuwe buurman Piet", latest)
        self.assertNotIn("dochter Anja", latest)
        for key in ("intake", "latest"):  # each drawn as rings beside its table
            self.assertIn(f'<figure class="omzien-network" data-testid="network-{key}">\n  <svg', page)
            # The key to the rings is visible text under them, and the picture is described by it.
            self.assertIn(f'aria-describedby="net-{key}-desc"', page)
            self.assertRegex(page, rf'<figcaption[^>]* id="net-{key}-desc"[^>]*>Rings from the inside out: almost daily')

    def test_tick_reminds_the_professional_once_with_a_count_and_nothing_personal(self) -> None:
        User.objects.filter(pk=self.professional.pk).update(email="prof@example.nl")
        self.started_case()
        with self.captureOnCommitCallbacks(execute=True):
            services.follow_ups_create(now=self.start + timedelta(days=7 + 95))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["prof@example.nl"])
        self.assertIn("1", mail.outbox[0].body)
        self.assertNotIn("Toets", f"{mail.outbox[0].subject} {mail.outbox[0].body}")
        with self.captureOnCommitCallbacks(execute=True):
            services.follow_ups_create(now=self.start + timedelta(days=7 + 96))
        self.assertEqual(len(mail.outbox), 1)  # reminded once

    def test_the_answer_by_personal_link_is_in_the_history_chart(self) -> None:
        case, _referral = self.started_case()
        now = timezone.now()
        services.follow_ups_create(now=self.start + timedelta(days=95))
        token = services.follow_up_link_create(
            follow_up=FollowUp.objects.get(case=case), acting_user=None, at=now
        )
        services.follow_up_answer(token=token, answers=BETTER, now=now)
        page = self.client.get(
            reverse("wellbeing:measurements", kwargs={"public_id": self.resident.public_id})
        )
        table = page.content.decode().split('data-testid="chart-table"', 1)[1].split("</table>", 1)[0]
        self.assertEqual(table.count("<tr"), 2 + 1)  # header, intake and follow-up
        self.assertIn(">1<", table.replace(" ", ""))  # the follow-up's total

    def test_the_resident_who_leaves_too_many_statements_open_is_told_which_in_plain_words(self) -> None:
        case, _referral = self.started_case()
        services.follow_ups_create(now=self.start + timedelta(days=95))
        token = services.follow_up_link_create(follow_up=FollowUp.objects.get(case=case), acting_user=None)
        self.client.logout()
        url = reverse("casework:answer", kwargs={"token": token})
        five = {f"item_{number}": "-1" for number in range(1, 6)}  # statements 6 to 11 left open
        for language, expected in (
            ("nl", "Beantwoord ook de stellingen 6, 7, 8, 9, 10 en 11"),
            ("en", "Please also answer statements 6, 7, 8, 9, 10 and 11"),
        ):
            with self.subTest(language=language):
                self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                page = self.client.post(url, five).content.decode()
                self.assertIn(expected, page)
                self.assertNotIn("incomplete", page)  # the professional's option, not the resident's
                self.assertNotIn("onvolledige", page)
                self.assertIn('value="-1" checked', page)  # what was answered stays
        self.assertEqual(FollowUp.objects.get(case=case).status, FollowUp.Status.OPEN)
        # Two open is still a score.
        nine = {f"item_{number}": "-1" for number in range(1, 10)}
        self.assertContains(self.client.post(url, nine), 'data-testid="answer-done"')

    def test_a_refused_personal_link_speaks_the_residents_language(self) -> None:
        case, _referral = self.started_case()
        services.follow_ups_create(now=self.start + timedelta(days=95))
        item = FollowUp.objects.get(case=case)
        now = timezone.now()
        token = services.follow_up_link_create(follow_up=item, acting_user=None, at=now)
        services.follow_up_answer(token=token, answers=BETTER, now=now)
        services.follow_ups_create(now=self.start + timedelta(days=185))
        expired = services.follow_up_link_create(
            follow_up=FollowUp.objects.get(case=case, months=6), acting_user=None, at=now - timedelta(days=30)
        )
        self.client.logout()  # the resident has no account
        links = {
            "used": (token, 410, "already been used", "al gebruikt"),
            "tampered": (token[:-4] + "abcd", 404, "not valid", "niet geldig"),
            "expired": (expired, 410, "has expired", "verlopen"),
        }
        for kind, (link, status, english, dutch) in links.items():
            url = reverse("casework:answer", kwargs={"token": link})
            for how, language, expected, other in (
                ("cookie", {"cookie": "en"}, english, dutch),
                # Omzien speaks Dutch first: a browser's Accept-Language alone does not switch (lib.middleware).
                ("header", {"header": "en-GB,en;q=0.9"}, dutch, english),
                ("cookie", {"cookie": "nl"}, dutch, english),
            ):
                with self.subTest(kind=kind, how=how, language=language):
                    self.client.cookies.clear()
                    if "cookie" in language:
                        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language["cookie"]
                    extra = {"HTTP_ACCEPT_LANGUAGE": language["header"]} if "header" in language else {}
                    for method in (self.client.get, self.client.post):
                        response = method(url, **extra)
                        self.assertEqual(response.status_code, status)
                        text = response.content.decode()
                        refusal = text.split('data-testid="link-refused">', 1)[1].split("</p>", 1)[0]
                        self.assertIn(expected, refusal)
                        self.assertNotIn(other, refusal)

    # A referral to a service in the directory.

    def test_a_referral_to_a_service_in_the_directory_goes_to_its_organisation_with_what_is_shared(
        self,
    ) -> None:
        case = self.case_with_intake()
        axion = self.world.organisations["axion"]
        place = Location.objects.create(organisation=axion, name="Wijkbureau", postcode="3561AB",
                                        neighbourhood=self.resident.neighbourhood)  # fmt: skip
        service = Activity.objects.create(organisation=axion, location=place, title="Schuldhulp-spreekuur", capacity=10,
                                          languages=["nl"], last_confirmed_at=timezone.now())  # fmt: skip
        url = reverse(
            "casework:referral_new", kwargs={"public_id": case.public_id, "route": "directory_service"}
        )
        self.assertContains(self.client.get(url), "Schuldhulp-spreekuur")
        response = self.client.post(url, {"consent_method": "verbal", "shared": ["first_name", "last_name"]})
        self.assertContains(response, "Choose the activity or service.")
        self.assertFalse(case.referrals.exists())
        response = self.client.post(url, {"activity": str(service.public_id), "consent_method": "verbal",
                                          "shared": ["first_name", "last_name"]})  # fmt: skip
        referral = case.referrals.get()
        self.assertEqual((referral.target_organisation, referral.status, referral.shared),
                         (axion, ReferralStatus.SENT, ["first_name", "last_name"]))  # fmt: skip
        self.assertIsNotNone(referral.link_id)
        self.assertIsNone(referral.registration_id)  # a service is not a day activity's place

    # A step that is refused keeps nothing half-saved.

    def test_an_intake_with_too_long_texts_is_refused_and_keeps_what_was_typed(self) -> None:
        case = services.case_open(resident=self.resident, team=self.team, acting_user=self.professional)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        url = reverse("casework:intake", kwargs={"public_id": case.public_id})
        base = {**DJG_FORM_SOCIAL, "goals": "Weer eens samen eten.", "tie-TOTAL_FORMS": "8", "tie-INITIAL_FORMS": "0"}
        self.assertContains(self.client.get(url), 'maxlength="2000"', count=3)
        for field in ("goals", "interests", "can_offer"):
            with self.subTest(field=field):
                response = self.client.post(url, {**base, field: "lang " * 500})
                self.assertEqual(response.status_code, 200)
                self.assertIn("Gebruik ten hoogste 2000 tekens; dit zijn er 2499.", response.content.decode())  # plain; the last space is stripped
                self.assertIn("lang lang lang", response.content.decode())  # what was typed is still there
                self.assertFalse(Measurement.objects.filter(resident=self.resident).exists())
                case.refresh_from_db()
                self.assertEqual(case.stage, "intake")

    def test_a_refused_intake_or_follow_up_keeps_no_measurement(self) -> None:
        case = services.case_open(resident=self.resident, team=self.team, acting_user=self.professional)
        Resident.objects.filter(pk=self.resident.pk).update(restricted_since=timezone.now())
        data = {
            **DJG_FORM_SOCIAL,
            "goals": "Weer eens samen eten.",
            "tie-TOTAL_FORMS": "0",
            "tie-INITIAL_FORMS": "0",
        }
        response = self.client.post(reverse("casework:intake", kwargs={"public_id": case.public_id}), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Measurement.objects.filter(resident=self.resident).exists())
        Resident.objects.filter(pk=self.resident.pk).update(restricted_since=None)
        case, _referral = self.started_case()
        services.follow_ups_create(now=self.start + timedelta(days=95))
        item = FollowUp.objects.get(case=case)
        before = Measurement.objects.filter(resident=self.resident).count()
        Resident.objects.filter(pk=self.resident.pk).update(restricted_since=timezone.now())
        response = self.client.post(reverse("casework:follow_up", kwargs={"public_id": item.public_id}),
                                    {**DJG_FORM_SOCIAL, "tie-TOTAL_FORMS": "0", "tie-INITIAL_FORMS": "0"})  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Measurement.objects.filter(resident=self.resident).count(), before)
        item.refresh_from_db()
        self.assertEqual(item.status, FollowUp.Status.OPEN)


def test_every_page_with_the_rooms_classes_loads_the_rooms_stylesheet() -> None:
    """The facts, counts, network map and link text are styled by casework.css: a page that uses them without
    loading it shows a bare list (the route advice and the referral page did)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "templates" / "casework"
    classes = ("omzien-facts", "omzien-counts", "omzien-network", "omzien-link-text")
    missing = [
        page.name
        for page in folder.glob("*.html")
        if not page.name.startswith("_")
        and any(name in page.read_text() for name in classes)
        and "casework/_head.html" not in page.read_text()
    ]
    assert missing == []
    # A partial with these classes is only included by pages that load the stylesheet.
    for part in folder.glob("_*.html"):
        if part.name != "_head.html" and any(name in part.read_text() for name in classes):
            users = [page for page in folder.glob("*.html") if f"casework/{part.name}" in page.read_text()]
            assert users and all("casework/_head.html" in page.read_text() for page in users), part.name

# SPDX-License-Identifier: EUPL-1.2
"""The volunteer centre's declarations to the ground floor (omzien.lib.rooms)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.lib.rooms import (
    PUBLIC,
    AlgorithmDecl,
    DataExportSection,
    ErasureStep,
    MenuEntry,
    ProcessingPurpose,
    RetentionRule,
    Room,
    StartCard,
    UrlRule,
)
from omzien.volunteers.policies import MATCH_RETENTION, POLICIES, VOLUNTEER_RETENTION

COORDINATOR = frozenset({"coordinator"})
VOLUNTEER = frozenset({"volunteer"})
MEAL_HOST = frozenset({"meal_host"})
RESIDENT_OR_VOLUNTEER = frozenset({"resident", "volunteer"})
EVERYONE = frozenset({PUBLIC})


def _menu_signups(user: Any) -> int:
    from omzien.volunteers.selectors import new_signups_count

    return new_signups_count(user)


def _menu_respite(user: Any) -> int:
    from omzien.volunteers.selectors import respite_open_count

    return respite_open_count(user)


def _menu_pairs(user: Any) -> int:
    from omzien.volunteers.selectors import pairs_menu_count

    return pairs_menu_count(user)


def _kwargs(key: str) -> Any:
    """Sample kwargs naming the test world's object ``world.extra['volunteers'][key]``."""

    def sample(name: str, world: Any) -> dict[str, Any]:
        return {"public_id": world.extra["volunteers"][key].public_id}

    return sample


URL_POLICY: dict[str, UrlRule] = {
    # Public: the volunteer centre's sign-up, the vacancy search, trainings, the carers' registration.
    "volunteers:signup": UrlRule(allowed=EVERYONE),
    "volunteers:signup_done": UrlRule(allowed=EVERYONE),
    "volunteers:vacancies": UrlRule(allowed=EVERYONE),
    "volunteers:vacancy": UrlRule(allowed=EVERYONE, sample_kwargs=_kwargs("vacancy")),
    "volunteers:trainings": UrlRule(allowed=EVERYONE),
    "volunteers:carer_signup": UrlRule(allowed=EVERYONE),
    "volunteers:carer_signup_done": UrlRule(allowed=EVERYONE),
    # The volunteer's own pages.
    "volunteers:mine": UrlRule(allowed=VOLUNTEER, personal_data=True),
    "volunteers:training_register": UrlRule(
        allowed=VOLUNTEER, method="post", ok_status=(302,), sample_kwargs=_kwargs("session")
    ),
    "volunteers:training_cancel": UrlRule(
        allowed=VOLUNTEER, method="post", ok_status=(302,), sample_kwargs=_kwargs("registration")
    ),
    "volunteers:certificate": UrlRule(
        allowed=VOLUNTEER, sample_kwargs=_kwargs("attended"), personal_data=True
    ),
    # Coordinators: their own organisation's volunteers, vacancies, trainings and carers.
    "volunteers:overview": UrlRule(allowed=COORDINATOR, personal_data=True),
    "volunteers:list": UrlRule(allowed=COORDINATOR, personal_data=True),
    "volunteers:create": UrlRule(allowed=COORDINATOR),
    "volunteers:detail": UrlRule(allowed=COORDINATOR, sample_kwargs=_kwargs("volunteer"), personal_data=True),
    "volunteers:profile_edit": UrlRule(
        allowed=COORDINATOR, sample_kwargs=_kwargs("volunteer"), personal_data=True
    ),
    "volunteers:intake_action": UrlRule(
        allowed=COORDINATOR,
        method="post",
        ok_status=(302,),
        sample_kwargs=_kwargs("volunteer"),
        data={"action": "stage", "stage": "interview_planned"},
        personal_data=True,
    ),  # fmt: skip
    "volunteers:vacancy_manage": UrlRule(allowed=COORDINATOR),
    "volunteers:vacancy_create": UrlRule(allowed=COORDINATOR),
    "volunteers:vacancy_edit": UrlRule(allowed=COORDINATOR, sample_kwargs=_kwargs("vacancy")),
    "volunteers:training_manage": UrlRule(allowed=COORDINATOR),
    "volunteers:session_attendance": UrlRule(
        allowed=COORDINATOR, sample_kwargs=_kwargs("past_session"), personal_data=True
    ),
    "volunteers:carers": UrlRule(allowed=COORDINATOR, personal_data=True),
    # Matches between people (issue #21).
    "volunteers:matching": UrlRule(allowed=COORDINATOR, personal_data=True),
    "volunteers:proposal_round": UrlRule(allowed=COORDINATOR, method="post", ok_status=(302,)),
    "volunteers:request_create": UrlRule(allowed=COORDINATOR),
    "volunteers:request_detail": UrlRule(
        allowed=COORDINATOR, sample_kwargs=_kwargs("match_request"), personal_data=True
    ),
    "volunteers:proposal_decide": UrlRule(
        allowed=COORDINATOR,
        method="post",
        ok_status=(302,),
        sample_kwargs=_kwargs("proposal"),
        data={"decision": "reject", "reason": "walker"},
        personal_data=True,
    ),  # fmt: skip
    "volunteers:pair_detail": UrlRule(allowed=COORDINATOR, sample_kwargs=_kwargs("pair"), personal_data=True),
    "volunteers:check_in": UrlRule(
        allowed=COORDINATOR, sample_kwargs=_kwargs("check_in"), personal_data=True
    ),
    "volunteers:durability": UrlRule(allowed=COORDINATOR),
    "volunteers:my_pair": UrlRule(allowed=VOLUNTEER, sample_kwargs=_kwargs("pair"), personal_data=True),
    "volunteers:my_requests": UrlRule(allowed=frozenset({"resident"}), personal_data=True),
    # The Eet Mee host's own pages (the same pair page as a volunteer's, under their own address).
    "volunteers:my_guests": UrlRule(allowed=MEAL_HOST, personal_data=True),
    "volunteers:my_guest": UrlRule(allowed=MEAL_HOST, sample_kwargs=_kwargs("host_pair"), personal_data=True),
    "volunteers:carer_detail": UrlRule(
        allowed=COORDINATOR, sample_kwargs=_kwargs("carer"), personal_data=True
    ),
}


def _export(resident: Any) -> Any:
    from omzien.volunteers.selectors import volunteers_of_resident_export

    return volunteers_of_resident_export(resident)


def _erase(resident: Any) -> Any:
    from omzien.volunteers.services import volunteers_of_resident_erase

    return volunteers_of_resident_erase(resident)


def _expire_matches(now: Any, dry_run: bool) -> int:
    from omzien.volunteers.services import matches_expire

    return matches_expire(now, dry_run)


def _expire_volunteers(now: Any, dry_run: bool) -> int:
    from omzien.volunteers.services import volunteers_expire

    return volunteers_expire(now, dry_run)


def _demo(ctx: Any) -> None:
    from omzien.volunteers.demo import demo_volunteers_seed

    demo_volunteers_seed(ctx)


def _test_world(world: Any) -> None:
    from omzien.volunteers.demo import volunteers_test_world

    volunteers_test_world(world)


ROOM = Room(
    label="volunteers",
    urls="",
    permissions={
        "coordinator": ("volunteers.hold_intake", "volunteers.manage_trainings", "volunteers.view_carer"),
        "administrator": (
            "volunteers.view_organisationpolicy",
            "volunteers.add_organisationpolicy",
            "volunteers.change_organisationpolicy",
        ),
    },  # fmt: skip
    menu=(
        MenuEntry(_("Volunteers"), "volunteers:overview", COORDINATOR, count=_menu_signups, order=20),
        MenuEntry(_("Informal carers"), "volunteers:carers", COORDINATOR, count=_menu_respite, order=25),
        MenuEntry(_("Matches"), "volunteers:matching", COORDINATOR, count=_menu_pairs, order=22),
        MenuEntry(_("A visitor or buddy"), "volunteers:my_requests", frozenset({"resident"}), order=40),
        MenuEntry(_("My guests"), "volunteers:my_guests", MEAL_HOST, order=15),
        MenuEntry(_("My volunteering"), "volunteers:mine", VOLUNTEER, order=15),
        MenuEntry(_("Volunteer work"), "volunteers:vacancies", RESIDENT_OR_VOLUNTEER, order=35),
    ),
    start_cards=(
        StartCard(
            _("Volunteers"),
            _("Sign-ups, intakes and VOGs, vacancies and trainings of your organisation."),
            "volunteers:overview",
            COORDINATOR,
        ),
        StartCard(
            _("My volunteering"),
            _("Your trainings and certificates, your VOG and your organisations."),
            "volunteers:mine",
            VOLUNTEER,
        ),
        StartCard(
            _("Matches"),
            _(
                "Requests for a visitor, buddy, meal host, network coach or respite; the engine's proposals; pairs and their check-ins."
            ),
            "volunteers:matching",
            COORDINATOR,
        ),
        StartCard(
            _("My guests"),
            _("Who eats with you, your meal rhythm, meals logged and your VOG."),
            "volunteers:my_guests",
            MEAL_HOST,
        ),
        StartCard(
            _("A visitor or buddy"),
            _("Ask for someone who comes by, a buddy, a meal host or a network coach."),
            "volunteers:my_requests",
            frozenset({"resident"}),
        ),
        # On the public home page.
        StartCard(
            _("Volunteer work"),
            _("Visit someone, become a buddy, cook for a guest: find volunteer work near you."),
            "volunteers:vacancies",
            EVERYONE,
            order=20,
        ),
        StartCard(
            _("Do you care for someone?"),
            _("Register with Steunpunt Mantelzorg for support, respite and activities for informal carers."),
            "volunteers:carer_signup",
            EVERYONE,
            order=30,
        ),
    ),  # fmt: skip
    url_policy=URL_POLICY,
    purposes=(
        ProcessingPurpose(
            key="volunteer_coordination",
            name=_("Volunteer intake and coordination"),
            legal_ground=_(
                "Consent of the volunteer (AVG art. 6(1)(a)); VOG: legitimate interest of the organisation"
            ),
            data_categories=(
                _("name and contact details"),
                _("availability, languages, interests"),
                _("references"),
                _("VOG dates (not its content)"),
                _("extra support needed"),
            ),
            subject_categories=(_("volunteers"),),
            recipients=(_("the coordinators of the organisation the volunteer signed up with"),),
            retention=_("two years after the volunteer stopped"),
        ),
        ProcessingPurpose(
            key="volunteer_matching",
            name=_("Matching volunteers and residents, and following the pairs"),
            legal_ground=_("Consent of the resident and the volunteer (AVG art. 6(1)(a))"),
            data_categories=(
                _("name, postcode and phone"),
                _("languages, interests, days, diets"),
                _("what to keep in mind"),
                _("visits and meals logged, check-ins"),
            ),
            subject_categories=(_("residents asking for a person"), _("volunteers and meal hosts")),
            recipients=(
                _("the organisation's coordinators"),
                _(
                    "the matched volunteer: first name, neighbourhood, phone, "
                    "languages and what to keep in mind, while the pair lasts"
                ),
            ),
            retention=_("two years after the pair ended"),
        ),
        ProcessingPurpose(
            key="carer_support",
            name=_("Support for informal carers"),
            legal_ground=_("Consent of the informal carer (AVG art. 6(1)(a))"),
            data_categories=(
                _("name and contact details"),
                _("whom they care for and how heavy it feels"),
                _("requests for respite"),
            ),
            subject_categories=(_("informal carers"),),
            recipients=(_("the carer support point's staff"),),
            retention=_("two years after the last contact"),
            special_categories=True,
        ),
    ),  # fmt: skip
    policies=POLICIES,
    # Residents' rights (issue #25): their requests, matches, check-ins and visits — and their own volunteering.
    data_export=(
        DataExportSection(
            "volunteers",
            _("Requests for a visitor, buddy or meal host, your matches, and your volunteering"),
            _export,
        ),
    ),
    erasure=(
        ErasureStep(
            "volunteers_matches",
            _erase,
            labels={
                "requests_anonymised": _("Requests for a volunteer or meal host made anonymous"),
                "pairs_kept_without_person": _(
                    "Pairs kept without anything that names the resident (for the figures)"
                ),
                "pairs_ended": _("Running pairs ended"),
                "proposals_removed": _("Match proposals removed"),
                "check_in_notes_removed": _("Notes of check-ins removed"),
                "visit_notes_removed": _("Notes of visits removed"),
                "volunteer_profiles_anonymised": _("The resident's own volunteer profile made anonymous"),
                "pairs_ended_as_volunteer": _("Pairs ended in which the resident was the volunteer"),
                "references_removed": _("References given for the resident as a volunteer removed"),
                "vogs_removed": _("Certificates of conduct (VOG) removed"),
            },
        ),
    ),  # fmt: skip
    algorithms=(
        AlgorithmDecl(
            key="matching",
            name=_("Matching residents with volunteers and meal hosts"),
            description=_(
                "Proposes which volunteer visits, accompanies or cooks for which resident who asked for "
                "one: the best assignment for all open requests of an organisation together, each "
                "proposal with its reasons and the next best alternatives."
            ),
            goal=_(
                "Helps an organisation's coordinator find a good match for everyone who waits, fairly and "
                "explainably, instead of first come, first served. Nobody is matched without the coordinator "
                "accepting the proposal and both people agreeing."
            ),
            data=_(
                "Of the request: the kind of help, the home's location (postcode), days, languages, interests, a "
                "preference for a man or a woman, diets, need and waiting time. Of the volunteer: the same kinds "
                "of facts and how many people they can take on."
            ),
            methods=_(
                "Hard rules first (the kind of help, days, reach, preferences), then a weight per possible pair "
                "from distance, shared interests, language, need and waiting time; an optimal assignment "
                "(minimum-cost flow, OR-Tools) over all pairs. The weights are published settings."
            ),
            human_oversight=_(
                "A coordinator reviews every proposal with its reasons and alternatives, accepts, "
                "changes or rejects it, and talks to both people first. A resident can object to "
                "matching through the privacy officer."
            ),
            legal_basis=_("Consent of the resident and the volunteer (AVG art. 6(1)(a)); Wmo 2015"),
            risks=_(
                "Residents far from volunteers could wait longer; waiting time raises a request's priority, and "
                "the fairness report shows who stays unmatched."
            ),
            processing_purpose="volunteer_matching",
        ),
    ),  # fmt: skip
    retention=(
        RetentionRule(
            key="volunteers_matches",
            description=MATCH_RETENTION.label,
            policy_key=MATCH_RETENTION.key,
            default=MATCH_RETENTION.default,
            apply=_expire_matches,
            basis="AVG art. 5(1)(e) with 6(1)(a): two years after the pair ended, as the register says",
        ),
        RetentionRule(
            key="volunteers_profiles",
            description=VOLUNTEER_RETENTION.label,
            policy_key=VOLUNTEER_RETENTION.key,
            default=VOLUNTEER_RETENTION.default,
            apply=_expire_volunteers,
            basis="AVG art. 5(1)(e) with 6(1)(a): two years after the volunteer stopped, as the register says",
        ),
    ),
    demo=_demo,
    demo_after=("accounts", "residents", "activities"),
    test_world=_test_world,
    access_purposes={
        "training": _("training of volunteers"),
        "volunteer_coordination": _("coordinating volunteers"),
        "carer_support": _("supporting informal carers"),
        "volunteer_matching": _("matching volunteers and residents"),
    },
)

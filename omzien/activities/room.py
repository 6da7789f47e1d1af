# SPDX-License-Identifier: EUPL-1.2
"""The activities room's declaration: the sociale kaart, registrations, occupancy and allocation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.accounts.roles import Role
from omzien.lib.rooms import (
    EVERY_ROLE,
    PUBLIC,
    AlgorithmDecl,
    DataExportSection,
    LinkKindDecl,
    MenuEntry,
    PolicyDecl,
    ProcessingPurpose,
    ResidentPageEntry,
    RetentionRule,
    Room,
    StartCard,
    UrlRule,
)
from omzien.residents.models import ResidentLink

PROVIDER = frozenset({Role.ACTIVITY_PROVIDER})
STAFF_WITH_CLIENTS = frozenset({Role.NEIGHBOURHOOD_PROFESSIONAL, Role.COORDINATOR})
OCCUPANCY = frozenset({Role.COORDINATOR, Role.ACTIVITY_PROVIDER, Role.SOCIAL_BROKER, Role.POLICY_OFFICER})


def _activity(name: str, world: Any) -> dict[str, Any]:
    """The world's activity, run by the activity provider's organisation, with resident A registered."""
    return {"public_id": world.extra["activity"].public_id}


def _resident_a(name: str, world: Any) -> dict[str, Any]:
    return {"public_id": world.residents["a"].public_id}


def _export(resident: Any) -> Any:
    from omzien.activities.selectors import activities_of_resident_export

    return activities_of_resident_export(resident)


def _demo(ctx: Any) -> None:
    from omzien.activities.demo import demo_activities_seed

    demo_activities_seed(seed=ctx.seed)


def _test_world(world: Any) -> None:
    """AxionContinu's living room in buurt A, where resident A is registered (through the world's link)."""
    from django.utils import timezone

    from omzien.activities import search_index
    from omzien.activities.models import Activity, Location, Registration, Term

    axion = world.organisations["axion"]
    buurt = world.residents["a"].neighbourhood
    location = Location.objects.create(organisation=axion, name="Buurtkamer A", postcode="3561AB",
                                       neighbourhood=buurt, lat=52.1100, lon=5.1100)  # fmt: skip
    activity = Activity.objects.create(organisation=axion, location=location, title="Huiskamer A",
                                       capacity=10, places_taken=1, last_confirmed_at=timezone.now())  # fmt: skip
    search_index.refresh([activity.pk])
    world.extra["activity"] = activity
    world.extra["registration"] = Registration.objects.create(
        activity=activity, resident=world.residents["a"], via=Registration.Via.PROFESSIONAL
    )
    # One object of each of the room's admin models, for the URL walker's admin pages.
    world.extra.setdefault("admin_objects", {}).update({Term: Term.objects.first(), Activity: activity})


# Retention (issue #25; collected by the rights room's `omzien tick` and `omzien retention`). The period is
# policy data, declared to the policy store through the RetentionRule below (not in ``policies``).
PARTICIPATION_RETENTION = PolicyDecl(
    key="activities.participation_retention",
    label=_("Keep ended registrations and closed waiting-list places (days)"),
    kind="duration_days",
    default=timedelta(days=2 * 365),
    help_text=_(
        "An ended registration (with its attendance) and a closed waiting-list place go this long after they "
        "ended; the activity's counts of places stay."
    ),
)


def _participation_expire(now: Any, dry_run: bool) -> int:
    """Remove registrations that ended, and waiting-list places closed, before the cut-off."""
    from django.db.models import Q

    from omzien import policy
    from omzien.activities.models import Registration, WaitingListEntry

    cutoff = now - policy.get(PARTICIPATION_RETENTION.key)
    registrations = Registration.objects.filter(status=Registration.Status.ENDED, ended_at__lt=cutoff)
    places = WaitingListEntry.objects.exclude(status__in=WaitingListEntry.OPEN).filter(
        Q(decided_at__lt=cutoff) | Q(decided_at__isnull=True, joined_at__lt=cutoff)
    )
    count = registrations.count() + places.count()
    if not dry_run and count:
        registrations.delete()  # their attendance goes with them (CASCADE)
        places.delete()
    return count


ROOM = Room(
    label="activities",
    resident_page=(
        ResidentPageEntry(_("Activities and waiting lists"), "activities:client", "activities.register_resident", order=30),
    ),
    urls="",
    permissions={
        Role.NEIGHBOURHOOD_PROFESSIONAL: ("activities.register_resident",),
        Role.COORDINATOR: (
            "activities.view_occupancy",
            "activities.run_allocation",
            "activities.register_resident",
        ),
        Role.ACTIVITY_PROVIDER: (
            "activities.view_activity",
            "activities.add_activity",
            "activities.change_activity",
            "activities.record_attendance",
            "activities.view_occupancy",
        ),
        Role.SOCIAL_BROKER: ("activities.view_occupancy",),
        Role.POLICY_OFFICER: ("activities.view_occupancy",),
        # The taxonomy of interests and target groups is maintained in the admin.
        Role.ADMINISTRATOR: (
            "activities.view_term",
            "activities.add_term",
            "activities.change_term",
            "activities.view_activity",
        ),
    },  # fmt: skip
    menu=(
        MenuEntry(_("Activities"), "activities:search", EVERY_ROLE, order=10),
        MenuEntry(_("My activities"), "activities:mine", frozenset({Role.RESIDENT}), order=20),
        MenuEntry(_("Our activities"), "activities:manage", PROVIDER, order=20),
        MenuEntry(_("Occupancy"), "activities:occupancy", OCCUPANCY, order=40),
    ),
    start_cards=(
        StartCard(_("Activities near you"), _("Day activities in every district: see at once where there is room, and sign up."),
                  "activities:search", frozenset({PUBLIC}), order=10),
    ),  # fmt: skip
    # Search and activity pages are public; the rest by role, objects by the room's access rules.
    url_policy={
        "activities:search": UrlRule(allowed=frozenset({PUBLIC})),
        "activities:districts_geojson": UrlRule(allowed=frozenset({PUBLIC})),
        "activities:detail": UrlRule(allowed=frozenset({PUBLIC}), sample_kwargs=_activity),
        "activities:register": UrlRule(
            allowed=frozenset({Role.RESIDENT}),
            method="post",
            ok_status=(302,),
            sample_kwargs=_activity,
            data={"consent": "yes"},
        ),
        "activities:register_on_behalf": UrlRule(
            allowed=STAFF_WITH_CLIENTS, sample_kwargs=_activity, personal_data=True
        ),
        "activities:mine": UrlRule(allowed=frozenset({Role.RESIDENT}), personal_data=True),
        "activities:client": UrlRule(
            allowed=STAFF_WITH_CLIENTS, sample_kwargs=_resident_a, personal_data=True
        ),
        "activities:manage": UrlRule(allowed=PROVIDER),
        "activities:create": UrlRule(allowed=PROVIDER),
        "activities:upload": UrlRule(allowed=PROVIDER),
        "activities:upload_example": UrlRule(allowed=PROVIDER),
        "activities:edit": UrlRule(allowed=PROVIDER, sample_kwargs=_activity),
        "activities:confirm": UrlRule(
            allowed=PROVIDER, method="post", ok_status=(302,), sample_kwargs=_activity
        ),
        "activities:participants": UrlRule(allowed=PROVIDER, sample_kwargs=_activity, personal_data=True),
        "activities:attendance": UrlRule(allowed=PROVIDER, sample_kwargs=_activity, personal_data=True),
        "activities:occupancy": UrlRule(allowed=OCCUPANCY),
        "activities:occupancy_export": UrlRule(allowed=OCCUPANCY),
        "activities:allocation": UrlRule(allowed=frozenset({Role.COORDINATOR})),
    },
    link_kinds=(
        LinkKindDecl(
            ResidentLink.Kind.REGISTRATION,
            ResidentLink.Kind.REGISTRATION.label,
            {Role.ACTIVITY_PROVIDER: ("first_name", "last_name", "phone", "email")},
        ),
    ),  # fmt: skip
    demo=_demo,
    demo_after=("accounts", "residents"),
    test_world=_test_world,
    retention=(
        RetentionRule(
            key="participation",
            description=PARTICIPATION_RETENTION.label,
            policy_key=PARTICIPATION_RETENTION.key,
            default=PARTICIPATION_RETENTION.default,
            apply=_participation_expire,
            basis="AVG art. 5(1)(e); term per the municipality's VNG Selectielijst decision (Wmo provisions)",
        ),
    ),
    policies=(
        PolicyDecl(
            key="activities.offer_hours",
            label=_("Time to accept an offered place"),
            kind="duration_hours",
            default=timedelta(hours=72),
            help_text=_("How long a resident has to accept a place offered from a waiting list."),
        ),
        PolicyDecl(
            key="activities.allocation_max_km",
            label=_("Allocation distance (km)"),
            kind="decimal",
            default=Decimal(3),
            help_text=_("A city-wide allocation round proposes activities at most this far from home."),
        ),
        PolicyDecl(
            key="activities.places_start",
            label=_("Day-activity places at the start of the policy period"),
            kind="int",
            default=6000,
            help_text=_("The city's number of day-activity places when the current policy period began."),
        ),
        PolicyDecl(
            key="activities.places_target",
            label=_("Target number of day-activity places"),
            kind="int",
            default=6250,
            help_text=_("The city's target for day-activity places, shown on the occupancy page."),
        ),
        PolicyDecl(
            key="activities.confirm_after",
            label=_("Freshness period of directory entries (days)"),
            kind="duration_days",
            default=timedelta(days=183),
            help_text=_(
                "An activity's information counts as stale (marked in search, provider reminded) after this "
                "long without confirmation."
            ),
        ),
    ),
    purposes=(
        ProcessingPurpose(
            key="activity_participation",
            name=_("Registration, waiting lists and attendance for day activities"),
            legal_ground=_("Public task under the Wmo 2015 (AVG art. 6(1)(e)); the provider sees a resident only with "
                           "the resident's consent to share"),
            data_categories=(_("name and contact details"), _("registrations, waiting-list places and offers"),
                             _("attendance")),
            subject_categories=(_("residents who take part in activities"),),
            recipients=(_("the activity's provider"), _("the resident's neighbourhood team")),
            retention=_("two years after a registration ended or a waiting-list place closed (municipal policy)"),
        ),
    ),
    algorithms=(
        AlgorithmDecl(
            key="waiting-list-ranking",
            name=_("Ranking of waiting lists and the allocation round"),
            description=_("When places are scarce, a matching engine (minimum-cost flow, OR-Tools) proposes who is "
                          "offered which free place: by urgency, waiting time, distance and the resident's "
                          "interests, each proposal with its reasons."),
            data=_("Urgency, waiting time, home buurt and interests of residents on a waiting list; places, "
                   "location and theme of activities."),
            human_oversight=_("A coordinator reviews every proposal, sees its reasons and can leave any out; a "
                              "place elsewhere is only a suggestion the resident accepts or not."),
            legal_basis=_("Wmo 2015"),
            risks=_("Residents far from activities could wait longer; the fairness report shows waiting times "
                    "per wijk and urgency."),
            goal=_("Hands out scarce places at day activities fairly: those who need it most and have waited "
                   "longest first, close to home and to their interests."),
            methods=_("An optimal assignment (minimum-cost flow, OR-Tools) over the waiting residents and the free "
                      "places, with weights from urgency, waiting time, distance and interests."),
            processing_purpose="activity_participation",
        ),
    ),  # fmt: skip
    data_export=(DataExportSection("activities", _("Your activities, attendance and waiting-list places"), _export),),
    access_purposes={
        "activity_registration": _("registration for an activity"),
        "participants": _("participants of an activity"),
        "attendance": _("attendance at an activity"),
        "waiting_list": _("waiting list of an activity"),
        "allocation_round": _("allocation round of places"),
    },
)

# SPDX-License-Identifier: EUPL-1.2
"""The wellbeing room's declaration: the self-test, contact requests and measurements."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from omzien.accounts.roles import Role
from omzien.lib.rooms import (
    PUBLIC,
    AlgorithmDecl,
    DataExportSection,
    MenuEntry,
    PolicyDecl,
    ProcessingPurpose,
    ResidentPageEntry,
    RetentionRule,
    Room,
    UrlRule,
)

PROFESSIONAL = frozenset({Role.NEIGHBOURHOOD_PROFESSIONAL})


def _resident_a(name: str, world: Any) -> dict[str, Any]:
    return {"public_id": world.residents["a"].public_id}


def _export(resident: Any) -> Any:
    from omzien.wellbeing.selectors import measurements_of_resident_export

    return measurements_of_resident_export(resident)


def _open_contact_requests(user: Any) -> int:
    from omzien.wellbeing.selectors import contact_requests_for

    return contact_requests_for(user).filter(handled_at__isnull=True).count()


# Retention (issue #25; collected by the rights room's `omzien tick` and `omzien retention`). The period is
# policy data, declared to the policy store through the RetentionRule below (not in ``policies``).
MEASUREMENT_RETENTION = PolicyDecl(
    key="wellbeing.measurement_retention",
    label=_("Keep loneliness measurements after the last involvement ended (days)"),
    kind="duration_days",
    default=timedelta(days=2 * 365),
    help_text=_(
        "A resident's measurements go once no organisation has worked with them (no active case, referral, "
        "registration or match) for this long and none was taken since. Set it from the municipality's "
        "decision on the VNG Selectielijst for Wmo files."
    ),
)
CONTACT_REQUEST_RETENTION = PolicyDecl(
    key="wellbeing.contact_request_retention",
    label=_("Keep self-test contact requests (days)"),
    kind="duration_days",
    default=timedelta(days=365),
    help_text=_("A contact request from the public self-test goes this long after it was sent."),
)


def _measurements_expire(now: Any, dry_run: bool) -> int:
    """Remove the measurements of residents no organisation has worked with since the cut-off."""
    from django.db.models import Max, Q

    from omzien import policy
    from omzien.residents.models import Resident, ResidentLink
    from omzien.wellbeing.models import Measurement

    cutoff = now - policy.get(MEASUREMENT_RETENTION.key)
    residents = (
        Resident.objects.exclude(pk__in=ResidentLink.objects.filter(ended_at__isnull=True).values("resident_id"))
        .annotate(last_measured=Max("measurements__recorded_at"), last_involved=Max("links__ended_at"))
        .filter(last_measured__lt=cutoff)
        .filter(Q(last_involved__isnull=True) | Q(last_involved__lt=cutoff))
    )
    expired = Measurement.objects.filter(resident__in=residents)
    count = expired.count()
    if not dry_run:
        # Newest first: a correction points at the measurement it replaces (PROTECT), and is always newer.
        for measurement in expired.order_by("-recorded_at", "-pk"):
            measurement.delete()
    return count


def _contact_requests_expire(now: Any, dry_run: bool) -> int:
    """Remove self-test contact requests older than the period (a handled one lives on as casework's signal)."""
    from omzien import policy
    from omzien.wellbeing.models import ContactRequest

    expired = ContactRequest.objects.filter(created_at__lt=now - policy.get(CONTACT_REQUEST_RETENTION.key))
    count = expired.count()
    if not dry_run and count:
        expired.delete()
    return count


def _demo(ctx: Any) -> None:
    """Three self-test contact requests for the demo professional's team, the last already handled."""
    from omzien.wellbeing.models import ContactRequest

    professional = ctx.users.get(Role.NEIGHBOURHOOD_PROFESSIONAL.value)
    team = professional.organisation if professional else None
    if team is None:
        return
    fake = ctx.fake
    for index, (buurt, category, contact) in enumerate(
        zip(team.neighbourhoods.order_by("code")[:3], ("moderate", "severe", "very_severe"), ("phone", "email", "visit"),
            strict=False)
    ):  # fmt: skip
        made = ContactRequest.objects.create(
            name=fake.name(), phone=fake.phone_number(), email=fake.email() if contact == "email" else "",
            preferred_contact=contact, neighbourhood=buurt, team=team, category=category,
            consent_text="Demo: toestemming gegeven in de zelftest.",
        )  # fmt: skip
        # Made some days ago (the oldest first); the handled one a day after it was made.
        created = ctx.now - timedelta(days=6 - index * 2)
        ContactRequest.objects.filter(pk=made.pk).update(
            created_at=created, handled_at=created + timedelta(days=1) if index == 2 else None
        )


def _urgency(resident: Any) -> int:
    from omzien.wellbeing.selectors import urgency_for

    return urgency_for(resident)


def _test_world(world: Any) -> None:
    """Someone in buurt A asked, through the self-test, to be contacted: routed to team A."""
    from omzien.wellbeing.models import ContactRequest

    team = world.organisations["team_a"]
    world.extra["contact_request"] = ContactRequest.objects.create(
        name="Vraagsteller A", phone="0301234567", postcode="3561AB", preferred_contact="phone",
        neighbourhood=team.neighbourhoods.get(code="BU03440321"), team=team, consent_text="test",
    )  # fmt: skip


ROOM = Room(
    label="wellbeing",
    resident_page=(
        ResidentPageEntry(_("Loneliness measurements"), "wellbeing:measurements", "wellbeing.view_measurement", order=10),
    ),
    urls="",
    permissions={
        Role.NEIGHBOURHOOD_PROFESSIONAL: (
            "wellbeing.view_measurement",
            "wellbeing.add_measurement",
            "wellbeing.view_contactrequest",
            "wellbeing.change_contactrequest",
        ),
    },  # fmt: skip
    menu=(
        MenuEntry(
            _("Contact requests"),
            "wellbeing:contact_requests",
            PROFESSIONAL,
            count=_open_contact_requests,
            order=40,
        ),
    ),  # fmt: skip
    url_policy={
        "wellbeing:self_test": UrlRule(allowed=frozenset({PUBLIC})),
        "wellbeing:contact_requests": UrlRule(allowed=PROFESSIONAL, personal_data=True),
        "wellbeing:contact_request_handled": UrlRule(
            allowed=PROFESSIONAL,
            method="post",
            ok_status=(302,),
            sample_kwargs=lambda name, world: {"pk": world.extra["contact_request"].pk},
        ),
        "wellbeing:measurements": UrlRule(
            allowed=PROFESSIONAL, sample_kwargs=_resident_a, personal_data=True
        ),
        "wellbeing:measurement_create": UrlRule(
            allowed=PROFESSIONAL,
            sample_kwargs=lambda name, world: _resident_a(name, world) | {"instrument": "djg11"},
            personal_data=True,
        ),
    },
    demo=_demo,
    demo_after=("accounts", "residents"),
    test_world=_test_world,
    resident_urgency=_urgency,
    retention=(
        RetentionRule(
            key="measurements",
            description=MEASUREMENT_RETENTION.label,
            policy_key=MEASUREMENT_RETENTION.key,
            default=MEASUREMENT_RETENTION.default,
            apply=_measurements_expire,
            basis="AVG art. 5(1)(e); term per the municipality's VNG Selectielijst decision (Wmo files)",
        ),
        RetentionRule(
            key="contact_requests",
            description=CONTACT_REQUEST_RETENTION.label,
            policy_key=CONTACT_REQUEST_RETENTION.key,
            default=CONTACT_REQUEST_RETENTION.default,
            apply=_contact_requests_expire,
            basis="AVG art. 5(1)(e); consent (art. 6(1)(a), 9(2)(a)) given for this contact only",
        ),
    ),
    policies=(
        PolicyDecl(
            key="wellbeing.urgency_by_category",
            label=_("Matching urgency per loneliness category"),
            kind="json",
            # 3 comes first for scarce places; a category not listed (or no measurement) counts as 1.
            default={"very_severe": 3, "severe": 3, "moderate": 2, "lonely": 2, "not_lonely": 1},
            help_text=_(
                "Urgency 1-3 given to a resident's latest loneliness category when scarce places are shared "
                "out (waiting lists, allocation). Categories: very_severe, severe, moderate, lonely, "
                "not_lonely; any other counts as 1."
            ),
        ),
    ),
    purposes=(
        ProcessingPurpose(
            key="loneliness_measurement",
            name=_("Measuring loneliness to offer help"),
            legal_ground=_("Public task under the Wmo 2015 (AVG art. 6(1)(e)); health data: AVG art. 9(2)(h); the "
                           "public self-test stores nothing unless the resident asks to be contacted (consent, "
                           "AVG art. 6(1)(a) and 9(2)(a))"),
            data_categories=(_("answers to a loneliness scale and the resulting score"),
                             _("for a contact request: name, phone or e-mail, postcode")),
            subject_categories=(_("residents"),),
            recipients=(_("the resident's neighbourhood team"),),
            retention=_("measurements: until two years after the last organisation stopped working with the resident "
                        "(municipal policy); contact requests: one year"),
            special_categories=True,
        ),
    ),
    algorithms=(
        AlgorithmDecl(
            key="loneliness-urgency",
            name=_("Urgency from the loneliness measurement"),
            description=_("The latest loneliness score of a resident (De Jong Gierveld scale, published cut-offs) "
                          "gives a category; the municipality's policy maps each category to an urgency, which "
                          "weighs in when scarce activity places are handed out."),
            data=_("The resident's latest loneliness measurement."),
            human_oversight=_("The mapping is municipal policy with a change history; a professional sees the "
                              "score and the category, and every place offered can be left out by a coordinator."),
            legal_basis=_("Wmo 2015"),
            risks=_("A measurement can be out of date; the date is shown beside it."),
            goal=_("Lets those who are loneliest get a scarce place first."),
            methods=_("A sum score of the scale's questions and its published cut-offs; no learning."),
            processing_purpose="loneliness_measurement",
        ),
    ),  # fmt: skip
    data_export=(DataExportSection("measurements", _("Your loneliness measurements"), _export),),
    access_purposes={
        "measurement": _("loneliness measurement"),
        "contact_request": _("contact request from the self-test"),
    },
)

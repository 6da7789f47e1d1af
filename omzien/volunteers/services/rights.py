# SPDX-License-Identifier: EUPL-1.2
"""Erasure and retention in the volunteer room (issue #25; the rights room runs them through ``lib.rooms``).

Nothing personal stays, but the counts do: a request and its pairs are *anonymised* — every detail
about the person (postcode, place, languages, interests, days, wishes, what to keep in mind, reasons
and all notes) is removed and the link to the resident or carer cut, while the kind, organisation,
dates and how a pair ended stay, so that the durability figures the council reads (Kaplan–Meier per
organisation and kind) do not change with an erasure. A volunteer's profile is anonymised the same
way (their name, contact details, profile, references and VOG dates go; their hours and trainings stay
as counts). Once anonymised a record names nobody (AVG recital 26) and is not touched again.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from omzien.volunteers.models import (
    CheckIn,
    Contact,
    Intake,
    MatchRequest,
    Pair,
    Proposal,
    Reference,
    VogRecord,
    Volunteer,
)
from omzien.volunteers.policies import MATCH_RETENTION, VOLUNTEER_RETENTION, policy_value

__all__ = [
    "matches_expire", "requests_anonymise", "volunteer_anonymise", "volunteers_expire", "volunteers_of_resident_erase",
]  # fmt: skip

REMOVED = "—"  # what an anonymised volunteer is called on the coordinators' pages


def requests_anonymise(requests: QuerySet[MatchRequest], *, now: datetime) -> dict[str, int]:
    """Remove everything personal from these requests, their proposals, pairs, check-ins and visits; the
    counts stay. A pair still running ends (reason "other"): the person is gone."""
    ids = list(requests.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return {}
    with transaction.atomic():
        ended = Pair.objects.filter(request_id__in=ids, stage__in=Pair.CURRENT).update(
            stage=Pair.Stage.ENDED, ended_on=timezone.localdate(now), end_reason=Pair.EndReason.OTHER
        )
        proposals = Proposal.objects.filter(request_id__in=ids).delete()[0]
        pairs = Pair.objects.filter(request_id__in=ids).update(end_note="", link=None)
        check_ins = CheckIn.objects.filter(pair__request_id__in=ids).exclude(note="").update(note="")
        visits = (
            Contact.objects.filter(pair__request_id__in=ids)
            .exclude(note="", signal_reference="")
            .update(note="", signal_reference="")
        )
        MatchRequest.objects.filter(pk__in=ids, status=MatchRequest.Status.OPEN).update(
            status=MatchRequest.Status.CLOSED, closed_at=now
        )
        MatchRequest.objects.filter(pk__in=ids, status=MatchRequest.Status.MATCHED).update(
            status=MatchRequest.Status.CLOSED, closed_at=now
        )
        MatchRequest.objects.filter(pk__in=ids).update(
            resident=None, respite_request=None, referral_id=None, postcode="", neighbourhood=None, lat=None, lon=None,
            languages=[], interests=[], availability=0, gender="", gender_preference="", diets=[], keep_in_mind="",
            closed_reason="", created_by=None, anonymised_at=now,
        )  # fmt: skip
    return {"requests_anonymised": len(ids), "pairs_kept_without_person": pairs, "pairs_ended": ended,
            "proposals_removed": proposals, "check_in_notes_removed": check_ins, "visit_notes_removed": visits}  # fmt: skip


def volunteer_anonymise(volunteer: Volunteer, *, now: datetime) -> dict[str, int]:
    """Remove a volunteer's details; their current pairs end as "the volunteer stopped" (the requests wait
    for a re-match), their intakes stop. Hours logged and trainings attended stay, naming nobody."""
    from omzien.volunteers.services.pairs import pair_end

    with transaction.atomic():
        locked = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if locked.anonymised_at is not None:
            return {}
        ended = 0
        for pair in Pair.objects.filter(volunteer=locked, stage__in=Pair.CURRENT):
            pair_end(
                pair=pair,
                reason=Pair.EndReason.VOLUNTEER_STOPPED,
                on=timezone.localdate(now),
                acting_user=None,
            )
            ended += 1
        Intake.objects.filter(volunteer=locked, stage__in=Intake.CURRENT).update(
            stage=Intake.Stage.STOPPED, stage_changed_at=now
        )
        Intake.objects.filter(volunteer=locked).update(extra_support_note="")
        references = Reference.objects.filter(intake__volunteer=locked).delete()[0]
        vogs = VogRecord.objects.filter(volunteer=locked).delete()[0]
        locked.interests.clear()
        Volunteer.objects.filter(pk=locked.pk).update(
            user=None, first_name=REMOVED, last_name="", email="", phone="", date_of_birth=None, postcode="",
            neighbourhood=None, lat=None, lon=None, work_kinds=[], availability=0, languages=[], gender="",
            gender_preference="", diets=[], motivation="", anonymised_at=now,
        )  # fmt: skip
    return {"volunteer_profiles_anonymised": 1, "pairs_ended_as_volunteer": ended, "references_removed": references,
            "vogs_removed": vogs}  # fmt: skip


def volunteers_of_resident_erase(resident: Any) -> dict[str, int]:
    """The resident's erasure: their requests and pairs anonymised and, when they volunteer too, their profile."""
    now = timezone.now()
    done: Counter[str] = Counter()
    with transaction.atomic():
        done.update(requests_anonymise(MatchRequest.objects.filter(resident=resident), now=now))
        if resident.user_id is not None:
            for volunteer in Volunteer.objects.filter(user_id=resident.user_id, anonymised_at__isnull=True):
                done.update(volunteer_anonymise(volunteer, now=now))
    return dict(done)


def _expired_requests(now: datetime) -> QuerySet[MatchRequest]:
    cutoff = now - policy_value(MATCH_RETENTION)
    current = Pair.objects.filter(request=OuterRef("pk"), stage__in=Pair.CURRENT)
    return MatchRequest.objects.filter(
        status=MatchRequest.Status.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True
    ).exclude(Exists(current))


def matches_expire(now: datetime, dry_run: bool) -> int:
    """Anonymise requests closed longer ago than the retention period (with their pairs, check-ins, visits)."""
    expired = _expired_requests(now)
    count = expired.count()
    if not dry_run and count:
        requests_anonymise(expired, now=now)
    return count


def _expired_volunteers(now: datetime) -> QuerySet[Volunteer]:
    cutoff = now - policy_value(VOLUNTEER_RETENTION)
    current_intake = Intake.objects.filter(volunteer=OuterRef("pk"), stage__in=Intake.CURRENT)
    recent_pair = Pair.objects.filter(volunteer=OuterRef("pk")).filter(
        Q(stage__in=Pair.CURRENT) | Q(ended_on__gte=cutoff.date()) | Q(asked_at__gte=cutoff)
    )
    return (
        Volunteer.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
        .exclude(Exists(current_intake))
        .exclude(Exists(recent_pair))
        .annotate(last_change=Max("intakes__stage_changed_at"))
        .filter(Q(last_change__isnull=True) | Q(last_change__lt=cutoff))
    )


def volunteers_expire(now: datetime, dry_run: bool) -> int:
    """Anonymise volunteers who stopped everywhere longer ago than the retention period."""
    expired = list(_expired_volunteers(now))
    if not dry_run:
        for volunteer in expired:
            volunteer_anonymise(volunteer, now=now)
    return len(expired)

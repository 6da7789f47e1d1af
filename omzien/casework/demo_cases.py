# SPDX-License-Identifier: EUPL-1.2
"""A year of casework history for the demo city, made by the services with explicit times.

The generating model (docs/casework.md, "The demo's year"): cases opened evenly over the past eighteen
months, a share of each team's clients; an intake DJG-11 from a loneliness profile (social, emotional,
both); the advice's proposals decide the routes; each route's organisation accepts with a route-specific
probability and starts after a route-specific lag — or, for scarce routes, after a long wait on a waiting
list, and for one case in six not within the time shown; follow-ups at 3, 6 and 12 months after the
first referral while the resident waits and after the start once a route runs, answered with a falling
response rate; the follow-up score is the intake score plus the route's effect (growing to its full size
at 12 months) plus noise; residents still waiting improve a little (regression to the mean). The outcome
figures of the reports room are computed from this; nothing in it is a real finding.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from omzien.accounts.models import Organisation
from omzien.accounts.roles import Role
from omzien.audit import events
from omzien.casework import services
from omzien.casework.models import Case, FollowUp, Referral, ReferralStatus, Route
from omzien.casework.services import CaseError, IntakeData, TieData
from omzien.residents.models import ConsentEvent, ConsentPurpose, ResidentLink
from omzien.residents.services import consent_record

# Expected change of the DJG-11 total 12 months after the route started (negative: less lonely), and
# the share of it on the social subscale. Waiting residents: regression to the mean only.
EFFECT = {
    "day_activity": (-1.4, 0.7), "visiting_service": (-1.6, 0.6), "buddy": (-2.0, 0.5), "eet_mee": (-1.1, 0.7),
    "volunteering": (-1.5, 0.8), "network_coach": (-2.2, 0.8), "conversation_partner": (-1.3, 0.3),
    "phone_line": (-0.6, 0.2), "gp_poh": (-1.0, 0.2), "mantelzorg_support": (-0.9, 0.5),
    "buurtteam_support": (-1.0, 0.5), "directory_service": (-0.8, 0.6), "other_organisation": (-0.6, 0.5),
}  # fmt: skip
WAITING_EFFECT = (-0.4, 0.5)
GROWTH = {3: 0.5, 6: 0.8, 12: 1.0}
NOISE_SD = 1.2
# Probability that the organisation accepts, the days from acceptance to the start (low, high), and the
# share that waits long for a volunteer, host or place first (a waiting list: LONG_WAIT days).
ACCEPT = {
    "visiting_service": (0.8, 10, 50, 0.45), "buddy": (0.7, 14, 60, 0.5), "eet_mee": (0.75, 7, 35, 0.3),
    "network_coach": (0.85, 5, 20, 0.2), "volunteering": (0.7, 7, 28, 0.1), "conversation_partner": (0.75, 7, 30, 0.35),
    "phone_line": (0.95, 0, 3, 0.0), "gp_poh": (0.9, 3, 21, 0.05), "mantelzorg_support": (0.85, 5, 20, 0.1),
    "directory_service": (0.8, 3, 20, 0.1), "other_organisation": (0.7, 5, 30, 0.2), "day_activity": (1.0, 1, 10, 0.15),
}  # fmt: skip
LONG_WAIT = (90, 420)
# One case in WAIT_EVERY waits for its route throughout (no volunteer, host or place yet): the waiting
# residents the outcome figures compare with, in a small demo city too.
WAIT_EVERY = 6
# How far back the first case opens: the oldest routes have their 12-month follow-up inside the time shown.
HISTORY_DAYS = 540
RESPONSE = {3: 0.85, 6: 0.75, 12: 0.65}
WAITING_RESPONSE = {3: 0.7, 6: 0.6, 12: 0.5}
OUTSIDE = {"phone_line": "De Luisterlijn", "gp_poh": "Huisartsenpraktijk Overvecht", "mantelzorg_support": "Steunpunt Mantelzorg",
           "volunteering": "Vrijwilligerscentrale Utrecht", "conversation_partner": "Humanitas"}  # fmt: skip
PERSON_ORGANISATIONS = {"visiting_service": "Humanitas", "buddy": "Handje Helpen", "eet_mee": "Eet Mee",
                        "network_coach": "U Centraal"}  # fmt: skip
GOALS = ("Weer iemand hebben om mee te praten.", "Eén keer per week de deur uit.", "Nieuwe mensen leren kennen in de buurt.",
         "Minder piekeren, 's avonds iemand kunnen bellen.", "Iets betekenen voor een ander.")  # fmt: skip
INTERESTS = ("tuinieren", "koken", "wandelen", "kaarten", "muziek", "handwerken", "geschiedenis", "fietsen")
PEOPLE = (("dochter", "family"), ("zoon", "family"), ("buurvrouw", "neighbour"), ("vriendin van vroeger", "friend"),
          ("kerkgenoot", "acquaintance"), ("thuiszorg", "professional"), ("broer", "family"))  # fmt: skip
SOCIAL_ITEMS = (1, 4, 7, 8, 11)
EMOTIONAL_ITEMS = (2, 3, 5, 6, 9, 10)


def djg11_answers(social: int, emotional: int) -> list[int]:
    """DJG-11 answers (yes 1 / no -1) that score exactly ``social`` (0-5) and ``emotional`` (0-6)."""
    answers = {}
    for rank, number in enumerate(SOCIAL_ITEMS):
        answers[number] = -1 if rank < social else 1  # positively worded: "no" counts
    for rank, number in enumerate(EMOTIONAL_ITEMS):
        answers[number] = 1 if rank < emotional else -1  # negatively worded: "yes" counts
    return [answers[number] for number in range(1, 12)]


def _clip(value: float, high: int) -> int:
    return max(0, min(high, round(value)))


def _actor(user: Any) -> events.Actor:
    return events.actor_for_user(user, channel="demo")


class _Year:
    """The demo year's generator: one instance per seed, so every run makes the same history."""

    def __init__(self, ctx: Any) -> None:
        self.rng, self.now = ctx.rng, ctx.now
        self.organisations = {o.name: o for o in Organisation.objects.filter(name__in={*OUTSIDE.values(), *PERSON_ORGANISATIONS.values()})}
        self.route_kinds = dict(Route.objects.values_list("code", "kind"))
        from omzien.activities.models import Activity

        self.activities = list(Activity.objects.filter(is_active=True).select_related("organisation").order_by("pk")[:60])
        self.day_activity_left = 30  # registrations take real places: a few, not hundreds
        self.statistics = set(ConsentEvent.objects.filter(purpose=ConsentPurpose.STATISTICS, given=True)
                              .values_list("resident_id", flat=True))  # fmt: skip
        # The first waiting residents whose 3-month follow-up comes due answer it, so that every demo city,
        # however small, holds follow-ups of residents still waiting.
        self.sure_waiting_answers = 2
        self.cases_made = 0

    def run(self, team: Organisation, members: list[Any], residents: list[Any]) -> int:
        made = 0
        for index, resident in enumerate(residents):
            professional = members[index % len(members)]
            # Eighteen months back, so the oldest routes have their 12-month follow-up inside the time shown.
            opened = self.now - timedelta(days=HISTORY_DAYS * (index + 0.5) / len(residents), hours=self.rng.randrange(0, 8))
            try:
                with services.case_steps_batched():  # one summary refresh per case, its history in one insert
                    self.case(team, professional, resident, opened, waits=self.cases_made % WAIT_EVERY == WAIT_EVERY // 2)
            except CaseError:
                continue
            made += 1
            self.cases_made += 1
        return made

    def case(self, team: Organisation, professional: Any, resident: Any, opened: datetime, *, waits: bool = False) -> None:
        from omzien.wellbeing.services import measurement_record

        rng, now = self.rng, self.now
        case = services.case_open(resident=resident, team=team, acting_user=professional, at=opened)
        intake_at = opened + timedelta(days=rng.randrange(3, 12))
        if intake_at > now - timedelta(hours=2):
            return  # an intake still due
        profile = rng.random()
        social = rng.randint(3, 5) if profile < 0.65 else rng.randint(0, 2)
        emotional = rng.randint(3, 6) if profile > 0.45 else rng.randint(0, 2)
        measurement = measurement_record(
            actor=_actor(professional), acting_user=professional, resident=resident, instrument_code="djg11",
            answers=djg11_answers(social, emotional), context="intake", mode="conversation", at=intake_at,
        )  # fmt: skip
        if resident.pk not in self.statistics and rng.random() < 0.85:
            # Asked at intake: most residents agree that their case counts, anonymously, in the figures.
            consent_record(actor=_actor(professional), acting_user=professional, resident=resident,
                           purpose=ConsentPurpose.STATISTICS, given=True, method="verbal")  # fmt: skip
        barriers = [code for code, share in (("mobility", 0.3), ("language", 0.12), ("digital", 0.25), ("money", 0.2),
                                             ("shame", 0.15)) if rng.random() < share]  # fmt: skip
        ties = [TieData(name, relation, rng.choice(("daily", "weekly", "monthly", "rarely")), rng.choice(("more", "same", "same", "less")))
                for name, relation in rng.sample(PEOPLE, rng.randint(1, 4))]  # fmt: skip
        services.intake_record(
            case=case, measurement=measurement, acting_user=professional, at=intake_at, ties=ties,
            data=IntakeData(goals=rng.choice(GOALS), interests=", ".join(rng.sample(INTERESTS, 2)), barriers=barriers,
                            is_carer=rng.random() < 0.12, other_problems=rng.random() < 0.15),
        )  # fmt: skip
        advice_at = intake_at + timedelta(days=rng.randrange(0, 4), hours=1)
        if advice_at > now - timedelta(hours=1):
            return
        proposal = services.route_advice_propose(case)
        proposals = proposal[2]
        proposed = [p.route for p in proposals if p.route != "day_activity" or (self.day_activity_left > 0 and self.activities)]
        if waits:  # the team's own support starts at once: a resident who waits is referred elsewhere
            proposed = [route for route in proposed if self.route_kinds.get(route) != Route.Kind.TEAM] or ["visiting_service"]
        chosen = [proposed[0], *rng.sample(proposed[1:], 1 if len(proposed) > 1 and rng.random() < 0.4 else 0)] if proposed else ["buurtteam_support"]
        advice = services.route_advice_decide(case=case, chosen=chosen, acting_user=professional, at=advice_at,
                                              note="" if proposals and chosen[0] in {p.route for p in proposals} else "Eerst zelf ondersteunen.",
                                              proposal=proposal)  # fmt: skip
        started: list[tuple[str, datetime]] = []
        first_sent = advice_at + timedelta(hours=1)
        for route in chosen:
            referral = self.refer(case, route, professional, advice, first_sent, waits=waits)
            if referral is not None and referral.started_at is not None:
                started.append((route, referral.started_at))
        self.follow_up(case, professional, social, emotional, started, first_sent)

    def refer(self, case: Case, route: str, professional: Any, advice: Any, at: datetime, *, waits: bool = False) -> Referral | None:
        rng, now = self.rng, self.now
        kind = self.route_kinds.get(route)
        kwargs: dict[str, Any] = {}
        if kind == Route.Kind.DAY_ACTIVITY:
            self.day_activity_left -= 1
            kwargs["activity"] = rng.choice(self.activities)
        elif kind == Route.Kind.PERSON:
            kwargs["target_organisation"] = self.organisations.get(PERSON_ORGANISATIONS.get(route, "Humanitas"))
        elif kind == Route.Kind.ORGANISATION:
            organisation = self.organisations.get(OUTSIDE.get(route, ""))
            kwargs["target_organisation"] = organisation
            kwargs["target_name"] = "" if organisation else "Schuldhulpmaatje Utrecht"
        referral = services.referral_send(case=case, route=route, acting_user=professional, consent_method="verbal",
                                          advice=advice, at=at, **kwargs)  # fmt: skip
        if referral.status == ReferralStatus.STARTED:
            return referral
        accept, low, high, long_share = ACCEPT.get(route, (0.75, 7, 30, 0.2))
        answered = at + timedelta(days=rng.randrange(2, 9))
        if answered > now or (now - at < timedelta(days=30) and rng.random() < 0.6):
            return referral  # no answer yet (stuck once the working days have passed)
        if referral.status == ReferralStatus.SENT:
            if not waits and rng.random() > accept:
                services.referral_status_set(referral=referral, status=ReferralStatus.DECLINED, at=answered,
                                             reason=rng.choice(("Geen vrijwilliger beschikbaar in deze wijk.",
                                                                "Bewoner zag er bij kennismaking van af.")))  # fmt: skip
                return None
            services.referral_status_set(referral=referral, status=ReferralStatus.ACCEPTED, at=answered)
        if waits:
            return referral  # accepted, on the organisation's waiting list: no start within the time shown
        lag = rng.randrange(*LONG_WAIT) if rng.random() < long_share else rng.randrange(low, high + 1)
        start = (referral.answered_at or answered) + timedelta(days=lag)
        if start > now:
            return referral
        referral = services.referral_status_set(referral=referral, status=ReferralStatus.STARTED, at=start)
        if rng.random() < 0.2:
            ended = start + timedelta(days=rng.randrange(60, 270))
            if ended < now:
                services.referral_status_set(referral=referral, status=ReferralStatus.ENDED, at=ended,
                                             reason=rng.choice(("Vrijwilliger gestopt.", "Bewoner verhuisd.", "Doel bereikt.")))  # fmt: skip
        return referral

    def follow_up(self, case: Case, professional: Any, social: int, emotional: int, started: list[tuple[str, datetime]],
                  sent: datetime) -> None:  # fmt: skip
        """Follow-ups as ``omzien tick`` makes them: after the first referral while the resident waits, then,
        once a route has started, after its start. Each moment is answered (or missed) at its time."""
        now = self.now
        first_start = min((at for _route, at in started), default=None)
        if first_start is not None:
            # The moments that came due while the resident still waited, measured as a waiting resident's.
            services.follow_ups_create(now=first_start - timedelta(minutes=1), case=case)
            self.measure(case, professional, social, emotional, WAITING_EFFECT, WAITING_RESPONSE, until=first_start)
            effects = sorted((EFFECT.get(route, (-0.6, 0.5)) for route, _at in started), key=lambda e: e[0])
            effect = (effects[0][0] + 0.25 * sum(e[0] for e in effects[1:]), effects[0][1])
            services.follow_ups_create(now=now, case=case)
            self.measure(case, professional, social, emotional, effect, RESPONSE, until=now)
        else:
            services.follow_ups_create(now=now, case=case)
            self.measure(case, professional, social, emotional, WAITING_EFFECT, WAITING_RESPONSE, until=now)
        self.close(case, professional, first_start or sent)

    def measure(self, case: Case, professional: Any, social: int, emotional: int, effect: tuple[float, float],
                rates: dict[int, float], *, until: datetime) -> None:  # fmt: skip
        """Answer (or miss) the case's open follow-ups that come before ``until``; a waiting resident's moment
        that falls after their route started is marked not measured (the route's schedule takes over)."""
        from omzien.wellbeing.services import measurement_record

        rng, now = self.rng, self.now
        total, share = effect
        for item in FollowUp.objects.filter(case=case, status=FollowUp.Status.OPEN).order_by("months"):
            answered_at = datetime.combine(item.due_on, datetime.min.time(), tzinfo=until.tzinfo) + timedelta(
                days=rng.randrange(0, 14), hours=10)
            if answered_at > until - timedelta(hours=1):
                if until < now - timedelta(hours=1):
                    services.follow_up_missed(follow_up=item, acting_user=professional, at=until,
                                              reason="Route begonnen: de metingen volgen nu de route.")  # fmt: skip
                continue  # still due: in the worklist
            sure = item.basis == FollowUp.Basis.WAITING and self.sure_waiting_answers > 0
            if not sure and rng.random() > rates.get(item.months, 0.6):
                services.follow_up_missed(follow_up=item, acting_user=professional, at=answered_at,
                                          reason="Niet bereikt na drie pogingen.")  # fmt: skip
                continue
            if item.basis == FollowUp.Basis.WAITING:
                self.sure_waiting_answers -= 1
            change = total * GROWTH.get(item.months, 1.0) + rng.gauss(0, NOISE_SD)
            new_social = _clip(social + change * share, 5)
            new_emotional = _clip(emotional + change * (1 - share), 6)
            answers = djg11_answers(new_social, new_emotional)
            if rng.random() < 0.4:  # the resident answers through the personal link
                token = services.follow_up_link_create(follow_up=item, acting_user=professional, at=answered_at - timedelta(days=2))
                services.follow_up_answer(token=token, answers=answers, now=answered_at)
                continue
            measurement = measurement_record(
                actor=_actor(professional), acting_user=professional, resident=case.resident, instrument_code="djg11",
                answers=answers, context="follow_up", mode=rng.choice(("conversation", "phone")), at=answered_at,
            )  # fmt: skip
            services.follow_up_record(follow_up=item, measurement=measurement, acting_user=professional, at=answered_at)

    def close(self, case: Case, professional: Any, anchor: datetime) -> None:
        rng, now = self.rng, self.now
        done = set(case.follow_ups.filter(status=FollowUp.Status.DONE).values_list("months", flat=True))
        if 12 in done and rng.random() < 0.7:
            services.case_close(case=case, reason=rng.choice(("goals_met", "route_running")), acting_user=professional,
                                at=min(anchor + timedelta(days=380), now - timedelta(hours=1)))  # fmt: skip
        elif rng.random() < 0.06:
            services.case_close(case=case, reason=rng.choice(("declined", "unreachable", "moved")), acting_user=professional,
                                at=min(anchor + timedelta(days=rng.randrange(20, 120)), now - timedelta(hours=1)))  # fmt: skip
        elif rng.random() < 0.05:
            services.wmo_melding_record(case=case, on=timezone.localdate(now) - timedelta(days=rng.randrange(1, 60)),
                                        acting_user=professional, at=now - timedelta(hours=1))  # fmt: skip


# The share of each team's clients (residents with a case link there and no case yet) that get a case in
# the demo's history: the demo professional's team holds most, so its lists are full.
OWN_TEAM_SHARE = 0.55
OTHER_TEAM_SHARE = 0.2


def casework_year_seed(ctx: Any, *, own_share: float = OWN_TEAM_SHARE, other_share: float = OTHER_TEAM_SHARE) -> int:
    """Eighteen months of cases for the demo: a share of every team's clients, most at the demo
    professional's team. Returns how many cases were made."""
    own = ctx.users[Role.NEIGHBOURHOOD_PROFESSIONAL.value]
    year = _Year(ctx)
    made = 0
    teams = list(Organisation.objects.filter(kind=Organisation.Kind.NEIGHBOURHOOD_TEAM).order_by("name"))
    with_case = set(Case.objects.values_list("resident_id", flat=True))
    for team in teams:
        members = list(team.members.filter(groups__name=Role.NEIGHBOURHOOD_PROFESSIONAL.value).order_by("pk"))
        if not members:
            continue
        links = list(
            ResidentLink.objects.filter(kind=ResidentLink.Kind.CASE, organisation=team, ended_at__isnull=True)
            .exclude(resident_id__in=with_case).select_related("resident").order_by("pk")
        )  # fmt: skip
        # The demo users' own residents (the first ones) keep a fresh case each: skip a few.
        skip = 8 if own.organisation_id == team.pk else 0
        share = own_share if own.organisation_id == team.pk else other_share
        count = max(1, round((len(links) - skip) * share)) if len(links) > skip else 0
        made += year.run(team, members, [link.resident for link in links[skip : skip + count]])
    return made

# SPDX-License-Identifier: EUPL-1.2
"""Route advice as a pure function: the rule table and the intake in, proposed routes with reasons out.

No Django here (a pure core): ``services.route_advice_propose`` reads the published rule table and the
measurement, and stores what comes out with the table's version. The professional decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

SEVERE_CATEGORIES = frozenset({"severe", "very_severe"})
LONELY_CATEGORIES = frozenset({"moderate", "severe", "very_severe", "lonely"})

# Barriers that change how a route is arranged: each route kind gets a caveat to keep in mind (not a
# veto — the professional weighs it). Codes as in ``models.Barrier``; texts are English msgids.
CAVEATS: dict[str, dict[str, str]] = {
    "mobility": {
        "day_activity": "Mobility: choose an activity within walking distance or arrange transport.",
        "person": "Mobility: the volunteer comes to the resident's home.",
    },
    "language": {
        "day_activity": "Language: look for an activity in the resident's language.",
        "person": "Language: ask for a volunteer who speaks the resident's language.",
        "organisation": "Language: check that the organisation can help in the resident's language.",
    },
    "digital": {
        "organisation": "Digital skills: arrange contact by phone or in person, not online only.",
        "directory": "Digital skills: arrange contact by phone or in person, not online only.",
    },
    "money": {
        "day_activity": "Money: choose a free activity or use the U-pas.",
        "directory": "Money: check the costs; the U-pas may help.",
    },
    "shame": {
        "day_activity": "Shame: a first visit together with a volunteer or the professional may help.",
        "person": "Shame: start with one person before a group.",
    },
}


@dataclass(frozen=True)
class AdviceInput:
    """What the rules look at: the subscale flags and category of the latest measurement, and the intake."""

    social_lonely: bool | None
    emotional_lonely: bool | None
    category: str
    is_carer: bool = False
    other_problems: bool = False
    barriers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    route: str
    route_kind: str
    when: str
    reason: str
    order: int = 50


@dataclass
class Proposal:
    route: str
    reasons: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)
    order: int = 50


def rule_applies(when: str, facts: AdviceInput) -> bool:
    """Whether a rule's condition holds for these facts."""
    severe = facts.category in SEVERE_CATEGORIES
    if when == "social":
        return bool(facts.social_lonely)
    if when == "emotional":
        return bool(facts.emotional_lonely)
    if when == "carer":
        return facts.is_carer
    if when == "severe_with_problems":
        return severe and facts.other_problems
    if when == "lonely":
        return facts.category in LONELY_CATEGORIES
    return False


def advise(facts: AdviceInput, rules: Iterable[Rule]) -> list[Proposal]:
    """Return the routes the rules propose for these facts, each with every reason that led to it and the
    caveats the resident's barriers bring, in the rules' order (a route proposed twice is listed once)."""
    found: dict[str, Proposal] = {}
    for rule in sorted(rules, key=lambda rule: rule.order):
        if not rule_applies(rule.when, facts):
            continue
        proposal = found.setdefault(rule.route, Proposal(route=rule.route, order=rule.order))
        if rule.reason not in proposal.reasons:
            proposal.reasons.append(rule.reason)
        for barrier in sorted(facts.barriers):
            caveat = CAVEATS.get(barrier, {}).get(rule.route_kind)
            if caveat and caveat not in proposal.caveats:
                proposal.caveats.append(caveat)
    return list(found.values())

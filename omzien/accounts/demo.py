# SPDX-License-Identifier: EUPL-1.2
"""The demo users, one per role, that the home page logs in with one click (only in demo mode)."""

from omzien.accounts.roles import Role

DEMO_USERNAMES: dict[Role, str] = {
    Role.RESIDENT: "demo-bewoner",
    Role.VOLUNTEER: "demo-vrijwilliger",
    Role.MEAL_HOST: "demo-gastgezin",
    Role.NEIGHBOURHOOD_PROFESSIONAL: "demo-buurtteam",
    Role.COORDINATOR: "demo-coordinator",
    Role.ACTIVITY_PROVIDER: "demo-aanbieder",
    Role.SOCIAL_BROKER: "demo-makelaar",
    Role.POLICY_OFFICER: "demo-beleid",
    Role.ADMINISTRATOR: "demo-beheer",
}

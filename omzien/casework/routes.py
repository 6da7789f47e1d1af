# SPDX-License-Identifier: EUPL-1.2
"""The default routes and the first version of the route rule table (loaded by a migration).

Plain data, so the migration and the tests read the same table. Labels and reasons are English msgids
(translated on display); an administrator changes them in the admin by publishing a new version.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop as noop

# code, label, kind, order
DEFAULT_ROUTES: tuple[tuple[str, str, str, int], ...] = (
    ("day_activity", noop("Day activity nearby"), "day_activity", 10),
    ("visiting_service", noop("Visiting service"), "person", 20),
    ("buddy", noop("Buddy (maatje)"), "person", 30),
    ("eet_mee", noop("Eet Mee host"), "person", 40),
    ("volunteering", noop("Volunteering"), "organisation", 50),
    ("network_coach", noop("Network coach"), "person", 60),
    ("conversation_partner", noop("Conversation partner"), "organisation", 70),
    ("phone_line", noop("Phone line"), "organisation", 80),
    ("gp_poh", noop("GP / practice nurse mental health"), "organisation", 90),
    ("mantelzorg_support", noop("Informal carer support"), "organisation", 100),
    ("buurtteam_support", noop("Neighbourhood team support"), "team", 110),
    ("directory_service", noop("Service from the directory"), "directory", 120),
    ("other_organisation", noop("Another organisation"), "organisation", 130),
)

# route, when, reason, order — version 1 of the rule table (issue #19).
DEFAULT_RULES: tuple[tuple[str, str, str, int], ...] = (
    ("day_activity", "social", noop("High social loneliness: meeting people nearby widens the network."), 10),
    ("visiting_service", "social", noop("High social loneliness: a visitor brings regular contact at home."), 20),
    ("buddy", "social", noop("High social loneliness: a buddy goes out together with the resident."), 30),
    ("eet_mee", "social", noop("High social loneliness: a shared meal with a host in the neighbourhood."), 40),
    ("volunteering", "social", noop("High social loneliness: volunteering gives a role and new contacts."), 50),
    ("network_coach", "social", noop("High social loneliness: a network coach helps restore and widen contacts."), 60),
    ("conversation_partner", "emotional", noop("High emotional loneliness: a conversation partner to talk in depth."), 70),
    ("phone_line", "emotional", noop("High emotional loneliness: someone to call, day and night."), 80),
    ("gp_poh", "emotional", noop("High emotional loneliness: the GP or practice nurse mental health can help with low mood."), 90),
    ("buddy", "emotional", noop("High emotional loneliness: a steady buddy for a lasting, close contact."), 35),
    ("mantelzorg_support", "carer", noop("The resident is an informal carer: support and respite for carers."), 100),
    ("buurtteam_support", "severe_with_problems", noop("Severe loneliness with other problems: the neighbourhood team supports first."), 5),
)  # fmt: skip

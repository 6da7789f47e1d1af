# SPDX-License-Identifier: EUPL-1.2
"""Periodic work of the volunteer centre, run by ``omzien tick``."""

from omzien.lib.tick import periodic_job
from omzien.volunteers import services


@periodic_job("remind_vogs_due", "Remind volunteers once when their VOG nears its organisation's maximum age.")
def remind_vogs_due() -> int:
    return services.vog_reminders_send()


@periodic_job("create_pair_check_ins", "Create the check-ins that have come due for active pairs (6 weeks, 3, 6, 12 months).")
def create_pair_check_ins() -> int:
    return services.check_ins_create()

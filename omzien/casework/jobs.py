# SPDX-License-Identifier: EUPL-1.2
"""Periodic work of the casework room, run by ``omzien tick``."""

from omzien.casework import services
from omzien.lib.tick import periodic_job


@periodic_job("create_follow_ups", "Create the follow-up measurements that come due (3, 6, 12 months) and remind.")
def create_follow_ups() -> int:
    return services.follow_ups_create()


@periodic_job("sync_waiting_referrals", "Mark day-activity referrals accepted once a waiting-list place was given.")
def sync_waiting_referrals() -> int:
    return services.referrals_sync_waiting()

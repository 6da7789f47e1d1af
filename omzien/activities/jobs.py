# SPDX-License-Identifier: EUPL-1.2
"""Periodic work of the activities room, run by ``omzien tick``."""

from omzien.activities import services
from omzien.lib.tick import periodic_job


@periodic_job("expire_activity_offers", "Expire offered places that were not accepted in time; pass them on.")
def expire_activity_offers() -> int:
    return services.offers_expire()


@periodic_job("remind_stale_activities", "Remind providers once about activities not confirmed for months.")
def remind_stale_activities() -> int:
    return services.stale_reminders_send()

# SPDX-License-Identifier: EUPL-1.2
"""What the volunteer centre does when casework sends a referral (a request for a person, for the person
routes: visits, buddy, Eet Mee, network coach, respite) and when the team declines or ends it (the request
closes). Connected in ``VolunteersConfig.ready``; casework defines the signals and never imports this room."""

from __future__ import annotations

from typing import Any


def open_request_for_referral(sender: Any, referral: Any, **kwargs: Any) -> None:
    from omzien.volunteers.services import request_from_referral

    request_from_referral(referral)


def close_request_for_referral(sender: Any, referral: Any, status: str, reason: str = "", **kwargs: Any) -> None:
    from omzien.volunteers.services import request_close_for_referral

    request_close_for_referral(referral, status=str(status), reason=reason)

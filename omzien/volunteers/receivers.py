# SPDX-License-Identifier: EUPL-1.2
"""What the volunteer centre does when casework sends a referral: a request for a person, for the person
routes (visits, buddy, Eet Mee, network coach, respite). Connected in ``VolunteersConfig.ready``;
casework defines the signal and never imports this room."""

from __future__ import annotations

from typing import Any


def open_request_for_referral(sender: Any, referral: Any, **kwargs: Any) -> None:
    from omzien.volunteers.services import request_from_referral

    request_from_referral(referral)

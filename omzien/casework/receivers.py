# SPDX-License-Identifier: EUPL-1.2
"""Other rooms' events that casework listens to (connected in ``apps.CaseworkConfig.ready``)."""

from __future__ import annotations

from typing import Any


def contact_request_saved(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """A new self-test contact request becomes a signal in its team's queue (fixtures excepted)."""
    if created and not raw:
        from omzien.casework.services import signal_from_contact_request

        signal_from_contact_request(instance)

# SPDX-License-Identifier: EUPL-1.2
"""The current request and its id, reachable from logging and audit code without passing them around.

The request itself is for code that Django calls without one — signal handlers — so that an entry
in the access log can still name who did it.
"""

from contextvars import ContextVar
from typing import Any

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
current_request: ContextVar[Any | None] = ContextVar("current_request", default=None)

# SPDX-License-Identifier: EUPL-1.2
"""The current request's id, reachable from logging and audit code without passing it around."""

from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")

# SPDX-License-Identifier: EUPL-1.2
"""Logging helpers: every line carries the request id, never personal data."""

import logging

from omzien.lib.request_context import current_request_id


class RequestIdFilter(logging.Filter):
    """Add ``request_id`` to each record and escape line breaks (log injection, ASVS 16.4.1)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        if isinstance(record.msg, str) and ("\n" in record.msg or "\r" in record.msg):
            record.msg = record.msg.replace("\r", "\\r").replace("\n", "\\n")
        return True

# SPDX-License-Identifier: EUPL-1.2
"""The e-mail task moved to ``omzien.lib.mail`` (the ground floor sends mail too); this name stays for
tasks queued before the move and for rooms that still import it here."""

from omzien.lib.mail import send_email

__all__ = ["send_email"]

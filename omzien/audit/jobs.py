# SPDX-License-Identifier: EUPL-1.2
"""The audit room's periodic job (``omzien tick``): seal the access log's chains."""

from __future__ import annotations

from omzien.audit.integrity import chains_seal
from omzien.lib.tick import periodic_job


@periodic_job(
    "audit_seal",
    "Seal the access log's chains: one entry in chain 1 naming every chain's last entry, so that "
    "`omzien audit verify` notices a chain whose entries were removed, head and all.",
)
def audit_seal() -> int:
    return chains_seal()

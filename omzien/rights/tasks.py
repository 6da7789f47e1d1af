# SPDX-License-Identifier: EUPL-1.2
"""Background work of the rights room (Django's tasks API; the db_worker runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def make_export_pdf(*, export_id: int) -> str:
    """Make one resident's readable export; the argument is an id, never the data itself."""
    from omzien.rights.services import export_pdf_make

    made = export_pdf_make(export_id)
    return made.status if made is not None else "gone"

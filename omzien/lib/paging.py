# SPDX-License-Identifier: EUPL-1.2
"""The one paging convention of Omzien's own pages: ``?pagina=N`` (issue #14).

Every list page reads the page number here and links the pages with ``includes/pagination.html``
(or the same parameter in its own links). The HSDS API keeps the specification's ``page`` and
``per_page``: it speaks a standard, not our pages' Dutch.
"""

from __future__ import annotations

from typing import Any

PAGE_PARAM = "pagina"


def page_number(request: Any) -> int:
    """Return the page asked for (1 for none, nonsense or less than 1); the paginator caps the top."""
    try:
        return max(int(request.GET.get(PAGE_PARAM, "1")), 1)
    except ValueError:
        return 1


def query_without_page(request: Any) -> str:
    """Return the request's query string without the page number, for the links to other pages."""
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    return str(query.urlencode())

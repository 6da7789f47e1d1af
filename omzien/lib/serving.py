# SPDX-License-Identifier: EUPL-1.2
"""What a server process does once Omzien is loaded, before its first request: ``omzien/conf/wsgi.py`` calls it,
and the page benchmark too, so that it measures what a server does."""

from __future__ import annotations

import gc

# Python collects its youngest generation after 700 new container objects by default. A staff page makes
# thousands (the city-wide allocation round about 11,000), so each request ran some 16 young collections and
# about every seventh a full one over the 190,000 objects a warm process holds: 80–90 ms of CPU landing on
# whichever page was being served (the allocation round's p95 180–199 ms against its 150 ms target, with a
# median of 60 ms). At 10,000 no full collection ran in 100 requests of that page, its p95 was 62 ms and the
# process's CPU a fifth less (3 December 2026, benchmarks/bench_pages.py). The older generations keep their
# defaults.
YOUNG_GENERATION_THRESHOLD = 10_000


def settle_for_serving() -> None:
    """Move what start-up loaded out of the collector's reach and let the youngest generation grow."""
    # Everything loaded at start-up lives as long as the process: frozen, a collection during a request does not
    # walk it (it cut the search's slowest responses roughly in half, benchmarks/bench_directory.py).
    gc.collect()
    gc.freeze()
    _young, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, older, oldest)

# SPDX-License-Identifier: EUPL-1.2
"""A server process, once loaded, freezes what start-up made and lets the youngest generation grow (a full
collection every few requests put 80–90 ms on the allocation round; omzien/lib/serving.py)."""

from __future__ import annotations

import gc

from omzien.lib.serving import YOUNG_GENERATION_THRESHOLD, settle_for_serving


def test_a_settled_server_freezes_its_start_up_and_collects_young_objects_less_often() -> None:
    before = gc.get_threshold()
    frozen_before = gc.get_freeze_count()
    try:
        settle_for_serving()
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, before[1], before[2])
        assert gc.get_freeze_count() > frozen_before
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_the_wsgi_entry_point_settles_the_process() -> None:
    # Read, not imported: importing it would start Django with the production settings.
    from pathlib import Path

    import omzien.conf

    source = (Path(omzien.conf.__file__).parent / "wsgi.py").read_text(encoding="utf-8")
    assert "settle_for_serving()" in source.split("application = get_wsgi_application()", 1)[1]

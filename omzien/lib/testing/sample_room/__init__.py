# SPDX-License-Identifier: EUPL-1.2
"""A sample room, installed only by the tests that prove a room plugs in (``omzien/core/tests/test_rooms.py``).

It is what ``docs/adding-a-room.md`` describes: a folder and one ``INSTALLED_APPS`` line add a role,
an organisation kind, a permission, a menu entry with a live count, a start-page card, a page with
its URL-policy row, a resident-link kind with the fields its role sees, demo data and its part of
the test world — without a change to the ground floor.
"""

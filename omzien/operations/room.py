# SPDX-License-Identifier: EUPL-1.2
"""The operations room has no pages, roles or personal records of its own: only commands
(`omzien backup`, `omzien restore`) and the erasure journal (docs/deployment.md)."""

from __future__ import annotations

from omzien.lib.rooms import Room

ROOM = Room(label="operations")

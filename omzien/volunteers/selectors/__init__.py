# SPDX-License-Identifier: EUPL-1.2
"""Reads of the volunteer centre (``centre``) and of requests, proposals, pairs and their durability
(``pairs``). Other code (the reports room too) reads these names from ``omzien.volunteers.selectors``."""

from omzien.volunteers.selectors.centre import *  # noqa: F403 - the package's one public surface
from omzien.volunteers.selectors.pairs import *  # noqa: F403
from omzien.volunteers.selectors.rights import *  # noqa: F403
from omzien.volunteers.selectors.whatif import *  # noqa: F403

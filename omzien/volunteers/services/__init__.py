# SPDX-License-Identifier: EUPL-1.2
"""Writes of the volunteer centre: volunteers, intakes, VOGs, vacancies, trainings and carers
(``centre``); requests for a person, proposals and pairs with their life (``pairs``). Other code
calls these names from ``omzien.volunteers.services``."""

from omzien.volunteers.services.centre import *  # noqa: F403 - the package's one public surface
from omzien.volunteers.services.pairs import *  # noqa: F403
from omzien.volunteers.services.rights import *  # noqa: F403

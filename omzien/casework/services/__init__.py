# SPDX-License-Identifier: EUPL-1.2
"""Writes of casework: signals and their triage (``signals``); cases, intake, route advice, referrals and
follow-ups (``cases``). Other rooms call these names from ``omzien.casework.services``."""

from omzien.casework.services.cases import *  # noqa: F403 - the package's one public surface
from omzien.casework.services.signals import *  # noqa: F403
from omzien.casework.services.signals import PURPOSE, REPORTER_FIELDS, RESIDENT_FIELDS, TOKEN_PREFIX  # noqa: F401

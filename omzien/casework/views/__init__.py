# SPDX-License-Identifier: EUPL-1.2
"""Pages of casework: signals and triage (``signals``); cases, worklists, referrals, follow-ups (``cases``)."""

from omzien.casework.views.cases import *  # noqa: F403 - the URL map's one import
from omzien.casework.views.signals import *  # noqa: F403

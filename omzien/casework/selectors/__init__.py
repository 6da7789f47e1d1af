# SPDX-License-Identifier: EUPL-1.2
"""Reads of casework: the signal queue (``signals``); cases, worklists, client list, referrals and the
figures other rooms compute from (``cases``: ``routes``, ``outcome_records``, ``reach_counts``)."""

from omzien.casework.selectors.cases import *  # noqa: F403 - the package's one public surface
from omzien.casework.selectors.signals import *  # noqa: F403

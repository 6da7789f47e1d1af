# SPDX-License-Identifier: EUPL-1.2
"""Shared helpers that are not a domain room (as hc's ``hc/lib``)."""

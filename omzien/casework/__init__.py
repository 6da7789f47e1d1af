# SPDX-License-Identifier: EUPL-1.2
"""Casework, part 1: signals (zorgmeldingen) from every channel and one triage queue per buurtteam."""

# SPDX-License-Identifier: EUPL-1.2
"""Omzien: looking out for one another."""

__version__ = "0.1.0"

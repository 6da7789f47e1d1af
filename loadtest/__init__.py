# SPDX-License-Identifier: EUPL-1.2
"""Omzien's load test and its measurements (loadtest/README.md): not part of the test command."""

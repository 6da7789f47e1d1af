# SPDX-License-Identifier: EUPL-1.2
"""The URL walker over casework's pages: every URL as every role and as an anonymous visitor."""

from __future__ import annotations

from omzien.core.tests import test_url_policy


class CaseworkUrlPolicyTests(test_url_policy.UrlPolicyTests):
    walk_only = ("casework:", "admin:casework_")

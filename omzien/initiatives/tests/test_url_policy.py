# SPDX-License-Identifier: EUPL-1.2
"""Every page of the initiatives room that shows an applicant's or a key figure's details writes the access
log (the URL walker in core walks every room's URLs as every role and as an anonymous visitor)."""

from __future__ import annotations

from omzien.audit.models import AccessLogEntry
from omzien.conf.url_policy import rule_for
from omzien.core.tests import test_url_policy
from omzien.initiatives.demo import APPLICANT_MARKER
from omzien.lib.testing.world import login_verified


class InitiativesUrlPolicyTests(test_url_policy.WalkerWorld):
    walk_only = ("initiatives:", "admin:initiatives_")

    def test_pages_showing_an_applicant_or_key_figure_are_logged(self) -> None:
        broker = self.world.users[next(role for role in self.world.users if role.value == "social_broker")]
        login_verified(self.client, broker)
        shown = 0
        for name, _route in self.walked():
            rule = rule_for(name)
            assert rule is not None
            if rule.method != "get" or name.startswith("admin:"):
                continue
            before = AccessLogEntry.objects.count()
            _url, response = self._request(name)
            text = response.content.decode(errors="ignore") if response.status_code == 200 and not response.streaming else ""
            if APPLICANT_MARKER in text or "Karim Sleutelfiguur" in text:
                shown += 1
                with self.subTest(name=name):
                    self.assertTrue(rule.personal_data, f"{name} shows personal data: mark it")
                    self.assertGreater(AccessLogEntry.objects.count(), before, f"{name} shows personal data unlogged")
        # The list, the detail, the letter, the network and the key figure show them.
        self.assertGreaterEqual(shown, 4)

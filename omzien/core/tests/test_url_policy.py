# SPDX-License-Identifier: EUPL-1.2
"""The URL walker: every URL pattern is in the policy table and behaves as it says."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from django_tasks_db.models import DBTaskResult, get_date_max

from omzien.conf.url_policy import ANONYMOUS, PUBLIC, ROLES, rule_for
from omzien.geo.models import District, Municipality, Neighbourhood, Postcode


def named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str, str]]:
    """Yield (full name, route) for every named URL pattern, walking includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", str(entry.pattern)


class UrlPolicyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        municipality = Municipality.objects.create(code="GM0344", name="Utrecht")
        cls.district = District.objects.create(code="WK034401", name="West", municipality=municipality)
        cls.admin_user = get_user_model().objects.create_superuser(
            "beheerder", "beheer@example.org", "x-Long-pass-99"
        )
        neighbourhood = Neighbourhood.objects.create(
            code="BU03440111", name="Oog in Al", district=cls.district
        )
        postcode = Postcode.objects.create(code="3531AB", neighbourhood=neighbourhood)
        group = Group.objects.create(name="walker")
        task_result = DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="omzien.core.tasks.send_email",
            backend_name="default",
            run_after=get_date_max(),
        )
        # One real object of every model the admin site manages, so every change page is walked.
        cls.world = {
            District: cls.district,
            Municipality: municipality,
            Neighbourhood: neighbourhood,
            Postcode: postcode,
            Group: group,
            DBTaskResult: task_result,
            get_user_model(): cls.admin_user,
            "admin_user": cls.admin_user,
        }

    def test_every_url_pattern_has_a_policy_entry(self) -> None:
        missing = [name for name, _route in named_patterns() if rule_for(name) is None]
        self.assertEqual(missing, [], "add these URL names to omzien/conf/url_policy.py")

    def test_every_url_pattern_is_named(self) -> None:
        # An unnamed pattern could not be looked up in the policy table, so it is not allowed. The
        # admin site's own unnamed redirects sit behind its login and fall under 'admin:*'.
        def unnamed(resolver: URLResolver) -> Iterator[str]:
            for entry in resolver.url_patterns:
                if isinstance(entry, URLResolver):
                    if entry.namespace != "admin":
                        yield from unnamed(entry)
                elif not entry.name:
                    yield str(entry.pattern)

        self.assertEqual(list(unnamed(get_resolver())), [])

    def _url(self, name: str) -> str:
        rule = rule_for(name)
        assert rule is not None
        kwargs = rule.sample_kwargs(name, self.world) if rule.sample_kwargs else {}
        return reverse(name, kwargs=kwargs)

    def test_anonymous_visitors_get_public_pages_and_a_login_redirect_elsewhere(self) -> None:
        checked = 0
        for name, _route in named_patterns():
            rule = rule_for(name)
            assert rule is not None
            url = self._url(name)
            response = getattr(self.client, rule.method)(url, rule.data)
            with self.subTest(name=name, url=url):
                if PUBLIC in rule.allowed or ANONYMOUS in rule.allowed:
                    self.assertIn(response.status_code, rule.ok_status)
                else:
                    self.assertEqual(response.status_code, 302)
                    self.assertIn("login", response["Location"])
            checked += 1
        self.assertGreater(checked, 10)

    def test_each_role_reaches_what_the_policy_allows(self) -> None:
        users = {"administrator": self.admin_user}
        self.assertEqual(set(users), set(ROLES), "every role needs a persona in this test")
        for role, user in users.items():
            self.client.force_login(user)
            for name, _route in named_patterns():
                rule = rule_for(name)
                assert rule is not None
                if name == "admin:logout":
                    continue  # would end the session the rest of the walk needs
                url = self._url(name)
                response = getattr(self.client, rule.method)(url, rule.data)
                with self.subTest(role=role, name=name, url=url):
                    if PUBLIC in rule.allowed or role in rule.allowed:
                        self.assertIn(response.status_code, rule.ok_status)
                    else:
                        self.assertIn(response.status_code, (403, 404))

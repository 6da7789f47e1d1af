# SPDX-License-Identifier: EUPL-1.2
"""The URL walker: every URL pattern is in the policy table, and every role and anonymous get what it says."""

from __future__ import annotations

import os
from collections.abc import Iterator

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django_otp.plugins.otp_totp.models import TOTPDevice

from omzien.accounts.models import Organisation, RoleGrantRequest, User
from omzien.accounts.roles import Role, role_decls
from omzien.audit.models import AccessLogEntry
from omzien.conf.url_policy import ANONYMOUS, PUBLIC, rule_for
from omzien.geo.models import District, Municipality, Neighbourhood, Postcode
from omzien.lib.testing.world import build_world, login_verified
from omzien.policy.models import Policy

ADMIN_ACTIONS = ("_add", "_changelist", "_change", "_delete", "_history")


def named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str, str]]:
    """Yield (full name, route) for every named URL pattern, walking includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", str(entry.pattern)


def admin_model_permission(name: str, user: User) -> bool | None:
    """For an admin model URL, whether the user's permissions let it through (None: not a model URL)."""
    for model in admin.site._registry:
        stem = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for action in ADMIN_ACTIONS:
            if name == stem + action:
                label = model._meta.app_label
                can = {
                    verb: user.has_perm(f"{label}.{verb}_{model._meta.model_name}")
                    for verb in ("add", "change", "delete", "view")
                }
                return {
                    "_add": can["add"], "_delete": can["delete"],
                    "_change": can["change"] or can["view"], "_changelist": can["change"] or can["view"],
                    "_history": can["change"] or can["view"],
                }[action]  # fmt: skip
    return None


@pytest.mark.whole_city
class WalkerWorld(TestCase):
    """The access-test city with an object of every admin model, and how to request any URL name in it."""

    # URL names the walk requests (all when empty). A developer narrows the whole walk to one room with
    # OMZIEN_WALK_ONLY=casework:,admin:casework_ (the full walk covers every room, new ones included,
    # so no room repeats it in the test command).
    walk_only: tuple[str, ...] = tuple(filter(None, os.environ.get("OMZIEN_WALK_ONLY", "").split(",")))

    def walked(self) -> Iterator[tuple[str, str]]:
        return (entry for entry in named_patterns() if entry[0].startswith(self.walk_only or ("",)))

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        administrator = cls.world.user(Role.ADMINISTRATOR)
        attempt = {
            "user_agent": "test",
            "ip_address": "10.0.0.1",
            "username": "x",
            "http_accept": "*/*",
            "path_info": "/",
        }
        # One real object of every model the admin site manages, so every change page is walked.
        # Rooms add theirs in their test_world (e.g. the activities room's Term and Activity).
        cls.world.extra.setdefault("admin_objects", {}).update({
            District: District.objects.first(), Municipality: Municipality.objects.first(),
            Neighbourhood: Neighbourhood.objects.first(),
            Postcode: Postcode.objects.create(code="3561AB", neighbourhood=Neighbourhood.objects.get(code="BU03440321")),
            Group: Group.objects.first(), Organisation: Organisation.objects.first(), User: administrator,
            RoleGrantRequest: RoleGrantRequest.objects.create(user=cls.world.user(Role.RESIDENT), requested_by=administrator),
            TOTPDevice: TOTPDevice.objects.create(user=administrator, name="app", confirmed=True),
            AccessAttempt: AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **attempt),
            AccessLog: AccessLog.objects.create(**attempt), AccessFailureLog: AccessFailureLog.objects.create(**attempt),
            Policy: Policy.objects.first(),
            "admin_user": administrator,
        })  # fmt: skip
        cls.world.extra["admin_objects"]["totp"] = cls.world.extra["admin_objects"][TOTPDevice]
        missing = [m._meta.label for m in admin.site._registry if m not in cls.world.extra["admin_objects"]]
        assert not missing, f"give the walker an object of {missing}"

    def _request(self, name: str):  # type: ignore[no-untyped-def]
        rule = rule_for(name)
        assert rule is not None
        kwargs = rule.sample_kwargs(name, self.world) if rule.sample_kwargs else {}
        url = reverse(name, kwargs=kwargs)
        return url, getattr(self.client, rule.method)(url, rule.data)

    def _residents_shown(self, response: HttpResponse, user: User) -> list[str]:
        """Which of the world's residents (other than the user's own record) the response shows."""
        if response.status_code != 200:
            return []
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = body.decode("utf-8", errors="ignore")
        return [
            resident.last_name
            for resident in self.world.residents.values()
            if resident.user_id != user.pk and resident.last_name in text
        ]


class UrlPolicyTests(WalkerWorld):
    # Which roles the role walk takes: every n-th from the k-th, as (k, n). The walk of every role is the
    # longest whole-city test (45-50 s), so the test command walks half the roles here and the other half in
    # UrlPolicyOtherRolesTests, which its two workers run side by side.
    roles_walked: tuple[int, int] = (0, 2)

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

    def test_anonymous_visitors_get_public_pages_and_a_login_redirect_elsewhere(self) -> None:
        checked = 0
        for name, _route in self.walked():
            rule = rule_for(name)
            assert rule is not None
            url, response = self._request(name)
            with self.subTest(name=name, url=url):
                if PUBLIC in rule.allowed or ANONYMOUS in rule.allowed:
                    self.assertIn(response.status_code, rule.ok_status)
                else:
                    self.assertEqual(response.status_code, 302)
                    # The admin sends visitors to its login first, which passes them on to Omzien's.
                    logins = (reverse("accounts:login"), reverse("admin:login"))
                    self.assertTrue(response["Location"].startswith(logins), response["Location"])
            checked += 1
        self.assertGreater(checked, 0 if self.walk_only else 40)

    def test_each_role_reaches_what_the_policy_allows_and_nothing_else(self) -> None:
        self.assertEqual(
            {role.value for role in self.world.users}, set(role_decls()), "every role needs a persona"
        )
        first, every = self.roles_walked
        for role, user in list(self.world.users.items())[first::every]:
            self.client.logout()
            login_verified(self.client, user)
            for name, _route in self.walked():
                rule = rule_for(name)
                assert rule is not None
                if name in {"admin:logout", "accounts:logout"}:
                    continue  # would end the session the rest of the walk needs
                allowed = PUBLIC in rule.allowed or role.value in rule.allowed
                model_permission = admin_model_permission(name, user) if name.startswith("admin:") else None
                if allowed and model_permission is False:
                    allowed = False  # the administrator's group permissions decide per admin model
                logged_before = AccessLogEntry.objects.count()
                url, response = self._request(name)
                with self.subTest(role=role.value, name=name, url=url, status=response.status_code):
                    if allowed:
                        self.assertIn(response.status_code, rule.ok_status)
                        shown = self._residents_shown(response, user)
                        if shown:
                            # Every page that shows a resident's data says so in the access log, in
                            # every room, new ones included (what it writes: audit/tests).
                            self.assertGreater(
                                AccessLogEntry.objects.count(), logged_before, f"shows {shown}, not logged"
                            )
                    else:
                        self.assertIn(response.status_code, (403, 404))


class UrlPolicyOtherRolesTests(WalkerWorld):
    """The role walk of UrlPolicyTests for the other half of the roles."""

    roles_walked = (1, 2)
    test_each_role_reaches_what_the_policy_allows_and_nothing_else = (
        UrlPolicyTests.test_each_role_reaches_what_the_policy_allows_and_nothing_else
    )

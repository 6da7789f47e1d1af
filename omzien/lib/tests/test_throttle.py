# SPDX-License-Identifier: EUPL-1.2
"""The public forms' throttle: per client address (as the trusted proxy saw it), 429 with a readable page."""

from __future__ import annotations

from django.test import TestCase, override_settings
from django.urls import reverse

from omzien.lib import throttle
from omzien.lib.models import RateCounter
from omzien.lib.testing.world import build_world
from omzien.wellbeing.instruments import DJG11
from omzien.wellbeing.models import ContactRequest


def contact_post(name: str) -> dict[str, str]:
    data = {f"item_{item.number}": ("-1" if item.positive else "1") for item in DJG11.items}
    return data | {"wants_contact": "on", "name": name, "phone": "030-1234567", "postcode": "3561 AB",
                   "preferred_contact": "phone", "consent": "on"}  # fmt: skip


@override_settings(OMZIEN_PUBLIC_FORM_RATE="3/h")
class PublicFormThrottleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        build_world()
        from omzien.geo.models import Neighbourhood, Postcode

        Postcode.objects.create(code="3561AB", neighbourhood=Neighbourhood.objects.get(code="BU03440321"))

    def post(self, name: str, **extra: str):  # type: ignore[no-untyped-def]
        return self.client.post(reverse("wellbeing:self_test"), contact_post(name), **extra)  # type: ignore[arg-type]

    def test_one_address_gets_429_with_a_readable_page_after_the_limit(self) -> None:
        before = ContactRequest.objects.count()
        for number in range(3):
            self.assertEqual(self.post(f"Truus {number}").status_code, 200)
        refused = self.post("Truus 4")
        self.assertEqual(refused.status_code, 429)
        self.assertContains(refused, "Te veel pogingen", status_code=429)
        self.assertContains(refused, "Probeer het over", status_code=429)
        self.assertTrue(1 <= int(refused["Retry-After"]) <= 3600)
        self.assertEqual(ContactRequest.objects.count(), before + 3)
        # The page is there in English too.
        self.client.cookies["omzien-language"] = "en"
        english = self.post("Truus 5")
        self.assertContains(english, "Too many attempts", status_code=429)
        # Another address is not affected, nor is reading the form.
        self.assertEqual(self.post("Kees", REMOTE_ADDR="192.0.2.44").status_code, 200)
        self.assertEqual(self.client.get(reverse("wellbeing:self_test")).status_code, 200)
        self.assertEqual(ContactRequest.objects.count(), before + 4)

    @override_settings(OMZIEN_TRUST_PROXY_HEADERS=True, OMZIEN_TRUSTED_PROXIES=1)
    def test_a_forged_forwarded_for_does_not_make_a_new_address(self) -> None:
        before = ContactRequest.objects.count()
        statuses = [
            self.post(f"Truus {n}", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7", REMOTE_ADDR="10.0.0.2").status_code
            for n in range(6)
        ]
        self.assertEqual(statuses, [200, 200, 200, 429, 429, 429])
        self.assertEqual(ContactRequest.objects.count(), before + 3)

    def test_doing_the_test_without_asking_for_contact_is_not_counted(self) -> None:
        data = {k: v for k, v in contact_post("x").items() if k not in {"wants_contact", "consent"}}
        for _ in range(5):
            self.assertEqual(self.client.post(reverse("wellbeing:self_test"), data).status_code, 200)
        self.assertEqual(RateCounter.objects.count(), 0)


class CounterTests(TestCase):
    def test_counting_per_scope_and_subject_and_a_new_window_after_expiry(self) -> None:
        rate = throttle.Rate.parse("2/10m")
        self.assertEqual(rate, throttle.Rate(2, 600))
        counts = [throttle.hit("s", "a", rate).count for _ in range(3)]
        self.assertEqual(counts, [1, 2, 3])
        self.assertTrue(throttle.hit("s", "a", rate).exceeded)
        self.assertEqual(throttle.hit("s", "b", rate).count, 1)
        self.assertEqual(throttle.hit("t", "a", rate).count, 1)
        RateCounter.objects.update(window_ends="2000-01-01T00:00:00Z")
        self.assertEqual(throttle.hit("s", "a", rate).count, 1)
        self.assertEqual(throttle.purge_expired(), 2)
        # The table holds no address or name, only keyed hashes.
        self.assertFalse(RateCounter.objects.filter(key__contains="a").exclude(key__regex=r"^[0-9a-f]{64}$").exists())

    def test_a_bad_rate_is_refused(self) -> None:
        for text in ("", "10", "0/h", "ten/h", "5/w"):
            with self.assertRaises(ValueError):
                throttle.Rate.parse(text)

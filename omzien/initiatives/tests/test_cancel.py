# SPDX-License-Identifier: EUPL-1.2
"""Cancelling a booking asks for a confirmation on a page of its own (no JavaScript needed), and for a weekly
series which bookings: this one, this one and the later ones, or the whole series still to come."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.urls import reverse
from django.utils import timezone

from omzien.initiatives import services
from omzien.initiatives.models import Booking
from omzien.initiatives.tests.base import InitiativesTestCase


def _next_monday() -> date:
    day = timezone.localdate() + timedelta(days=7)
    return day + timedelta(days=(0 - day.weekday()) % 7)


class CancelTests(InitiativesTestCase):
    def series(self, weeks: int = 6) -> list[Booking]:
        return services.booking_make(request=services.BookingRequest(
            room=self.room, day=_next_monday(), starts=time(19), ends=time(21), title="Soepavond", booked_for="Humanitas",
            repeat_weeks=weeks - 1), acting_user=self.broker)  # fmt: skip

    def standing(self) -> list[date]:
        return [timezone.localdate(b.starts_at) for b in Booking.objects.filter(title="Soepavond", cancelled_at__isnull=True)]

    def test_the_calendar_links_to_a_confirmation_and_nothing_is_cancelled_before_it(self) -> None:
        made = self.series()
        self.login()
        calendar = self.client.get(reverse("initiatives:calendar", args=[self.centre.public_id]),
                                   {"datum": _next_monday().isoformat()})  # fmt: skip
        url = reverse("initiatives:booking_cancel", args=[made[0].public_id])
        self.assertContains(calendar, f'href="{url}"')
        self.assertNotContains(calendar, f'action="{url}"')  # no cancelling in one click
        page = self.client.get(url)
        self.assertContains(page, "Which bookings do you cancel?")
        self.assertContains(page, "Only this one")
        self.assertContains(page, "This one and the later ones (6 bookings)")
        self.assertContains(page, "The whole series still to come (6 bookings)")
        self.assertContains(page, "No, keep the booking")
        self.assertEqual(len(self.standing()), 6)
        # Sent without a choice: asked again, nothing cancelled.
        refused = self.client.post(url, {})
        self.assertContains(refused, "Choose which bookings to cancel.", status_code=400)
        self.assertContains(refused, 'href="#bereik_0"', status_code=400)
        self.assertEqual(len(self.standing()), 6)

    def test_this_one_this_and_following_and_the_whole_series(self) -> None:
        made = self.series()
        self.login()
        days = [timezone.localdate(b.starts_at) for b in made]
        response = self.client.post(reverse("initiatives:booking_cancel", args=[made[1].public_id]), {"bereik": "deze"})
        self.assertRedirects(response, f"{reverse('initiatives:calendar', args=[self.centre.public_id])}?datum={days[1].isoformat()}")
        self.assertEqual(self.standing(), [days[0], *days[2:]])
        self.client.post(reverse("initiatives:booking_cancel", args=[made[3].public_id]), {"bereik": "volgende"})
        self.assertEqual(self.standing(), [days[0], days[2]])
        # Cancelling again what is cancelled changes nothing and says so.
        again = self.client.post(reverse("initiatives:booking_cancel", args=[made[4].public_id]), {"bereik": "reeks"}, follow=True)
        self.assertContains(again, "already been cancelled")
        self.client.post(reverse("initiatives:booking_cancel", args=[made[2].public_id]), {"bereik": "reeks"})
        self.assertEqual(self.standing(), [])

    def test_the_whole_series_leaves_what_already_took_place(self) -> None:
        made = self.series(4)
        # The first meeting took place (moved into the past): the room's use keeps it.
        past = timezone.now() - timedelta(days=7)
        Booking.objects.filter(pk=made[0].pk).update(starts_at=past, ends_at=past + timedelta(hours=2))
        cancelled = services.booking_cancel(booking=made[2], scope=services.CancelScope.SERIES)
        self.assertEqual(cancelled, 3)
        self.assertEqual(list(Booking.objects.filter(series=made[0].series, cancelled_at__isnull=True)), [Booking.objects.get(pk=made[0].pk)])

    def test_a_single_booking_asks_only_to_confirm_and_others_cannot_cancel_it(self) -> None:
        made = services.booking_make(request=services.BookingRequest(
            room=self.room, day=_next_monday(), starts=time(10), ends=time(11), title="Soepavond", booked_for="x"),
            acting_user=self.broker)  # fmt: skip
        url = reverse("initiatives:booking_cancel", args=[made[0].public_id])
        coordinator = self.world.user("coordinator")  # not theirs, not their wijk
        self.login(coordinator)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {"bereik": "deze"}).status_code, 404)
        self.login()
        page = self.client.get(url)
        self.assertNotContains(page, "Which bookings do you cancel?")
        self.assertContains(page, "Yes, cancel")
        self.assertEqual(self.client.post(url, {"bereik": "deze"}).status_code, 302)
        self.assertEqual(self.standing(), [])

    def test_a_booking_that_took_place_is_not_cancelled(self) -> None:
        made = self.series(2)
        past = timezone.now() - timedelta(days=1)
        Booking.objects.filter(pk=made[0].pk).update(starts_at=past, ends_at=past + timedelta(hours=2))
        self.login()
        response = self.client.post(reverse("initiatives:booking_cancel", args=[made[0].public_id]), {"bereik": "deze"})
        self.assertContains(response, "This booking has already taken place", status_code=400)
        self.assertEqual(len(self.standing()), 2)
        calendar = self.client.get(reverse("initiatives:calendar", args=[self.centre.public_id]),
                                   {"datum": timezone.localdate(past).isoformat()})  # fmt: skip
        self.assertNotContains(calendar, reverse("initiatives:booking_cancel", args=[made[0].public_id]))

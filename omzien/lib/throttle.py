# SPDX-License-Identifier: EUPL-1.2
"""One throttle for every public form, per client address, and the counters behind it.

A public form (the self-test's contact request, a public signal, a volunteer's sign-up) is open to
anyone, so a script can fill it a thousand times. Rather than a CAPTCHA (which shuts out people who
cannot see or read it: WCAG 1.1.1), each address may send a form of one scope so often per window;
beyond that it gets HTTP 429 with a page that says, in plain words, when to try again and how else
to reach the municipality. A room uses it like this::

    from omzien.lib.throttle import public_form_throttled

    @public_form_throttled("casework-signal")
    def signal_create(request): ...

Only POSTs count; GETs are never refused. The limit is ``OMZIEN_PUBLIC_FORM_RATE`` ("10/h": ten per
hour; "5/10m": five per ten minutes), or the decorator's ``rate`` for one scope.

The counters live in the database (``lib.RateCounter``), keyed by an HMAC of scope and subject, so
all server processes share them, the table holds no address, and counting is one atomic UPDATE.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac

from omzien.lib.client import client_address

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")

View = TypeVar("View", bound=Callable[..., HttpResponse])


@dataclass(frozen=True)
class Rate:
    """``limit`` hits per ``seconds``."""

    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text)
        if not match or int(match.group(1)) < 1:
            raise ValueError(f"A rate is 'count/period' like '10/h' or '5/10m', not {text!r}")
        count, multiple, unit = match.groups()
        return cls(int(count), _PERIODS[unit] * int(multiple or 1))


@dataclass(frozen=True)
class Usage:
    count: int
    limit: int
    window_ends: datetime

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def exceeded_or_at_limit(self) -> bool:
        """The next hit would exceed the limit."""
        return self.count >= self.limit

    def retry_after(self, now: datetime | None = None) -> int:
        """Whole seconds until the window ends (at least one)."""
        left = (self.window_ends - (now or timezone.now())).total_seconds()
        return max(1, int(left + 0.999))


def _key(scope: str, subject: str) -> str:
    return salted_hmac("omzien.lib.throttle", f"{scope}\x00{subject}", algorithm="sha256").hexdigest()


def hit(scope: str, subject: str, rate: Rate) -> Usage:
    """Count one hit of ``subject`` (an address, an account) in ``scope``; return the window's usage.

    Runs in its own transaction when called outside one, so the count stays even if the caller's
    work later fails (a refused attempt is an attempt).
    """
    from omzien.lib.models import RateCounter

    key = _key(scope, subject)
    now = timezone.now()
    ends = now + timedelta(seconds=rate.seconds)
    with transaction.atomic():
        counted = RateCounter.objects.filter(key=key, window_ends__gt=now).update(count=F("count") + 1)
        # An ended window starts again at one; no row yet is created.
        if not counted and not RateCounter.objects.filter(key=key, window_ends__lte=now).update(count=1, window_ends=ends):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_ends=ends, count=1)
            except IntegrityError:  # another request created it a moment ago
                RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        count, window_ends = RateCounter.objects.filter(key=key).values_list("count", "window_ends").get()
    return Usage(count=count, limit=rate.limit, window_ends=window_ends)


class ThrottledError(Exception):
    """A counted action beyond the rate (``counted``)."""

    def __init__(self, usage: Usage) -> None:
        super().__init__(f"rate exceeded, retry after {usage.retry_after()} s")
        self.usage = usage


@contextmanager
def counted(scope: str, subject: str, rate: Rate) -> Iterator[Usage]:
    """Count the work done in the block as one hit, in one transaction with it.

    For a form that counts only what it takes in: two requests of one subject at the same moment wait
    for each other's count (the counter's row stays locked until the commit), so they cannot both
    pass a limit that only one fits under; work that fails in the block takes its hit back. Raises
    ``ThrottledError`` (before the work) beyond the rate.
    """
    with transaction.atomic():
        usage = hit(scope, subject, rate)
        if usage.exceeded:
            raise ThrottledError(usage)
        yield usage


def peek(scope: str, subject: str, rate: Rate) -> Usage:
    """The current window's usage without counting (zero when there is none)."""
    from omzien.lib.models import RateCounter

    now = timezone.now()
    row = RateCounter.objects.filter(key=_key(scope, subject), window_ends__gt=now).values_list("count", "window_ends")
    found = row.first()
    if found is None:
        return Usage(count=0, limit=rate.limit, window_ends=now)
    return Usage(count=found[0], limit=rate.limit, window_ends=found[1])


def reset(scope: str, subject: str) -> None:
    from omzien.lib.models import RateCounter

    RateCounter.objects.filter(key=_key(scope, subject)).delete()


def purge_expired() -> int:
    """Delete counters whose window has ended (``omzien tick``); return how many."""
    from omzien.lib.models import RateCounter

    deleted, _ = RateCounter.objects.filter(window_ends__lte=timezone.now()).delete()
    return deleted


def public_form_rate(scope: str, rate: str | None = None) -> Rate:
    return Rate.parse(rate or settings.OMZIEN_PUBLIC_FORM_RATE)


def throttled_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    """HTTP 429 with a page that says when to try again (and a Retry-After header for programs)."""
    minutes = max(1, (retry_after + 59) // 60)
    body = render_to_string("throttled.html", {"minutes": minutes}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def public_form_throttled(
    scope: str, rate: str | None = None, when: Callable[[HttpRequest], bool] | None = None
) -> Callable[[View], View]:
    """Refuse a client's POSTs to this view beyond the public-form rate, with a readable 429 page.

    ``scope`` names the form ("wellbeing-contact", "casework-signal"): each form has its own count
    per address. ``rate`` overrides ``OMZIEN_PUBLIC_FORM_RATE`` for this form only. ``when`` limits
    the count to the POSTs that store something (the self-test stores nothing unless contact is asked).
    """

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST" and (when is None or when(request)):
                usage = hit(f"form:{scope}", client_address(request) or "unknown", public_form_rate(scope, rate))
                if usage.exceeded:
                    return throttled_response(request, usage.retry_after())
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate

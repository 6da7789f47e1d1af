# SPDX-License-Identifier: EUPL-1.2
"""Omzien's load test (issue 26): a realistic mix of public visitors, professionals, providers,
residents and API clients against a demo-mode instance on loopback (loadtest/README.md).

The users log in with the demo mode's one-click login (second factor skipped, demo only), so the run
needs ``OMZIEN_DEMO=true`` and a seeded city. Never point it at a production instance.

Every response of 400 or more is a failure, except the ones a user meets in normal use (a 404 for an
activity that ended between search and click). Pages are found the way a person finds them: by
following links from the lists, not from a fixed list of ids.

The users are Locust's ``FastHttpUser`` (geventhttpclient): the load generator shares the server's two cores, and
``HttpUser`` (python-requests) took about 2 ms of CPU per request, a tenth of the machine at 100 requests a second.
Every HTTP request is counted on its own, as a browser makes it: a form's POST, then the page its redirect names.
"""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, task

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
POSTCODES = ["3561", "3562", "3563", "3511", "3521", "3531", "3541", "3551", "3581", "3584"]
WORDS = ["", "koffie", "wandelen", "eten", "taal", "sport", "muziek", "spel", "tuin"]


class _Forms(HTMLParser):
    """The POST forms of a page, with the values a person leaves as they are (hidden, checked, first choice)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.forms.append({"action": a.get("action", ""), "fields": {}, "radios": {}})
        if not self.forms:
            return
        fields, radios = self.forms[-1]["fields"], self.forms[-1]["radios"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "radio":
                radios.setdefault(name, []).append(a.get("value", "on"))
            elif kind == "checkbox":
                if "checked" in a or random.random() < 0.7:  # noqa: S311 - load mix, not security
                    fields.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and self._select not in fields and a.get("value"):
            fields[self._select] = [a["value"]]
        elif tag == "textarea" and name:
            fields.setdefault(name, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _post_form(user: _Visitor, page: str, html: str, name: str, *, redirects: bool = True) -> None:
    """Submit the page's own POST form as a person would: a choice for every question, the hidden fields
    as they are; then open the page the answer sends the browser to."""
    parser = _Forms()
    parser.feed(html)
    # The page's own form is the one with the most questions: not the header's log-out, language
    # switch or session extension.
    forms = [f for f in parser.forms if not f["action"].startswith(("/taal/", "/account/"))]
    if not forms:
        return
    form = max(forms, key=lambda f: len(f["fields"]) + len(f["radios"]))
    data = {key: values for key, values in form["fields"].items()}
    for key, values in form["radios"].items():
        data[key] = [random.choice(values)]  # noqa: S311
    user.submit(form["action"] or page, data, name, page=page, redirects=redirects)


def _csrf(html: str) -> str:
    """The page's CSRF token (the cookie is HttpOnly and has another name behind HTTPS)."""
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


def _links(html: str, prefix: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({re.escape(prefix)}{UUID}/)"', html)))


class _Visitor(FastHttpUser):
    """A user who arrives with an address of its own, as behind the reference proxy (``X-Forwarded-For``; the
    server runs with ``OMZIEN_TRUST_PROXY_HEADERS``): the per-address throttles see people, not the test."""

    abstract = True

    def on_start(self) -> None:
        address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"  # noqa: S311
        self.headers = {"X-Forwarded-For": address}

    def get(self, url: str, name: str, **options: Any) -> Any:
        return self.client.get(url, name=name, headers=self.headers, **options)

    def submit(self, action: str, data: dict[str, Any], name: str, *, page: str, redirects: bool = True,
               gone_is_fine: bool = False) -> str:  # fmt: skip
        """POST a form as a browser does (the redirect it answers with is followed as a request of its own); return
        the page's HTML the user ends on. ``gone_is_fine``: a 404 is what a person meets in normal use."""
        headers = {**self.headers, "Referer": f"{self.host}{page}",
                   "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
        with self.client.post(action, data=urlencode(data, doseq=True), name=name, headers=headers,
                              allow_redirects=False, catch_response=True) as response:  # fmt: skip
            where = urlsplit((response.headers or {}).get("Location") or "")
            location = where.path + (f"?{where.query}" if where.query else "")
            if response.status_code == 404 and gone_is_fine:
                response.success()
                return ""
            if response.status_code >= 400:
                response.failure(f"{response.status_code} on {name}")
                return ""
            if response.status_code in (301, 302, 303):
                if where.path in ("/", "/account/inloggen/"):
                    response.failure(f"{name} ended on the home or log-in page: the session was lost")
                    return ""
            elif redirects:
                response.failure(f"{name} was not accepted (the form came back, with errors)")
                return ""
            else:
                return str(response.text or "")
        return str(self.get(location, name=f"{name}: next page").text or "")


class _Staff(_Visitor):
    abstract = True
    role = ""

    def on_start(self) -> None:
        super().on_start()
        token = _csrf(self.get("/", name="home").text)
        self.submit("/account/demo/", {"role": self.role, "csrfmiddlewaretoken": token}, "demo login", page="/")


class PublicVisitor(_Visitor):
    """Looks for an activity near home, opens one, sometimes does the loneliness self-test."""

    weight = 6
    wait_time = between(1, 4)

    @task(5)
    def search(self) -> None:
        params = {"q": random.choice(WORDS), "postcode": random.choice(POSTCODES)}  # noqa: S311
        html = self.get("/activiteiten/", params=params, name="activities: search").text
        found = _links(html, "/activiteiten/")
        if found:
            with self.get(random.choice(found), name="activities: detail", catch_response=True) as r:  # noqa: S311
                if r.status_code == 404:
                    r.success()  # ended between the search and the click

    @task(1)
    def self_test(self) -> None:
        html = self.get("/zelftest/", name="self-test: form").text
        _post_form(self, "/zelftest/", html, "self-test: score", redirects=False)


class Professional(_Staff):
    """A neighbourhood-team professional: the worklist, clients, their measurements; records a measurement."""

    weight = 3
    wait_time = between(2, 6)
    role = "neighbourhood_professional"

    @task(4)
    def worklist(self) -> None:
        self.get("/werklijst/", name="casework: worklist")

    @task(4)
    def client_page(self) -> None:
        html = self.get("/clienten/", name="casework: clients").text
        clients = _links(html, "/clienten/")
        if clients:
            self.get(random.choice(clients), name="casework: client")  # noqa: S311

    @task(1)
    def measurement(self) -> None:
        clients = _links(self.get("/clienten/", name="casework: clients").text, "/clienten/")
        if not clients:
            return
        case = self.get(random.choice(clients), name="casework: client").text  # noqa: S311
        listing = re.search(rf'href="(/bewoners/{UUID}/metingen/)"', case)
        if not listing:
            return
        page = self.get(listing.group(1), name="wellbeing: measurements").text
        forms = re.findall(rf'href="(/bewoners/{UUID}/metingen/nieuw/[\w-]+/)"', page)
        if forms:
            form_page = random.choice(forms)  # noqa: S311
            response = self.get(form_page, name="wellbeing: measurement form")
            _post_form(self, form_page, response.text, "wellbeing: record measurement")


class Provider(_Staff):
    """An activity provider: the offer, participants, and attendance taken after a session."""

    weight = 1
    wait_time = between(2, 6)
    role = "activity_provider"

    @task
    def attendance(self) -> None:
        html = self.get("/aanbod/", name="activities: my offer").text
        offers = _links(html, "/aanbod/")
        if not offers:
            return
        offer = random.choice(offers)  # noqa: S311
        self.get(offer + "deelnemers/", name="activities: participants")
        page = offer + "aanwezigheid/"
        response = self.get(page, name="activities: attendance form")
        if response.status_code == 200:
            _post_form(self, page, response.text, "activities: record attendance")


class Resident(_Staff):
    """A resident signs up for an activity (and sees their own)."""

    weight = 1
    wait_time = between(3, 8)
    role = "resident"

    @task
    def register(self) -> None:
        html = self.get("/activiteiten/", params={"postcode": random.choice(POSTCODES)},  # noqa: S311
                               name="activities: search").text  # fmt: skip
        found = _links(html, "/activiteiten/")
        if not found:
            return
        detail = random.choice(found)  # noqa: S311
        token = _csrf(self.get(detail, name="activities: detail").text)
        self.submit(detail + "aanmelden/", {"consent": "yes", "csrfmiddlewaretoken": token}, "activities: register",
                    page=detail, gone_is_fine=True)  # fmt: skip
        self.get("/mijn/activiteiten/", name="activities: mine")


class ApiClient(_Visitor):
    """A partner's system reading the open directory (HSDS)."""

    weight = 2
    wait_time = between(1, 3)

    @task
    def services(self) -> None:
        page = random.randint(1, 5)  # noqa: S311
        response = self.get("/api/hsds/services", params={"page": page}, name="api: services")
        if response.status_code == 200:
            ids = [item.get("id") for item in response.json().get("contents", []) if item.get("id")]
            if ids:
                self.get(f"/api/hsds/services/{random.choice(ids)}", name="api: service")  # noqa: S311

# SPDX-License-Identifier: EUPL-1.2
"""Fixtures shared by the whole suite: hypothesis profiles, the real browser, shared data."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile("default", deadline=None)
# CI: no deadlines (2 shared cores) and derandomised, so a run is repeatable.
hypothesis_settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SHARED = Path(__file__).resolve().parent.parent / "shared"


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage() + (self.format(record) if record.exc_info else ""))


@pytest.fixture(scope="session", autouse=True)
def _no_personal_data_in_logs() -> Iterator[None]:
    """Every log line of the whole run is kept; none may contain a test person's data or a secret (A6)."""
    from omzien.core.demo_city import DEMO_PASSWORD
    from omzien.lib.testing.world import PASSWORD, STREET_MARKER

    recorder = _Recorder()
    root = logging.getLogger()
    root.addHandler(recorder)
    previous = root.level
    root.setLevel(logging.DEBUG)
    yield
    root.removeHandler(recorder)
    root.setLevel(previous)
    markers = [PASSWORD, DEMO_PASSWORD, STREET_MARKER, "Aaldering", "06-12345678", "alida@example.nl"]
    leaks = [line for line in recorder.lines for marker in markers if marker in line]
    assert not leaks, f"personal data or secrets in the logs: {leaks[:5]}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser and concurrency tests run once, on PostgreSQL; on SQLite they are deselected by
    # scripts/test with -m. Running them on SQLite by hand is refused rather than half-tested.
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    for item in items:
        if not on_postgres and ("postgres" in item.keywords or "e2e" in item.keywords):
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://… (scripts/test runs it)"))
        placed = any(marker in item.keywords for marker in ("e2e", "postgres", "benchmark", "whole_city"))
        if not placed and not _uses_database(item):
            item.add_marker(pytest.mark.no_database)
    # On PostgreSQL the long tests first (browser walks and flows, races and drills: seconds each), the many
    # short ones after: pytest-xdist hands out test modules and classes in this order, so the workers finish
    # together instead of one running the last browser flow alone (10-15 s of the phase).
    long_first = ("e2e", "postgres")
    items.sort(key=lambda item: not any(marker in item.keywords for marker in long_first))


# pytest-django's fixtures that give a test the database (directly or through another fixture: a
# test's fixturenames hold the whole closure).
_DATABASE_FIXTURES = {
    "db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback",
    "django_user_model", "admin_user", "admin_client",
}  # fmt: skip


def _uses_database(item: pytest.Item) -> bool:
    """Whether a test can touch the database. Those that cannot (the pure cores, the engine's
    property tests, settings and static-file checks) give the same result on either database, so the
    test command runs them once, in the SQLite phase (marker ``no_database``, added here)."""
    from django.test import SimpleTestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, SimpleTestCase):
        return issubclass(cls, TransactionTestCase) or bool(getattr(cls, "databases", None))
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(_DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache (choice lists are cached across requests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def shared_geo() -> Path:
    """The real Utrecht geography files; a missing ../shared fails loudly, it never skips."""
    folder = SHARED / "data" / "geo"
    if not folder.is_dir():
        pytest.fail(f"{folder} is missing: this test needs the shared data folder beside the repository.")
    return folder


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Any]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright: Any) -> Iterator[Any]:
    from omzien.lib.testing.browser import chromium_args, chromium_path

    path = chromium_path()
    browser = _playwright.chromium.launch(executable_path=path, args=chromium_args(path))
    yield browser
    browser.close()


class BrowserPage:
    """A Playwright page plus what the tests check on every page: requests and console errors."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requested: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda request: self.requested.append(request.url))
        page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def content(self) -> str:
        """The page's HTML once the document a click may just have started loading is parsed.

        A click that submits a form returns when the new document is committed, before it is parsed;
        read at that moment the content is empty (seen in CI on a loaded machine)."""
        self.page.wait_for_load_state("domcontentloaded")
        return str(self.page.content())

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.page, name)
        if name not in _LOCATOR_FACTORIES:
            return attribute

        def located(*args: Any, **kwargs: Any) -> Any:
            # The same race as content(): count(), all() and is_visible() do not wait, and asked
            # right after a click they read the document that is still being parsed (CI, stop 32).
            self.page.wait_for_load_state("domcontentloaded")
            return attribute(*args, **kwargs)

        return located


_LOCATOR_FACTORIES = frozenset(
    {
        "locator",
        "get_by_role",
        "get_by_text",
        "get_by_label",
        "get_by_test_id",
        "get_by_placeholder",
        "get_by_title",
        "get_by_alt_text",
    }
)


def _page(
    browser: Any, request: pytest.FixtureRequest, locale: str = "en-US", **context_options: Any
) -> Iterator[BrowserPage]:
    from omzien.lib.testing.browser import foreign_hosts, screenshot

    context = browser.new_context(locale=locale, **context_options)
    page = BrowserPage(context.new_page())
    yield page
    # The page as the test left it, when the test failed (the tests save the pages worth a look themselves).
    report = getattr(request.node, "omzien_call_report", None)
    try:
        if report is not None and report.failed:
            screenshot(page.page, re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name), failed=True)
    finally:
        context.close()
    assert foreign_hosts(page.requested, {"127.0.0.1", "localhost"}) == [], "page contacted another host"
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep the test's own outcome on the item, for fixtures that act on a failure in their teardown."""
    report = yield
    if report.when == "call":
        item.omzien_call_report = report  # type: ignore[attr-defined]
    return report


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[BrowserPage]:
    """A desktop-sized page whose browser asks for English: the app must still answer in Dutch."""
    yield from _page(browser, request, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[BrowserPage]:
    """A phone-sized page (360 × 740, touch)."""
    yield from _page(browser, request, viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)


@pytest.fixture
def narrow_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[BrowserPage]:
    """The narrowest screen WCAG 1.4.10 asks for: 320 CSS pixels, a phone asking for Dutch."""
    yield from _page(
        browser,
        request,
        locale="nl-NL",
        viewport={"width": 320, "height": 800},
        has_touch=True,
        is_mobile=True,
    )


@pytest.fixture(autouse=True)
def _fresh_policy_cache() -> Iterator[None]:
    """A policy value cached by one test (perhaps one it changed and then rolled back) is not another's."""
    from omzien import policy

    policy.clear_cache()
    yield
    policy.clear_cache()


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's test database, but migrated once per run and cloned for each xdist worker
    (omzien/lib/testing/databases.py): the migrations took a minute of every phase."""
    from django.test import TransactionTestCase

    from omzien.lib.testing.databases import setup_test_databases, teardown_test_databases
    from omzien.lib.testing.demo import migrated_state_remember, migrated_state_restore

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        old_config = setup_test_databases(verbosity)
        migrated_state_remember()
    django_flush = TransactionTestCase._fixture_teardown

    def fixture_teardown_to_migrated_state(self: TransactionTestCase) -> None:
        # After a transactional test on PostgreSQL, the migrated database's rows are put back instead of Django's
        # flush, which emptied every table and ran the post_migrate handlers again (content types, permissions,
        # role groups, policy, taxonomy): 0.4-0.5 s after each of some 70 tests of the PostgreSQL phase.
        if self.available_apps is None and not self.serialized_rollback and migrated_state_restore():
            return
        django_flush(self)

    TransactionTestCase._fixture_teardown = fixture_teardown_to_migrated_state  # type: ignore[method-assign]
    yield
    TransactionTestCase._fixture_teardown = django_flush  # type: ignore[method-assign]
    with django_db_blocker.unblock():
        teardown_test_databases(old_config, verbosity)

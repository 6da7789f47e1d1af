# SPDX-License-Identifier: EUPL-1.2
"""Real-browser test helpers: Debian's Chromium driven by Playwright, and axe-core checks.

Never ``playwright install``: it downloads a browser, and downloads fail here. The tests use the
Chromium that ``scripts/install --test`` installs with apt-get: Debian's ``chromium-headless-shell``, the
same Chromium (one source package, one version) built without the desktop browser around it, which is
what Playwright itself runs for headless tests. It took a fifth less CPU than ``chromium --headless=new``
for the same 320-pixel walk (97 pages, 3 December 2026), and the browser tests are most of the test
command's time. ``OMZIEN_CHROMIUM`` names another binary (e.g. ``/usr/bin/chromium``).
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"


def chromium_path() -> str:
    """Return the path of the system Chromium, failing loudly when it is not installed."""
    path = os.environ.get("OMZIEN_CHROMIUM") or shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if not path:
        raise RuntimeError(
            "Chromium is not installed: run scripts/install --test (apt-get install chromium-headless-shell)."
        )
    return path


def chromium_args(path: str) -> list[str]:
    """The launch arguments for that binary: the full browser is asked for its headless mode."""
    return CHROMIUM_ARGS if "headless-shell" in Path(path).name else ["--headless=new", *CHROMIUM_ARGS]


class AxeViolationError(AssertionError):
    pass


@functools.cache
def _axe_source() -> str:
    return (Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def axe_check(page: Any, *, impact: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the page; fail on any violation of the given impact.

    The script is evaluated through the DevTools protocol, so the page's CSP stays intact.
    """
    if not page.evaluate("typeof axe !== 'undefined'"):  # once per document: a page checked at two widths
        page.evaluate(_axe_source() + "\n;undefined")
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    violations = [v for v in result["violations"] if v["impact"] in impact]
    if violations:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in violations
        ]
        raise AxeViolationError("axe-core found accessibility violations:\n" + "\n".join(lines))
    return result["violations"]


def foreign_hosts(urls: list[str], allowed_hosts: set[str]) -> list[str]:
    """Return the requested URLs that went to any host but the app's own (checklist D6)."""
    foreign = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            continue
        if parts.hostname not in allowed_hosts:
            foreign.append(url)
    return foreign


# A screenshot shows at most this much of a page's height: a full 12,000-pixel page took half a second of
# Chromium's time, and the suite saves some hundred of them.
SCREENSHOT_MAX_HEIGHT = 4000


def screenshot(page: Any, name: str, *, failed: bool = False) -> Path | None:
    """Save a screenshot of the whole page (its first 4,000 pixels) as a test artefact and return its path.

    The pages the browser tests name are saved when ``OMZIEN_SCREENSHOTS=1`` (to look at them, e.g.
    ``OMZIEN_SCREENSHOTS=1 scripts/test -m e2e``): the test command makes some hundred, a tenth of a second
    each. The last page of a failed test is always saved (``failed``)."""
    if not failed and os.environ.get("OMZIEN_SCREENSHOTS") != "1":
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    width, height = page.evaluate(
        "[document.documentElement.clientWidth, document.documentElement.scrollHeight]"
    )
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, SCREENSHOT_MAX_HEIGHT)}
    page.screenshot(path=str(path), full_page=True, clip=clip)
    return path

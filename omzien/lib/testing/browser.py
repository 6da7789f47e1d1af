# SPDX-License-Identifier: EUPL-1.2
"""Real-browser test helpers: Debian's Chromium driven by Playwright, and axe-core checks.

Never ``playwright install``: it downloads a browser, and downloads fail here. The tests use the
Chromium that ``scripts/install --test`` installs with apt-get.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

CHROMIUM_ARGS = [
    "--headless=new",
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
    path = os.environ.get("OMZIEN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError(
            "Chromium is not installed: run scripts/install --test (apt-get install chromium)."
        )
    return path


class AxeViolationError(AssertionError):
    pass


def axe_check(page: Any, *, impact: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the page; fail on any violation of the given impact.

    The script is evaluated through the DevTools protocol, so the page's CSP stays intact.
    """
    source = (Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    page.evaluate(source + "\n;undefined")
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


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as a test artefact and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

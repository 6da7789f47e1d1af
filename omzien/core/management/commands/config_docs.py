# SPDX-License-Identifier: EUPL-1.2
"""``omzien config_docs``: write docs/configuration.md from the settings' help texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from omzien.lib.env import render_markdown


class Command(BaseCommand):
    help = "Write docs/configuration.md from the environment variables' help texts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "configuration.md"))
        parser.add_argument("--check", action="store_true", help="Exit 1 when the file is out of date.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        text = render_markdown()
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise SystemExit(f"{path} is out of date: run 'omzien config_docs'.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")

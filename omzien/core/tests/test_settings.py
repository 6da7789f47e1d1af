# SPDX-License-Identifier: EUPL-1.2
"""Production settings: strong hasher, a clean deploy check, documented variables, loud failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from omzien.lib import env

PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "DJANGO_SETTINGS_MODULE": "omzien.conf.base",
    "SECRET_KEY": "k8#Jq2@pLz!v9Rw$eT4yU7iO0pAsDfGhJkLzXcVbNm1QwErTyUiOp-production-like",
    "ALLOWED_HOSTS": "omzien.example.nl",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_omzien(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "omzien", *args],
        env=PRODUCTION_ENV | (extra_env or {}),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        check=False,
    )


class ProductionSettingsTests(SimpleTestCase):
    def test_the_deploy_check_is_clean_with_production_settings(self) -> None:
        result = run_omzien("check", "--deploy", "--fail-level", "WARNING")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_production_hashes_passwords_with_argon2id(self) -> None:
        script = "from django.contrib.auth.hashers import make_password; print(make_password('correct horse battery'))"
        result = run_omzien("shell", "-c", script)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.strip().splitlines()[-1].startswith("argon2$argon2id$"), result.stdout)

    def test_the_test_suite_uses_the_fast_hasher(self) -> None:
        # Kept apart from the test above: a fast hasher outside tests would be a security bug.
        self.assertEqual(settings.PASSWORD_HASHERS, ["django.contrib.auth.hashers.MD5PasswordHasher"])

    def test_a_missing_secret_key_stops_start_up(self) -> None:
        environment = dict(PRODUCTION_ENV)
        del environment["SECRET_KEY"]
        result = subprocess.run(
            [sys.executable, "-m", "omzien", "check"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=settings.BASE_DIR,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr)

    def test_a_bad_boolean_fails_loudly(self) -> None:
        result = run_omzien("check", extra_env={"DEBUG": "maybe"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DEBUG must be true or false", result.stderr)

    def test_a_secret_can_come_from_a_file(self) -> None:
        secret_file = Path(settings.BASE_DIR) / "var" / "test-secret"
        secret_file.parent.mkdir(exist_ok=True)
        secret_file.write_text("from-a-file\n", encoding="utf-8")
        try:
            os.environ["OMZIEN_TEST_SECRET_FILE"] = str(secret_file)
            self.assertEqual(env.env_secret("OMZIEN_TEST_SECRET", None, "test only"), "from-a-file")
        finally:
            del os.environ["OMZIEN_TEST_SECRET_FILE"]
            env.REGISTRY.pop("OMZIEN_TEST_SECRET", None)
            secret_file.unlink()

    def test_the_configuration_document_is_current(self) -> None:
        document = Path(settings.BASE_DIR) / "docs" / "configuration.md"
        self.assertEqual(
            document.read_text(encoding="utf-8"), env.render_markdown(), "run: omzien config_docs"
        )
        for name in ("DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "OMZIEN_DEMO", "TIME_ZONE"):
            self.assertIn(f"`{name}`", document.read_text(encoding="utf-8"))


class StaticFilesTests(SimpleTestCase):
    def test_collectstatic_builds_the_hashed_manifest_production_serves(self) -> None:
        # The npm packages reference files they do not ship; the manifest step must still succeed.
        with tempfile.TemporaryDirectory() as folder:
            result = run_omzien("collectstatic", "--noinput", "-v0", extra_env={"OMZIEN_VAR_DIR": folder})
            self.assertEqual(result.returncode, 0, result.stderr[-2000:])
            manifest = json.loads((Path(folder) / "static" / "staticfiles.json").read_text(encoding="utf-8"))
            for name in (
                "vendor/utrecht-css/index.css",
                "vendor/utrecht-tokens/index.css",
                "vendor/htmx/htmx.min.js",
                "omzien/omzien.css",
            ):
                self.assertIn(name, manifest["paths"])
            self.assertNotIn("vendor/utrecht-tokens/_variables.scss", manifest["paths"])

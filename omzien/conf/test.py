# SPDX-License-Identifier: EUPL-1.2
"""The test suite: other defaults for the same variables, then ``base``."""

import os
from pathlib import Path

os.environ.setdefault("OMZIEN_HTTPS", "false")
os.environ.setdefault("SECRET_KEY", "omzien-test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("OMZIEN_FAST_PASSWORD_HASHER", "true")
os.environ.setdefault("OMZIEN_STATIC_MANIFEST", "false")
os.environ.setdefault("OMZIEN_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
# Apart from the demo's var/: WhiteNoise would otherwise serve the demo's collected (older) files.
os.environ.setdefault("OMZIEN_VAR_DIR", str(Path(__file__).resolve().parents[2] / "var" / "test"))

# Tests that erase residents write no journal unless they ask for one (omzien/operations).
os.environ.setdefault("OMZIEN_ERASURE_JOURNAL", "")

from omzien.conf.base import *  # noqa: E402,F403

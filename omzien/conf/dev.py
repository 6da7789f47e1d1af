# SPDX-License-Identifier: EUPL-1.2
"""Local demo and development: other defaults for the same variables, then ``base``."""

import os

os.environ.setdefault("OMZIEN_DEMO", "true")
os.environ.setdefault("OMZIEN_HTTPS", "false")
# A fixed, public key: the demo holds only synthetic people. Production must set its own.
os.environ.setdefault("SECRET_KEY", "omzien-demo-only-secret-key-not-for-production-use-0123456789")
# The demo's DigiD logins are recognised by this public key (synthetic BSNs only); production sets its own.
os.environ.setdefault("OMZIEN_OIDC_SUBJECT_KEY", "omzien-demo-only-subject-key-not-for-production-use")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from omzien.conf.base import *  # noqa: E402,F403

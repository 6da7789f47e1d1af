# SPDX-License-Identifier: EUPL-1.2
"""WSGI entry point for gunicorn: ``gunicorn omzien.conf.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.base")

application = get_wsgi_application()

# SPDX-License-Identifier: EUPL-1.2
"""WSGI entry point for gunicorn: ``gunicorn omzien.conf.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

from omzien.lib.serving import settle_for_serving

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.base")

application = get_wsgi_application()
settle_for_serving()  # the garbage collector's settings for a long-lived server process (omzien/lib/serving.py)

# SPDX-License-Identifier: EUPL-1.2
"""WSGI entry point for gunicorn: ``gunicorn omzien.conf.wsgi``."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "omzien.conf.base")

application = get_wsgi_application()
# Everything loaded at start-up lives as long as the process: move it out of the garbage collector's
# reach, so a collection during a request does not walk it (measured: it cut the search's slowest
# responses roughly in half, benchmarks/bench_directory.py).
gc.collect()
gc.freeze()

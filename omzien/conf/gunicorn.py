# SPDX-License-Identifier: EUPL-1.2
"""Gunicorn's settings for the demo and for production (``gunicorn -c python:omzien.conf.gunicorn``).

The access log keeps method, path, status, size and duration, never the query string or the
referring page: a name search (``/bewoners/?q=…``) or a filter travels in the query string and would
otherwise land, in plain text, in a log that is kept for months and read by operators (issue 15).
"""

accesslog = "-"
# h: client address (as gunicorn sees it), t: time, m/U/H: method, path without query, protocol,
# s: status, B: bytes, M: duration in ms. Not %(r)s (the request line with its query), not %(q)s,
# not %(f)s (the referrer, a previous page's address with its query).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

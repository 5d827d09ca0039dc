"""Request hygiene before any view runs: control characters are refused with 400.

PostgreSQL cannot store or compare a NUL byte: a `?sportello=%00` reaching a query answered
500. No field of the portal takes control characters in a URL parameter, and form text
may hold only tab and line breaks. Forms validate their own fields (Django refuses NUL in
every CharField); this covers the parameters views and the admin read directly.
"""

from __future__ import annotations

import re

from django.core.exceptions import SuspiciousOperation

# C0 controls and DEL; tab, line feed and carriage return are allowed in form bodies.
_IN_URL = re.compile(r"[\x00-\x1f\x7f]")
_IN_FORM = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ControlCharacters(SuspiciousOperation):
    """Answered 400 by Django (and logged on django.security without the value)."""


def _check(query, pattern) -> None:
    for key, values in query.lists():
        if pattern.search(key) or any(pattern.search(value) for value in values if isinstance(value, str)):
            raise ControlCharacters("control character in a request parameter")


class RejectControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The open-data API validates its own ids and parameters and answers in JSON (a 404,
        # or a 400 naming the parameter at fault: api/filters.py), as its clients and its
        # OpenAPI schema expect; it stores nothing and reads ids as UUIDs.
        if not request.path.startswith("/api/"):
            if _IN_URL.search(request.path):
                raise ControlCharacters("control character in the path")
            _check(request.GET, _IN_URL)
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            _check(request.POST, _IN_FORM)
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answer /healthz before anything reads the Host header.

    Container health checks and load balancers probe a web process by its address
    (`http://127.0.0.1:8000/healthz`, `10.0.3.7:8000`), never by the site's name: Django's
    host validation answered them 400, so docker compose never saw the web container healthy
    and never started nginx (found by the compose rehearsal, deploy/rehearsal/run.sh). The
    answer names no host and holds nothing but the state of the database and the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz" and request.method in ("GET", "HEAD"):
            from labimpact.views import healthz

            return healthz(request)
        return self.get_response(request)

"""Site-wide public pages: home, the plan, static legal pages, health check, error pages."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from labimpact import selectors
from labimpact.caching import public_page
from services.topics import topics

STATIC_PAGES = {
    "accessibility": "pages/accessibility.html",
    "privacy": "pages/privacy.html",
    "legal": "pages/legal.html",
}


@require_GET
@public_page
def home(request):
    return render(request, "pages/home.html", {**selectors.home_context(), "topics": topics()})


@require_GET
@public_page
def about(request):
    return render(request, "pages/about.html", selectors.about_context())


@require_GET
@public_page
def static_page(request, page: str):
    template = STATIC_PAGES.get(page)
    if template is None:
        raise Http404
    return render(request, template, {"plan": selectors.current_plan()})


@never_cache
@require_GET
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page declares: send them to the static icon.

    Permanent is safe: this URL always answers the same redirect, and the static file it
    names carries its content hash in production, so a new icon gets a new URL anyway.
    """
    return HttpResponsePermanentRedirect(static("labimpact/img/favicon.ico"))


def healthz(request):
    """Liveness for load balancers and monitors: each dependency and its state, as JSON."""
    checks = {"database": _check_database(), "cache": _check_cache()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; say which
        return f"error: {type(exc).__name__}"
    return "ok"


def _check_cache() -> str:
    try:
        cache.set("healthz", "1", 5)
        if cache.get("healthz") != "1":
            return "error: read-back mismatch"
    except Exception as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors beyond the basics: the error may come from the database.
    return render(request, "errors/500.html", status=500)

"""Absolute links (hreflang, JSON-LD, the poster's QR code) from the configured site address.

Public pages are cached and shared: a link built from the Host header of whoever asked
first would be served to everyone. With SITE_URL set (production: always) it never is.
"""

from __future__ import annotations

from django.conf import settings


def site_origin(request) -> str:
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def absolute_url(request, path: str) -> str:
    return site_origin(request) + path


def offline_origin() -> str:
    """The site's address where no request is at hand (links in e-mails, iCalendar UIDs)."""
    return settings.SITE_URL or settings.OFFLINE_SITE_URL

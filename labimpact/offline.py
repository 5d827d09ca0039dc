"""The installable web app: its manifest, the service worker, and the page of saved copies.

The worker (templates/offline/sw.js) keeps the desk pages, posters and guides a reader opened
in their language and serves them when the network fails, with the date they were saved; it
keeps nothing else (no form, no back office, no API). It is served from the site root so its
scope covers every language prefix, with no-cache: a browser checks for a new worker on
every visit instead of keeping an old one for a day.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from labimpact.caching import public_page

THEME_COLOR = "#0066cc"
ICONS = [
    ("labimpact/img/app-icon-192.png", "192x192", "any"),
    ("labimpact/img/app-icon-512.png", "512x512", "any"),
    ("labimpact/img/app-icon-512.png", "512x512", "maskable"),
]


def _language_pattern() -> str:
    return "|".join(code for code, _name in settings.LANGUAGES)


def _worker_source() -> str:
    # The static file names in the version: a deployment that changes the CSS or JS drops the
    # worker's old copies of them (the browser sees a new worker byte for byte).
    assets = "|".join(static(path) for path in ("labimpact/css/site.css", "labimpact/js/sw-register.js"))
    context = {
        "languages": _language_pattern(),
        "default_language": settings.LANGUAGE_CODE,
        "static_prefix": settings.STATIC_URL,
        "version": hashlib.sha256(assets.encode()).hexdigest()[:12],
    }
    return render_to_string("offline/sw.js", context)


@require_safe
@cache_control(no_cache=True, max_age=0)
def service_worker(request):
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
@cache_control(max_age=86400)
def webmanifest(request):
    """The manifest in the reader's language: name, description, direction, start page."""
    manifest = {
        "name": "Lab'Impact Lombardia",
        "short_name": "Lab'Impact",
        "description": _("Sportelli, guide e materiali per i cittadini di paesi terzi in Lombardia."),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    return HttpResponse(
        json.dumps(manifest, ensure_ascii=False, indent=1), content_type="application/manifest+json; charset=utf-8"
    )


@require_safe
@public_page
def saved_pages(request):
    """The pages saved on this device: listed by the browser itself (offline-list.js)."""
    return render(request, "offline/saved_pages.html")

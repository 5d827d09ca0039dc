"""Page cache for the public site: anonymous readers, one entry per language and URL.

Why a view decorator rather than Django's per-site cache middleware: the middleware
stack (security headers, CSP, sessions, language) must still run on every response, and
only the public pages are safe to share. A page is stored only when nothing in it is
personal: the reader is anonymous, no CSRF token or message was rendered, and the response
sets no cookie.

Invalidation is by generation: every cache key carries a counter that any change to
public content bumps (signals below), so one write makes every cached page stale at once
instead of hunting the pages a record appears on. The counter is bumped when the write
happens and again when its transaction commits: a reader who rendered the old rows
between the two cannot leave them cached under the new generation.

Pages that depend on the clock ("open now") live at most PUBLIC_PAGE_CACHE_SECONDS.
Another process sees a change within GENERATION_TTL (one second), see below.
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

GENERATION_KEY = "public-pages:generation"
# Apps whose rows appear on public pages. History tables live in the same apps and are
# written together with their rows, so they need no special case.
PUBLIC_APPS = frozenset({"territories", "plan", "services", "schools", "content", "associations"})


# Two levels: each process keeps recent pages in memory, in front of the shared cache
# (Redis in production). A hit then costs no network round trip; the generation counter
# is re-read from the shared cache at most every GENERATION_TTL seconds, which bounds how
# long another process may serve a page after a change (this process: not at all).
_local = LocMemCache("labimpact-public-pages", {"OPTIONS": {"MAX_ENTRIES": 1000, "CULL_FREQUENCY": 4}})
_memo = {"generation": None, "read_at": 0.0}
GENERATION_TTL = 1.0


def generation() -> int:
    now = time.monotonic()
    if _memo["generation"] is not None and now - _memo["read_at"] < GENERATION_TTL:
        return _memo["generation"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        # add() so that two processes starting together agree on the first value.
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    _memo.update(generation=int(value), read_at=now)
    return _memo["generation"]


def invalidate() -> None:
    """Make every cached public page stale."""
    _memo["generation"] = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the counter was never set or has been evicted
        cache.add(GENERATION_KEY, 1, timeout=None)
        cache.incr(GENERATION_KEY)


def _on_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label in PUBLIC_APPS:
        invalidate()
        transaction.on_commit(invalidate)


def _on_m2m_change(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        _on_change(type(instance))


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="public-pages-save")
    post_delete.connect(_on_change, dispatch_uid="public-pages-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="public-pages-m2m")


def _key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-pages:{generation()}:{get_language()}:{path}"


def _cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        # A message waiting for this reader would be shown on the page.
        and "messages" not in request.COOKIES
    )


def _cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The template asked for a CSRF token: the page holds a form bound to this reader.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
    )


def _freeze(response) -> tuple:
    # Bytes and headers pickle and load several times faster than an HttpResponse.
    return (response.status_code, response.content, dict(response.headers))


def _thaw(frozen: tuple) -> HttpResponse:
    status, content, headers = frozen
    return HttpResponse(content, status=status, headers=headers)


def public_page(view):
    """Serve a public view from the page cache when the reader is anonymous."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        frozen = _local.get(key)
        if frozen is None:
            frozen = cache.get(key)
            if frozen is not None:
                _local.set(key, frozen, seconds)
        if frozen is not None:
            return _thaw(frozen)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _cacheable_response(request, response):
            frozen = _freeze(response)
            cache.set(key, frozen, seconds)
            _local.set(key, frozen, seconds)
        return response

    return wrapper

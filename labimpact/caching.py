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
from collections.abc import Iterable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.utils.translation import get_language

from labimpact import fallback
from ops.cache import CacheUnavailable, on_recovery

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


def generation() -> int | None:
    """The current generation; while the shared cache does not answer, the last one this
    process read (None if it never read one: then no page is cached)."""
    now = time.monotonic()
    if _memo["generation"] is not None and now - _memo["read_at"] < GENERATION_TTL:
        return _memo["generation"]
    value = cache.get(GENERATION_KEY)
    if value is None:
        # add() so that two processes starting together agree on the first value.
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY)
    if value is None:
        # The shared cache is away: keep using this process's copy of the pages it has (they
        # live at most PUBLIC_PAGE_CACHE_SECONDS, and this process's own writes clear them),
        # rather than render every request from the database while the site is busiest.
        # None (no cache at all) when this process never read a generation.
        return _memo["generation"]
    _memo.update(generation=int(value), read_at=now)
    return _memo["generation"]


def invalidate() -> None:
    """Make every cached public page stale.

    When the cache does not answer, the invalidation is kept in the outbox (sent as a task
    once the broker is back) and this process bumps the generation as soon as the cache
    answers again (ops.cache.on_recovery): pages stored before the outage never come back.
    """
    known, _memo["generation"] = _memo["generation"], None
    try:
        try:
            cache.incr(GENERATION_KEY)
        except CacheUnavailable:
            raise
        except ValueError:  # the counter was never set or has been evicted
            cache.add(GENERATION_KEY, 1, timeout=None)
            cache.incr(GENERATION_KEY)
    except CacheUnavailable:
        # This process drops its own copies (it serves the change at once); the others
        # learn of it when the cache returns (on_recovery) or from the outbox task.
        _local.clear()
        _memo["generation"] = known
        _invalidate_later()


def _invalidate_later() -> None:
    from ops.models import OutboxMessage
    from ops.services import outbox_enqueue

    task = "ops.tasks.invalidate_public_pages"
    if not OutboxMessage.objects.filter(task=task).exists():
        outbox_enqueue(task=task)


def _after_outage() -> None:
    # Content may have changed (here or in another process) while the cache was away.
    _memo["generation"] = None
    _local.clear()
    invalidate()


on_recovery(_after_outage)


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


# Read by the footer of every page ("thank you" after a rating).
COMMON_PARAMS = ("valutazione",)


def _canonical_query(request, params) -> str:
    """The query string made of the parameters the page reads, in a fixed order."""
    wanted = sorted(set(params) | set(COMMON_PARAMS))
    return urlencode([(name, value) for name in wanted for value in request.GET.getlist(name)])


def _canonicalise(request, params) -> None:
    """Drop what the page does not read (`?utm_source=…`, random junk) before the view
    runs: the cache key, and every link the page builds from the request, see the same
    canonical query, so junk neither creates cache entries nor ends up in a shared page."""
    query = _canonical_query(request, params)
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def _key(request) -> str | None:
    current = generation()
    if current is None:
        return None
    # With a canonical SITE_URL absolute links do not depend on the Host header; without
    # one (local runs) the host is part of the key.
    host = "" if settings.SITE_URL else request.get_host()
    path = hashlib.sha256(f"{host}|{request.path}?{request.META.get('QUERY_STRING', '')}".encode()).hexdigest()
    # The reader's second language (labimpact/fallback.py) changes which texts a page shows;
    # validated, so a junk cookie cannot mint new entries.
    second = fallback.cookie_language(request) or "-"
    return f"public-pages:{current}:{get_language()}:{second}:{path}"


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


def public_page(view=None, *, params: Iterable[str] = ()):
    """Serve a public view from the page cache when the reader is anonymous.

    `params`: the query parameters the view reads (its filter form's fields, "page");
    any other parameter is dropped before the view runs. `@public_page` alone: none.
    """
    if view is None:
        return lambda view: public_page(view, params=params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if request.method in ("GET", "HEAD"):
            _canonicalise(request, params)
        if not seconds or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        if key is None:  # the shared cache is away: straight from the database
            return view(request, *args, **kwargs)
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

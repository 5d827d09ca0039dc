"""Fragment cache: pieces of public pages that many pages share, kept in each process.

Why, beside the page cache (labimpact/caching.py): a page is cached per URL, so a search
nobody made in the last minute renders from scratch, although its parts — a desk's card,
the search form's lists of services and languages — are the same on every search that shows
them. Rendering those parts is most of what a cache miss costs (templates, widgets, the
queries behind them), so each process keeps them, per language.

Why in the process and not in Redis: a fragment is a few hundred bytes, looked up several
times per page; a network round trip each would cost more than it saves.

Invalidation is the page cache's generation counter: every key carries it, so any change to
public content (signals in labimpact/caching.py) makes every fragment stale at once, in
this process at once and in the others within caching.GENERATION_TTL. With no shared cache
at all (no generation), nothing is kept. Fragments never hold anything that depends on the
clock or on the reader ("open now", a distance, a selected option): templates put those
around them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.utils.translation import get_language

from labimpact import caching

_local = LocMemCache("labimpact-fragments", {"OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 4}})


def _seconds() -> int:
    return getattr(settings, "FRAGMENT_CACHE_SECONDS", 600)


def _prefix(name: str) -> str | None:
    if not _seconds():
        return None
    generation = caching.generation()
    if generation is None:
        return None
    return f"{generation}:{name}:{get_language()}:"


def get_many(name: str, parts: Iterable[Hashable]) -> dict[Hashable, Any]:
    """The cached fragments `name` for each of `parts` (e.g. desk ids), in the active language."""
    prefix = _prefix(name)
    if prefix is None:
        return {}
    parts = list(parts)
    found = _local.get_many([f"{prefix}{part}" for part in parts])
    return {part: found[f"{prefix}{part}"] for part in parts if f"{prefix}{part}" in found}


def set_many(name: str, values: dict[Hashable, Any]) -> None:
    prefix = _prefix(name)
    if prefix is not None and values:
        _local.set_many({f"{prefix}{part}": value for part, value in values.items()}, _seconds())


def get_or_set(name: str, part: Hashable, compute: Callable[[], Any]) -> Any:
    """One fragment: from the cache, or computed now and kept."""
    prefix = _prefix(name)
    if prefix is None:
        return compute()
    key = f"{prefix}{part}"
    value = _local.get(key)
    if value is None:
        value = compute()
        _local.set(key, value, _seconds())
    return value


def clear() -> None:
    """Drop this process's fragments (tests)."""
    _local.clear()

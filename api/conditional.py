"""ETag and Last-Modified for every API answer, decided before any record is read.

A conditional request must be cheap (the benchmark: a 304 costs at most twice a bare view),
so the validators come from state the site already keeps: the public-content generation of
labimpact.caching (bumped by any change to desks, ambiti, categories...), plus the desks'
count and latest update, read once per generation per process. The ETag also carries the
language, the full URL, whether demo rows are shown and today's date (a desk's status changes
at midnight when a closure starts).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import get_language

from labimpact import caching
from services.models import Sportello

_memo: dict[int, tuple[dt.datetime, str]] = {}
SEEN_TIMEOUT = 30 * 86400


def _state() -> tuple[dt.datetime, str]:
    generation = caching.generation()
    hit = _memo.get(generation)
    if hit is not None:
        return hit
    desks = Sportello.objects.aggregate(latest=Max("updated_at"), count=Count("pk"))
    # When this generation began: the moment of the last change to any public record.
    now = timezone.now().replace(microsecond=0)
    cache.add(f"api:generation-seen:{generation}", now.timestamp(), timeout=SEEN_TIMEOUT)
    seen = dt.datetime.fromtimestamp(cache.get(f"api:generation-seen:{generation}", now.timestamp()), tz=dt.UTC)
    latest = desks["latest"] or seen
    state = (max(latest, seen).replace(microsecond=0), f"{generation}:{desks['count']}:{latest.timestamp()}")
    _memo.clear()
    _memo[generation] = state
    return state


def validators(request) -> tuple[str, dt.datetime]:
    """(ETag, Last-Modified) of the answer to `request` as things stand."""
    modified, fingerprint = _state()
    today = timezone.localdate()
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time.min)).astimezone(dt.UTC)
    key = "|".join(
        [fingerprint, get_language(), request.get_full_path(), today.isoformat(), str(settings.API_INCLUDE_DEMO), "v1"]
    )
    return f'W/"{hashlib.sha256(key.encode()).hexdigest()[:32]}"', max(modified, midnight)

"""Repeating events: a small subset of RFC 5545 RRULE (weekly or monthly, until a date or N times).

Occurrences are computed in Europe/Rome wall time, so a Tuesday 18:00 course stays at 18:00
when the clocks change; the iCalendar feed says the same with DTSTART;TZID and the rule.
"""

from __future__ import annotations

import datetime as dt
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.utils import timezone

ROME = ZoneInfo(settings.TIME_ZONE)
FREQUENCIES = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
# A bound for rules that are valid but would run for years (until in 2099).
MAX_OCCURRENCES = 520


def until_utc(event) -> dt.datetime | None:
    """UNTIL as RFC 5545 wants it with a zoned DTSTART: a UTC time, the end of that local day."""
    if not event.recurrence_until:
        return None
    local = dt.datetime.combine(event.recurrence_until, dt.time(23, 59, 59), tzinfo=ROME)
    return local.astimezone(dt.UTC)


def rule_parts(event) -> dict | None:
    """The RRULE of an event as icalendar's vRecur wants it, or None."""
    if not event.recurrence:
        return None
    parts = {"FREQ": event.recurrence}
    if event.recurrence_count:
        parts["COUNT"] = event.recurrence_count
    else:
        parts["UNTIL"] = until_utc(event)
    return parts


def _starts(event):
    """Start times (naive, Rome wall time) of every occurrence."""
    start = timezone.localtime(event.start, ROME).replace(tzinfo=None)
    if not event.recurrence:
        return [start]
    kwargs = {"dtstart": start}
    if event.recurrence_count:
        kwargs["count"] = event.recurrence_count
    else:
        kwargs["until"] = dt.datetime.combine(event.recurrence_until, dt.time(23, 59, 59))
    # RFC 5545 forbids COUNT with UNTIL: bound a far-away UNTIL here instead.
    return islice(rrule.rrule(FREQUENCIES[event.recurrence], **kwargs), MAX_OCCURRENCES)


def _aware(naive: dt.datetime) -> dt.datetime:
    return naive.replace(tzinfo=ROME)


def occurrences(event, after: dt.datetime | None = None, limit: int = 10) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of the next `limit` occurrences that end after `after` (default: now)."""
    after = after or timezone.now()
    duration = event.end - event.start
    found = []
    for naive in _starts(event):
        start = _aware(naive)
        if start + duration > after:
            found.append((start, start + duration))
            if len(found) >= limit:
                break
    return found


def series_end(event) -> dt.datetime:
    """When the last occurrence ends."""
    if not event.recurrence or not (event.recurrence_count or event.recurrence_until):
        return event.end
    last = None
    for last in _starts(event):  # noqa: B007 — the loop is the point: rrule has no cheap last()
        pass
    return _aware(last) + (event.end - event.start)

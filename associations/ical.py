"""iCalendar feeds of published events (RFC 5545 through the `icalendar` library).

Times carry TZID=Europe/Rome with its VTIMEZONE, so calendar apps keep a weekly 18:00 at
18:00 across the clock changes; UIDs are stable (`event-<pk>@<host>`), so re-importing or
subscribing updates events instead of duplicating them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, vRecur
from icalendar import Event as VEvent

from associations import recurrence
from labimpact.site_url import offline_origin


def _host() -> str:
    return urlsplit(offline_origin()).hostname or "labimpact.invalid"


def event_uid(event) -> str:
    return f"event-{event.pk}@{_host()}"


def calendar(events, *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Regione Lombardia//Lab'Impact//IT")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        item = VEvent()
        item.add("uid", event_uid(event))
        item.add("dtstamp", event.updated_at)
        item.add("last-modified", event.updated_at)
        item.add("dtstart", timezone.localtime(event.start, recurrence.ROME))
        item.add("dtend", timezone.localtime(event.end, recurrence.ROME))
        rule = recurrence.rule_parts(event)
        if rule:
            item.add("rrule", vRecur(rule))
        item.add("summary", event.title)
        if event.description:
            item.add("description", event.description)
        where = ", ".join(part for part in (event.place, event.comune.name if event.comune_id else "") if part)
        item.add("location", where)
        item.add("url", offline_origin() + event.get_absolute_url())
        cal.add_component(item)
    cal.add_missing_timezones()
    return cal.to_ical()


def response(events, *, name: str, filename: str) -> HttpResponse:
    answer = HttpResponse(calendar(events, name=name), content_type="text/calendar; charset=utf-8")
    answer["Content-Disposition"] = f'inline; filename="{filename}"'
    return answer

"""Reads behind the association and event pages and feeds."""

from __future__ import annotations

from django.utils import timezone

from associations.models import Association, Event
from territories.models import Comune


def association_list(data: dict | None):
    """Published associations for validated filters (None: all of them)."""
    associations = Association.objects.published().for_listing().order_by("name")
    if not data:
        return associations
    if data.get("ambito"):
        associations = associations.filter(ambito=data["ambito"])
    if data.get("comune"):
        comuni = Comune.objects.search(data["comune"]).values("pk")
        associations = associations.filter(comune__in=comuni)
    if data.get("topic"):
        associations = associations.filter(topics=data["topic"])
    if data.get("language"):
        associations = associations.filter(languages=data["language"])
    if data.get("kind"):
        associations = associations.filter(kind=data["kind"])
    return associations


def _filtered_events(data: dict | None):
    events = Event.objects.published().for_listing()
    if not data:
        return events
    if data.get("ambito"):
        events = events.filter(ambito=data["ambito"])
    if data.get("language"):
        events = events.filter(languages=data["language"])
    if data.get("audience"):
        events = events.filter(audience=data["audience"])
    if data.get("free"):
        events = events.filter(is_free=True)
    return events


def upcoming(events, now=None) -> list[tuple[Event, tuple]]:
    """(event, (start, end) of its next occurrence), soonest first."""
    now = now or timezone.now()
    rows = [(event, event.next_occurrence(after=now)) for event in events.upcoming(now)]
    return sorted([row for row in rows if row[1]], key=lambda row: row[1][0])


def event_list(data: dict | None, *, past: bool = False, now=None):
    events = _filtered_events(data)
    if past:
        return [(event, (event.start, event.end)) for event in events.past(now).order_by("-start")]
    return upcoming(events, now)

"""Is a desk open now, and if not, when does it open? Computed in Europe/Rome time.

Works on a desk whose slots and closures are prefetched (the search page lists many), so it
runs no query of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from services.models import OpeningMode, Sportello, Weekday

ROME = ZoneInfo("Europe/Rome")
LOOKAHEAD_DAYS = 21  # beyond three weeks of closures, "closed" says enough


@dataclass(frozen=True)
class OpeningStatus:
    is_open: bool
    state: str  # open | opens_later | closed | appointment_only | temporarily_closed | no_hours
    label: str
    next_open: dt.datetime | None = None


def _closed_on(sportello: Sportello, day: dt.date) -> bool:
    return any(c.start_date <= day <= c.end_date for c in sportello.closures.all())


def _slots_on(sportello: Sportello, day: dt.date):
    return [s for s in sportello.slots.all() if s.weekday == day.weekday()]


def next_opening(sportello: Sportello, now: dt.datetime) -> dt.datetime | None:
    for offset in range(LOOKAHEAD_DAYS):
        day = now.date() + dt.timedelta(days=offset)
        if _closed_on(sportello, day):
            continue
        for slot in sorted(_slots_on(sportello, day), key=lambda s: s.opens):
            start = dt.datetime.combine(day, slot.opens, tzinfo=ROME)
            if start > now:
                return start
    return None


def status(sportello: Sportello, now: dt.datetime | None = None) -> OpeningStatus:
    now = (now or timezone.now()).astimezone(ROME)
    mode = sportello.opening_mode
    if mode == OpeningMode.TEMPORARILY_CLOSED:
        if sportello.reopening_date:
            label = _("Temporaneamente chiuso: riapre il %(date)s") % {
                "date": sportello.reopening_date.strftime("%d/%m/%Y")
            }
        else:
            label = _("Temporaneamente chiuso")
        return OpeningStatus(False, "temporarily_closed", label)
    if mode == OpeningMode.APPOINTMENT_ONLY:
        return OpeningStatus(False, "appointment_only", _("Solo su appuntamento"))
    if not sportello.slots.all():
        return OpeningStatus(False, "no_hours", _("Orari non indicati: contatta lo sportello"))
    if not _closed_on(sportello, now.date()):
        for slot in _slots_on(sportello, now.date()):
            if slot.opens <= now.time() < slot.closes:
                label = _("Aperto ora, fino alle %(time)s") % {"time": slot.closes.strftime("%H:%M")}
                return OpeningStatus(True, "open", label)
    upcoming = next_opening(sportello, now)
    if upcoming is None:
        return OpeningStatus(False, "closed", _("Chiuso"))
    if upcoming.date() == now.date():
        label = _("Chiuso ora, apre alle %(time)s") % {"time": upcoming.strftime("%H:%M")}
        return OpeningStatus(False, "opens_later", label, upcoming)
    label = _("Chiuso ora, apre %(day)s alle %(time)s") % {
        "day": Weekday(upcoming.weekday()).label,
        "time": upcoming.strftime("%H:%M"),
    }
    return OpeningStatus(False, "closed", label, upcoming)


def weekly_table(sportello: Sportello) -> list[dict]:
    """One row per weekday with its slots, for the desk page."""
    rows = []
    for day in Weekday:
        slots = [s for s in sportello.slots.all() if s.weekday == day.value]
        rows.append({"day": day.label, "slots": sorted(slots, key=lambda s: s.opens)})
    return rows


def upcoming_closures(sportello: Sportello, today: dt.date | None = None) -> list:
    today = today or timezone.now().astimezone(ROME).date()
    return [c for c in sportello.closures.all() if c.end_date >= today]

"""The published desks, held in each process's memory for the desk search.

Why: a search nobody made in the last minute misses the page cache, and building, compiling
and reading the desk query through the ORM (with its distance expression, the "serving"
subquery and two prefetches) cost a miss about 10 ms of CPU, most of the page. The directory
of published desks is small (tens to a few hundred rows) and changes only when an editor
saves, so each process loads it once per generation of the public pages (labimpact/caching.py:
any change to public content starts a new one, here at once and in other processes within
caching.GENERATION_TTL) and filters, sorts and measures distances in Python.

What it answers is what services.querysets answers for the same search (published,
serving, in_category, speaking, nearest, with_distance; tests/test_desk_directory.py
compares them), except "open now", which is decided by services.opening.status: the same
rule the list shows next to each desk, so the filter and the label never disagree.

The Sportello objects here are shared by every request of the process: read them, never
set attributes on them (a search's distances travel beside them, in Listed). They are
kept here rather than in labimpact.fragments, whose LocMemCache pickles every value:
unpickling the whole directory on each search would cost more than the query it saves.

Names sort as the database's collation would have them at best, whatever its setting: case,
accents and marks ignored (sitesearch.text.normalize), letters of every script kept, so an
Arabic list sorts by its Arabic names and "Árbol" comes before "banco".
"""

from __future__ import annotations

import copy
import datetime as dt
import threading
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from labimpact import caching
from services import opening
from sitesearch.text import normalize  # case, accents and marks ignored, in any script
from territories.geo import haversine_km


@dataclass(frozen=True)
class Entry:
    desk: object  # services.models.Sportello, with comune, slots and closures loaded
    ambito_id: int
    served: frozenset[int]  # comuni the desk serves explicitly, besides its ambito's
    categories: frozenset[str]  # ServiceCategory keys
    languages: frozenset[str]  # Language codes
    point: tuple[float, float] | None  # the desk's own point, else its comune's seat
    comune_key: str  # its comune's name, normalised: the list's first sort key


class Listed:
    """A desk as one search lists it, with its distance from the searched place (km) or None.

    Reads as the desk itself (`listed.slug`, `listed.comune.name`…), so the list template and
    the cards need not know where it came from, while the distance stays off the desk object
    that every request of the process shares.
    """

    __slots__ = ("desk", "distance_km")

    def __init__(self, desk, distance_km: float | None = None):
        self.desk = desk
        self.distance_km = distance_km

    def __getattr__(self, name):
        return getattr(self.desk, name)

    def __repr__(self) -> str:
        return f"<Listed {self.desk!r} {self.distance_km}>"


_lock = threading.Lock()
_state: dict = {"generation": None, "entries": None, "comuni": None}


def _load() -> list[Entry]:
    from services.models import Sportello

    # for_status: what "open now" reads; the rest is what the filters read.
    desks = Sportello.objects.published().for_status().prefetch_related("served_comuni", "categories", "languages")
    entries = []
    for desk in desks:
        if desk.latitude is not None and desk.longitude is not None:
            point = (float(desk.latitude), float(desk.longitude))
        elif desk.comune.latitude is not None and desk.comune.longitude is not None:
            point = (float(desk.comune.latitude), float(desk.comune.longitude))
        else:
            point = None
        entries.append(
            Entry(
                desk=desk,
                ambito_id=desk.ambito_id,
                served=frozenset(c.pk for c in desk.served_comuni.all()),
                categories=frozenset(c.key for c in desk.categories.all()),
                languages=frozenset(lang.code for lang in desk.languages.all()),
                point=point,
                comune_key=normalize(desk.comune.name),
            )
        )
    return entries


def _current(key: str, load):
    """The state's `key` for the current generation of public pages, loaded when missing.
    With no shared cache (no generation) nothing can tell when it is stale: read every time."""
    generation = caching.generation()
    if generation is None:
        return load()
    with _lock:
        if _state["generation"] != generation:
            _state.update(generation=generation, entries=None, comuni=None)
        value = _state[key]
    if value is None:
        value = load()
        with _lock:
            if _state["generation"] == generation:
                _state[key] = value
    return value


def entries() -> list[Entry]:
    """Every published desk."""
    return _current("entries", _load)


# What the search page shows of a comune and its ambito.
COMUNE_FIELDS = ("name", "istat_code", "latitude", "longitude", "ambito__name", "ambito__slug")


def _load_comuni() -> dict:
    from territories.models import Comune

    rows = Comune.objects.select_related("ambito").only(*COMUNE_FIELDS)
    by_pk = {comune.pk: comune for comune in rows}
    return {"pk": by_pk, "istat": {comune.istat_code: comune.pk for comune in by_pk.values()}}


def comune(pk: int | None = None, *, istat_code: str | None = None):
    """A comune with its ambito, by key or ISTAT code (None when there is none), as a copy the
    caller may annotate: the 1,502 comuni are read once per generation, not on every search."""
    comuni = _current("comuni", _load_comuni)
    if istat_code is not None:
        pk = comuni["istat"].get(istat_code)
    found = comuni["pk"].get(pk)
    return copy.copy(found) if found is not None else None


def _name_key(desk, language: str) -> tuple[int, str]:
    # As the ORM's order_by("name"): the active language's column, empty names last.
    name = getattr(desk, build_localized_fieldname("name", language), None) or ""
    return (0 if name else 1, normalize(name))


def in_list_order(items: list[Entry]) -> list[Entry]:
    """By comune, then by name in the active language (the list's order)."""
    language = get_language() or settings.LANGUAGE_CODE
    return sorted(items, key=lambda e: (e.comune_key, _name_key(e.desk, language), e.desk.pk))


def serves(entry: Entry, comune) -> bool:
    """The rule of SportelloQuerySet.serving: the comune's ambito's desks and those serving it."""
    return (comune.ambito_id is not None and entry.ambito_id == comune.ambito_id) or comune.pk in entry.served


def find(
    *,
    comune=None,
    origin: tuple[float, float] | None = None,
    nearest: int | None = None,
    category: str | None = None,
    language: str | None = None,
    open_at: dt.datetime | None = None,
) -> list[Listed]:
    """Published desks serving `comune` (all when None), speaking `language`, offering
    `category`, open at `open_at`; with their distance from `origin` when given. With
    `nearest`, the `nearest` closest desks that have a point, closest first; otherwise in
    list order."""
    found = entries()
    if comune is not None and not nearest:
        found = [e for e in found if serves(e, comune)]
    if category:
        found = [e for e in found if category in e.categories]
    if language:
        found = [e for e in found if language in e.languages]
    if open_at is not None:
        found = [e for e in found if opening.status(e.desk, open_at).is_open]
    if nearest:
        measured = [(haversine_km(*origin, *e.point), e) for e in found if e.point is not None]
        language_code = get_language() or settings.LANGUAGE_CODE
        measured.sort(key=lambda pair: (pair[0], _name_key(pair[1].desk, language_code), pair[1].desk.pk))
        return [Listed(e.desk, distance) for distance, e in measured[:nearest]]
    return [
        Listed(e.desk, haversine_km(*origin, *e.point) if origin is not None and e.point is not None else None)
        for e in in_list_order(found)
    ]


def has_desks(comune) -> bool:
    """Whether any published desk serves the comune."""
    return any(serves(e, comune) for e in entries())

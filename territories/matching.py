"""Forgiving comune names: what a reader types against the 1,502 official names.

People write "sesto s. giovanni", "S.Giovanni", "cornate dadda", "Seto San Giovanni" or
"Cremna". Three keys meet them, tried in order:

1. the fold (common.text.fold: no case, accents, apostrophes or spaces);
2. the *short form*: the name cut into words, the words that Italian place names abbreviate
   (San/Santo/Santa/Sant'/S./Sta/Sto/Ss./Santi; di/d') replaced by one letter each, then folded:
   "Sesto San Giovanni" and "sesto s. giovanni" both become "sestosgiovanni";
3. a typo-tolerant comparison of short forms (difflib ratio ≥ FUZZY_CUTOFF) when 1 and 2 find
   nothing, giving a "did you mean" list.

The names live in process memory (about 100 KB): a search costs no query until the matching
rows are read by primary key. The index is dropped when a comune is saved or deleted and after
`load_reference`, and rebuilt on the next search.
"""

from __future__ import annotations

import difflib
import re
import threading
import unicodedata
from dataclasses import dataclass

from common.text import fold

FUZZY_CUTOFF = 0.82
MAX_FUZZY = 8
# The longest short form of a Lombardy comune has 27 letters: beyond this a term is no typo
# of a name, and comparing it with 1,500 names would only cost time.
MAX_FUZZY_LENGTH = 40

# Words Italian place names shorten, each mapped to the letter its abbreviation keeps.
_SHORT_WORDS = {
    "san": "s",
    "santo": "s",
    "santa": "s",
    "sant": "s",
    "s": "s",
    "st": "s",
    "sta": "s",
    "sto": "s",
    "ss": "s",
    "santi": "s",
    "di": "d",
    "d": "d",
}
_WORD = re.compile(r"[a-z0-9]+")


def short_form(value: str) -> str:
    """The name with its abbreviable words reduced to one letter, folded."""
    decomposed = unicodedata.normalize("NFKD", value or "").lower()
    ascii_text = "".join(ch for ch in decomposed if ch.isascii())
    return "".join(_SHORT_WORDS.get(word, word) for word in _WORD.findall(ascii_text))


@dataclass(frozen=True)
class Match:
    pk: int
    exact: bool
    fuzzy: bool = False
    score: float = 1.0


@dataclass(frozen=True)
class _Name:
    pk: int
    name: str
    folded: str
    short: str


_lock = threading.Lock()
_names: list[_Name] | None = None


def forget(**_kwargs) -> None:
    """Drop the index (a comune changed); the next search reads the names again."""
    global _names
    with _lock:
        _names = None


def _index() -> list[_Name]:
    global _names
    names = _names
    if names is None:
        from territories.models import Comune

        rows = Comune.objects.order_by("name").values_list("pk", "name")
        names = [_Name(pk, name, fold(name), short_form(name)) for pk, name in rows]
        with _lock:
            _names = names
    return names


def match(term: str) -> list[Match]:
    """Comuni for `term`, best first: exact names, then names containing it, then near misses."""
    folded, short = fold(term), short_form(term)
    if len(folded) < 2:
        return []
    names = _index()
    exact, partial = [], []
    for n in names:
        if n.folded == folded or n.short == short:
            exact.append(Match(n.pk, exact=True))
        elif folded in n.folded or (len(short) >= 2 and short in n.short):
            partial.append(Match(n.pk, exact=False))
    if exact or partial:
        return exact + partial
    if not 4 <= len(short) <= MAX_FUZZY_LENGTH:
        return []
    by_short: dict[str, list[int]] = {}
    for n in names:
        by_short.setdefault(n.short, []).append(n.pk)
    close = difflib.get_close_matches(short, by_short, n=MAX_FUZZY, cutoff=FUZZY_CUTOFF)
    return [
        Match(pk, exact=False, fuzzy=True, score=difflib.SequenceMatcher(None, short, key).ratio())
        for key in close
        for pk in by_short[key]
    ]

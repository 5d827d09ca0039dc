"""Reads of the site search.

Ranking, best first (tests/test_sitesearch_ranking.py):

1. items whose *title* has the words, before items that only mention them in the text: a
   reader typing "permesso" wants "Rinnovare il permesso di soggiorno", not every desk whose
   description says it helps with permits;
2. within each of those two groups, by kind: guides (the procedure step by step) and
   materials before news, events and associations, and desks last — a desk is where to go
   once the reader knows what to do, and the guide links its desks;
3. then the full-text rank (title words weigh more than body words, long texts do not win
   by repeating a word), then the title alphabetically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from sitesearch.models import Entry, Kind
from sitesearch.text import is_unspaced_script, normalize

MAX_TERMS = 8
# Order of the kinds among equally good matches: procedures first, desks last.
KIND_ORDER = (Kind.GUIDE, Kind.MATERIAL, Kind.NEWS, Kind.EVENT, Kind.ASSOCIATION, Kind.DESK)
# ts_rank normalisation 1: the rank is divided by 1 + log(length), so a long description that
# repeats a word does not outrank a short title that names it.
RANK_NORMALIZATION = 1
# Little words a reader types ("rinnovo del permesso di soggiorno") that a title may not
# share ("Rinnovare il permesso"): not required unless the query has nothing else.
# fmt: off
STOPWORDS = frozenset({
    "a", "ad", "al", "alla", "allo", "ai", "agli", "alle", "con", "da", "dal", "dalla", "dai", "di", "del",
    "della", "dello", "dei", "degli", "delle", "e", "ed", "il", "in", "la", "le", "lo", "gli", "i", "nel",
    "nella", "per", "su", "sul", "sulla", "tra", "un", "uno", "una",
})
# fmt: on


@dataclass
class SearchResults:
    query: str
    entries: QuerySet | list


def _tsquery(terms: list[str]) -> SearchQuery:
    # Every word must appear, each as a word prefix: the stems of _terms(), and the last word
    # ("permess" finds "permesso"), which also serves readers still typing. Terms are
    # normalised to letters and digits, so nothing reaches to_tsquery's own syntax.
    raw = " & ".join(f"{term}:*" for term in terms)
    return SearchQuery(raw, config="simple", search_type="raw")


def _stem(term: str) -> str:
    """A crude stem for Latin-script words: "rinnovo" and "rinnovare" share "rinno", "permesso"
    and "permessi" share "permes". The index has no language-specific stemmer (it serves ten
    languages), and the tail of a Romance word is mostly its ending."""
    if term.isascii() and term.isalpha() and len(term) >= 6:
        return term[: len(term) - 2]
    return term


def _terms(text: str) -> list[str]:
    words = [t for t in text.split() if t]
    content = [w for w in words if w not in STOPWORDS]
    return [_stem(w) for w in (content or words)][:MAX_TERMS]


def _kind_order() -> Case:
    return Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_ORDER)],
        default=Value(len(KIND_ORDER)),
        output_field=IntegerField(),
    )


def _title_has_all(terms: list[str]) -> Case:
    """1 when the normalised title has a word starting with each term, else 0.

    Terms are letters and digits only (sitesearch.text.normalize), safe inside a pattern.
    """
    condition = Q()
    for term in terms:
        condition &= Q(title_text__regex=rf"(^| ){re.escape(term)}")
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def search(query: str, language: str, now=None) -> SearchResults:
    """Published items in `language` matching every word of `query`, best first."""
    text = normalize(query)[:200]
    terms = _terms(text)
    entries = Entry.objects.filter(language=language).filter(
        Q(visible_from__isnull=True) | Q(visible_from__lte=now or timezone.now())
    )
    if not terms:
        return SearchResults(query=query, entries=[])
    if connection.vendor == "postgresql" and not is_unspaced_script(text):
        tsquery = _tsquery(terms)
        entries = (
            entries.filter(vector=tsquery)
            .annotate(
                in_title=_title_has_all(terms),
                kind_order=_kind_order(),
                rank=SearchRank(F("vector"), tsquery, normalization=Value(RANK_NORMALIZATION)),
            )
            .order_by("-in_title", "kind_order", "-rank", "title")
        )
    else:
        for term in terms:
            entries = entries.filter(text__contains=term)
        title_has_all = Q()
        for term in terms:
            title_has_all &= Q(title_text__contains=term)
        entries = entries.annotate(
            in_title=Case(When(title_has_all, then=Value(1)), default=Value(0), output_field=IntegerField()),
            kind_order=_kind_order(),
        ).order_by("-in_title", "kind_order", "title")
    return SearchResults(query=query, entries=entries)

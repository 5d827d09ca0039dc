"""Reads of the site search."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from sitesearch.models import Entry
from sitesearch.text import is_unspaced_script, normalize

MAX_TERMS = 8


@dataclass
class SearchResults:
    query: str
    entries: QuerySet | list


def _tsquery(terms: list[str]) -> SearchQuery:
    # Every word must appear; the last may be a prefix ("permess" finds "permesso"), which
    # also serves readers still typing. Terms are normalised to letters and digits, so
    # nothing reaches to_tsquery's own syntax.
    raw = " & ".join([*terms[:-1], f"{terms[-1]}:*"])
    return SearchQuery(raw, config="simple", search_type="raw")


def search(query: str, language: str, now=None) -> SearchResults:
    """Published items in `language` matching every word of `query`, best first."""
    text = normalize(query)[:200]
    terms = [t for t in text.split() if t][:MAX_TERMS]
    entries = Entry.objects.filter(language=language).filter(
        Q(visible_from__isnull=True) | Q(visible_from__lte=now or timezone.now())
    )
    if not terms:
        return SearchResults(query=query, entries=[])
    if connection.vendor == "postgresql" and not is_unspaced_script(text):
        tsquery = _tsquery(terms)
        entries = (
            entries.filter(vector=tsquery)
            .annotate(rank=SearchRank(F("vector"), tsquery))
            .order_by("-rank", "kind", "title")
        )
    else:
        for term in terms:
            entries = entries.filter(text__contains=term)
        entries = entries.order_by("kind", "title")
    return SearchResults(query=query, entries=entries)

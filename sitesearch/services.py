"""Writes of the search index: rebuild the rows of one item, or of everything."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.utils import translation
from django.utils.text import Truncator

from sitesearch.models import Entry
from sitesearch.sources import SOURCES, localized
from sitesearch.text import normalize

SNIPPET_WORDS = 30


def _entries(source, obj) -> list[Entry]:
    entries = []
    for language, _name in settings.LANGUAGES:
        title, title_fallback = localized(obj, source.title, language)
        bodies = [localized(obj, name, language) for name in source.body]
        summary = next((text for text, _fallback in bodies if text.strip()), "")
        words = [title, *(text for text, _f in bodies), *source.related_words(obj, language)]
        with translation.override(language):
            url = obj.get_absolute_url()
        entries.append(
            Entry(
                kind=source.kind,
                object_id=obj.pk,
                language=language,
                title=Truncator(title).chars(300),
                snippet=Truncator(summary).words(SNIPPET_WORDS),
                url=url,
                is_fallback=title_fallback,
                is_demo=getattr(obj, "is_demo", False),
                visible_from=source.visible_from(obj),
                title_text=normalize(title),
                text=normalize(" ".join(w for w in words if w)),
            )
        )
    return entries


def _write_vectors(queryset) -> None:
    if connection.vendor == "postgresql":
        # 'simple': no stemming that would suit one language and break the nine others;
        # the text is normalised already, so accents and case do not matter.
        queryset.update(
            vector=SearchVector("title_text", config="simple", weight="A")
            + SearchVector("text", config="simple", weight="B")
        )


@transaction.atomic
def entry_index(*, kind: str, object_id: int) -> int:
    """Rebuild the index rows of one item (none if it is no longer published). Returns the count."""
    source = SOURCES[kind]
    Entry.objects.filter(kind=kind, object_id=object_id).delete()
    obj = source.published().filter(pk=object_id).first()
    if obj is None:
        return 0
    Entry.objects.bulk_create(_entries(source, obj))
    _write_vectors(Entry.objects.filter(kind=kind, object_id=object_id))
    return len(settings.LANGUAGES)


@transaction.atomic
def index_rebuild() -> int:
    """Rebuild the whole index from the published content."""
    Entry.objects.all().delete()
    entries = []
    for source in SOURCES.values():
        for obj in source.published():
            entries.extend(_entries(source, obj))
    Entry.objects.bulk_create(entries, batch_size=500)
    _write_vectors(Entry.objects.all())
    return len(entries)

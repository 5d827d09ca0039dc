"""What the site search indexes: for each kind, its published rows and their words.

Adding a kind means adding a Source here; the indexer, the signals and the search page
read this table only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from modeltranslation.utils import build_localized_fieldname

from sitesearch.models import Kind


def localized(obj: models.Model, name: str, language: str) -> tuple[str, bool]:
    """The text of a translated field in `language`, else the Italian one (flagged as such)."""
    if not hasattr(obj, build_localized_fieldname(name, "it")):
        # A field that is the same in every language (an association's own name).
        return getattr(obj, name, "") or "", False
    text = getattr(obj, build_localized_fieldname(name, language), "") or ""
    if text.strip() or language == "it":
        return text, False
    return getattr(obj, build_localized_fieldname(name, "it"), "") or "", True


@dataclass(frozen=True)
class Source:
    kind: str
    model: Callable[[], type[models.Model]]  # imported lazily: apps load in any order
    published: Callable[[], models.QuerySet]
    title: str
    body: tuple[str, ...]
    # Words that are the same in every language (comune, address) or come from related rows.
    related_words: Callable[[models.Model, str], Iterable[str]] = lambda obj, language: ()
    visible_from: Callable[[models.Model], object] = lambda obj: None
    # Other models whose changes re-index a row of this kind: label → attribute with its id.
    parents: dict[str, str] = field(default_factory=dict)


def _desk_model():
    from services.models import Sportello

    return Sportello


def _desks():
    return _desk_model().objects.published().prefetch_related("categories", "languages").select_related("comune")


def _desk_extra(desk, language):
    yield desk.comune.name
    yield desk.address
    for category in desk.categories.all():
        yield localized(category, "name", language)[0]
    for spoken in desk.languages.all():
        yield localized(spoken, "name", language)[0]


def _guide_model():
    from services.models import Guide

    return Guide


def _guides():
    return _guide_model().objects.published().prefetch_related("steps")


def _guide_extra(guide, language):
    for step in guide.steps.all():
        for name in ("title", "body", "checklist"):
            yield localized(step, name, language)[0]


def _material_model():
    from content.models import Material

    return Material


def _materials():
    return _material_model().objects.published().with_files()


def _news_model():
    from content.models import News

    return News


def _news():
    # Scheduled news are indexed already and shown from their date (visible_from).
    return _news_model().objects.filter(is_published=True)


def _association_model():
    from associations.models import Association

    return Association


def _associations():
    return _association_model().objects.published().for_listing()


def _association_extra(association, language):
    yield association.name
    yield association.comune.name
    yield association.communities
    yield str(association.get_kind_display())
    for topic in association.topics.all():
        yield str(topic)
    for spoken in association.languages.all():
        yield localized(spoken, "name", language)[0]


def _event_model():
    from associations.models import Event

    return Event


def _events():
    # Past events stay findable (their page says they are over).
    return _event_model().objects.published().for_listing()


def _event_extra(event, language):
    yield event.place
    if event.comune_id:
        yield event.comune.name
    yield str(event.organiser)


SOURCES: dict[str, Source] = {
    Kind.DESK: Source(
        kind=Kind.DESK,
        model=_desk_model,
        published=_desks,
        title="name",
        body=("description", "audience", "how_to_access", "what_to_bring", "what_you_get"),
        related_words=_desk_extra,
    ),
    Kind.GUIDE: Source(
        kind=Kind.GUIDE,
        model=_guide_model,
        published=_guides,
        title="title",
        body=("summary",),
        related_words=_guide_extra,
        parents={"services.guidestep": "guide_id"},
    ),
    Kind.MATERIAL: Source(
        kind=Kind.MATERIAL,
        model=_material_model,
        published=_materials,
        title="title",
        body=("description",),
        parents={"content.materialfile": "material_id"},
    ),
    Kind.NEWS: Source(
        kind=Kind.NEWS,
        model=_news_model,
        published=_news,
        title="title",
        body=("summary", "body"),
        visible_from=lambda news: news.published_at,
    ),
    Kind.ASSOCIATION: Source(
        kind=Kind.ASSOCIATION,
        model=_association_model,
        published=_associations,
        title="name",
        body=("description",),
        related_words=_association_extra,
    ),
    Kind.EVENT: Source(
        kind=Kind.EVENT,
        model=_event_model,
        published=_events,
        title="title",
        body=("description",),
        related_words=_event_extra,
    ),
}

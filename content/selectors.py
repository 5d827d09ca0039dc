"""Reads behind the public pages of materials and news."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

from content.models import Material, MaterialFile, News

# The news filter's value for news without an ambito.
REGIONAL = "regione"
SITE_LANGUAGE_ORDER = {code: position for position, (code, _name) in enumerate(settings.LANGUAGES)}


@dataclass
class MaterialEntry:
    material: Material
    file: MaterialFile | None  # the file in the reader's language, if there is one
    others: list[MaterialFile] = field(default_factory=list)  # the other languages, in the site's order


@dataclass
class MaterialListing:
    in_language: list[MaterialEntry]  # what the reader can read in their own language
    elsewhere: list[MaterialEntry]  # materials that exist only in other languages

    def __bool__(self) -> bool:
        return bool(self.in_language or self.elsewhere)


def material_listing(*, language: str, category=None) -> MaterialListing:
    """Published materials split by whether a file exists in `language` (three queries)."""
    materials = Material.objects.published().with_files().for_listing().order_by("title_it", "pk")
    if category is not None:
        materials = materials.in_category(category.key)
    listing = MaterialListing(in_language=[], elsewhere=[])
    for material in materials:
        files = sorted(
            material.files.all(), key=lambda f: SITE_LANGUAGE_ORDER.get(f.language, len(SITE_LANGUAGE_ORDER))
        )
        own = next((f for f in files if f.language == language), None)
        entry = MaterialEntry(material=material, file=own, others=[f for f in files if f is not own])
        (listing.in_language if own else listing.elsewhere).append(entry)
    return listing


def news_list(*, ambito_filter: str = "") -> QuerySet[News]:
    """Published news, newest first; "regione" keeps the regional ones, a slug one ambito's."""
    news = News.objects.published().select_related("ambito").newest_first()
    if ambito_filter == REGIONAL:
        return news.regional()
    if ambito_filter:
        return news.filter(ambito__slug=ambito_filter)
    return news

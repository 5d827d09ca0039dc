"""The site-search index: one row per public item and language, derived from the content.

Why a table of its own: the reader's language decides which translated fields are
searched, Italian fills the gaps, and desks, guides, materials and news are searched and
ranked together. Rows are rebuilt from the source after every change (signals → a task
taking the IDs), never edited by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DESK = "desk", _("Sportelli")
    GUIDE = "guide", _("Guide")
    MATERIAL = "material", _("Materiali")
    NEWS = "news", _("Notizie")
    ASSOCIATION = "association", _("Associazioni")
    EVENT = "event", _("Eventi")


class Entry(models.Model):
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(_("lingua"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("titolo"), max_length=300)
    snippet = models.TextField(_("estratto"), blank=True)
    url = models.CharField(max_length=300)
    # The title and snippet are the Italian text (no translation in this language yet).
    is_fallback = models.BooleanField(default=False)
    is_demo = models.BooleanField(default=False)
    visible_from = models.DateTimeField(null=True, blank=True)
    # Normalised title, and title with body (sitesearch.text.normalize); on PostgreSQL
    # their tsvector, title words weighing more, with a GIN index (migration 0002).
    # Other databases match the text.
    title_text = models.TextField(blank=True)
    text = models.TextField(blank=True)
    vector = SearchVectorField(null=True, blank=True)

    class Meta:
        verbose_name = _("voce dell'indice di ricerca")
        verbose_name_plural = _("indice di ricerca")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "language"], name="sitesearch_one_entry_per_language")
        ]
        indexes = [models.Index(fields=["language", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.language})"

"""The migrant's topics: what a newcomer comes for, and where each one leads.

A topic is a service category with its guide. The home page shows one tile per topic; the
tile submits the comune typed above it with the topic's category, so the reader lands on the
matching desks in one tap.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from services.models import Guide, ServiceCategory

# The order of the tiles: the procedures newcomers ask about most, then school, health,
# work and language courses.
TOPIC_KEYS = (
    "permesso-soggiorno",
    "ricongiungimento",
    "cittadinanza",
    "iscrizione-scuola",
    "salute",
    "lavoro",
    "corsi-italiano",
)


@dataclass(frozen=True)
class Topic:
    category: ServiceCategory
    guide: Guide | None


def _published_guides():
    return Guide.objects.published().order_by("title")


def topics() -> list[Topic]:
    """One topic per known category key, in TOPIC_KEYS order, each with its first guide."""
    categories = ServiceCategory.objects.filter(key__in=TOPIC_KEYS).prefetch_related(
        Prefetch("guides", queryset=_published_guides(), to_attr="published_guides")
    )
    by_key = {category.key: category for category in categories}
    return [Topic(by_key[key], next(iter(by_key[key].published_guides), None)) for key in TOPIC_KEYS if key in by_key]

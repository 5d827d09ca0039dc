"""The regional reference guides (services/data/guides/*.json), loaded by `load_reference`.

All files are read and checked first; only then is each guide written through
`guide_reference_save`, inside the caller's transaction: a broken file writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from services.guide_files import read_guides
from services.models import Guide
from services.services import guide_reference_save


@dataclass
class GuidesReport:
    guides: int
    steps: int
    sources: int

    def __str__(self) -> str:
        return f"{self.guides} guide ({self.steps} passi, {self.sources} fonti)"


@transaction.atomic
def load_guides(directory: Path | None = None) -> GuidesReport:
    guides = read_guides(directory)
    for guide in guides:
        guide_reference_save(guide=guide)
    saved = Guide.objects.filter(slug__in=[g.slug for g in guides])
    return GuidesReport(
        guides=saved.count(),
        steps=sum(len(g.steps) for g in guides),
        sources=sum(len(g.sources) for g in guides),
    )

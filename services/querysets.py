from __future__ import annotations

from django.db import models


class SportelloQuerySet(models.QuerySet):
    def published(self) -> SportelloQuerySet:
        return self.filter(is_published=True)

    def speaking(self, code: str) -> SportelloQuerySet:
        return self.filter(languages__code=code)

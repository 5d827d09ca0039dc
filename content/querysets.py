from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone


class MaterialQuerySet(models.QuerySet):
    def published(self) -> MaterialQuerySet:
        return self.filter(is_published=True)

    def with_files(self) -> MaterialQuerySet:
        """Materials a reader can download in at least one language."""
        from content.models import MaterialFile

        return self.filter(Exists(MaterialFile.objects.filter(material=OuterRef("pk"))))

    def in_category(self, key: str) -> MaterialQuerySet:
        # Category keys are unique: the join yields each material once.
        return self.filter(categories__key=key)

    def for_listing(self) -> MaterialQuerySet:
        """Everything the list of materials shows, in a fixed number of queries."""
        from content.models import MaterialFile
        from services.models import ServiceCategory

        return self.select_related("ambito").prefetch_related(
            Prefetch("files", queryset=MaterialFile.objects.order_by("language")),
            Prefetch("categories", queryset=ServiceCategory.objects.order_by("order", "key")),
        )


class NewsQuerySet(models.QuerySet):
    def published(self, now: dt.datetime | None = None) -> NewsQuerySet:
        """Published news whose date has come: a future date schedules a news item."""
        return self.filter(is_published=True, published_at__lte=now or timezone.now())

    def in_ambito(self, ambito) -> NewsQuerySet:
        return self.filter(ambito=ambito)

    def regional(self) -> NewsQuerySet:
        return self.filter(ambito__isnull=True)

    def newest_first(self) -> NewsQuerySet:
        return self.order_by("-published_at", "-pk")

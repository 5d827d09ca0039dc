from __future__ import annotations

from django.db import models
from django.utils import timezone


class AssociationQuerySet(models.QuerySet):
    def published(self) -> AssociationQuerySet:
        """What the public sees: published by the ambito and still active."""
        return self.filter(status="published", active=True)

    def awaiting_review(self) -> AssociationQuerySet:
        return self.filter(status="proposed")

    def for_listing(self) -> AssociationQuerySet:
        return self.select_related("comune", "ambito").prefetch_related("languages", "topics")


class EventQuerySet(models.QuerySet):
    def published(self) -> EventQuerySet:
        # An association's events disappear with its page.
        return (
            self.filter(is_published=True)
            .exclude(association__isnull=False, association__status__in=["draft", "proposed", "rejected"])
            .exclude(association__active=False)
        )

    def upcoming(self, now=None) -> EventQuerySet:
        return self.filter(series_end__gte=now or timezone.now())

    def past(self, now=None) -> EventQuerySet:
        return self.filter(series_end__lt=now or timezone.now())

    def for_listing(self) -> EventQuerySet:
        return self.select_related("ambito", "association", "partner", "comune").prefetch_related("languages")

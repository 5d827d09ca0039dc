"""Reads of the territory: chainable querysets with their joins in one place."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Prefetch


class ComuneQuerySet(models.QuerySet):
    def search(self, term: str) -> ComuneQuerySet:
        """Comuni whose name contains `term` (case-insensitive) or that use the postcode `term`."""
        term = (term or "").strip()[:100]
        if not term:
            return self.none()
        if term.isdigit():
            return self.filter(postcodes__contains=term)
        return self.filter(name__icontains=term)


class PartnerQuerySet(models.QuerySet):
    def with_type(self) -> PartnerQuerySet:
        return self.select_related("type")


class AmbitoQuerySet(models.QuerySet):
    def real(self) -> AmbitoQuerySet:
        return self.filter(is_demo=False)

    def for_listing(self) -> AmbitoQuerySet:
        """Everything a public list of ambiti shows, in a fixed number of queries."""
        from territories.models import NetworkMembership

        return (
            self.select_related("provincia", "capofila", "capofila__type", "coordinated_by")
            .annotate(comuni_count=Count("comuni", distinct=True))
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=NetworkMembership.objects.select_related("partner", "partner__type").order_by(
                        "role", "partner__name"
                    ),
                )
            )
            .order_by("provincia__name", "name")
        )

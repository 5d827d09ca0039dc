"""Reads of the territory: chainable querysets with their joins in one place."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Prefetch


class ComuneQuerySet(models.QuerySet):
    def search(self, term: str) -> ComuneQuerySet:
        """Comuni whose name matches `term` whatever its accents, case or apostrophes, or
        that use the postcode `term`; exact matches first."""
        from django.db.models import Case, IntegerField, Value, When

        from common.text import fold

        term = (term or "").strip()[:100]
        if term.isdigit():
            return self.filter(postcodes__contains=term) if len(term) >= 3 else self.none()
        key = fold(term)
        if len(key) < 2:
            return self.none()
        return (
            self.filter(search_name__contains=key)
            .annotate(exact=Case(When(search_name=key, then=Value(0)), default=Value(1), output_field=IntegerField()))
            .order_by("exact", "name")
        )


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

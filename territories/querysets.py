"""Reads of the territory: chainable querysets with their joins in one place."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, Count, IntegerField, Prefetch, Value, When


class ComuneQuerySet(models.QuerySet):
    def search(self, term: str, limit: int = 50) -> ComuneQuerySet:
        """Comuni whose name matches `term` (territories.matching: accents, case, apostrophes,
        "S."/"Sant'"/"d'" abbreviations, typos), or that use the postcode `term`.

        Best first: exact names (`exact` = 0), names containing the term, then near misses
        (`fuzzy` = 1), at most `limit` of them.
        """
        from territories.matching import match

        term = (term or "").strip()[:100]
        if term.isdigit():
            if len(term) < 3:
                return self.none()
            return self.filter(postcodes__contains=term).annotate(exact=Value(1), fuzzy=Value(0)).order_by("name")
        matches = match(term)[:limit]
        if not matches:
            return self.none()
        pks = [m.pk for m in matches]

        def flag(condition, pks_with_flag):
            return Case(When(pk__in=pks_with_flag, then=Value(condition[0])), default=Value(condition[1]))

        return (
            self.filter(pk__in=pks)
            .annotate(
                rank=Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(pks)], output_field=IntegerField()),
                exact=flag((0, 1), [m.pk for m in matches if m.exact]),
                fuzzy=flag((1, 0), [m.pk for m in matches if m.fuzzy]),
            )
            .order_by("rank")
        )

    def with_coordinates(self) -> ComuneQuerySet:
        return self.filter(latitude__isnull=False, longitude__isnull=False)


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

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce


class ActivityQuerySet(models.QuerySet):
    def with_totals(self) -> ActivityQuerySet:
        """Each activity with its beneficiary total, in the same query."""
        return self.annotate(beneficiaries_total=Coalesce(Sum("beneficiaries__count"), 0))

    def same_as(self, activity) -> ActivityQuerySet:
        """Other activities identical to this one: same ambito, kind, title and dates (a double entry)."""
        return self.filter(
            ambito_id=activity.ambito_id,
            kind=activity.kind,
            title__iexact=(activity.title or "").strip(),
            start_date=activity.start_date,
            end_date=activity.end_date,
        ).exclude(pk=activity.pk)

    def between(self, start: date | None, end: date | None) -> ActivityQuerySet:
        """Activities that overlap the period [start, end] (either end may be open)."""
        qs = self
        if start:
            qs = qs.filter(end_date__gte=start)
        if end:
            qs = qs.filter(start_date__lte=end)
        return qs

    def indicators(self) -> list[dict]:
        """Activities, hours and beneficiaries per ambito × macro-azione number.

        Grouped by the macro-azione's number, so successive plans (which repeat the same
        four macro-azioni) add up. Hours and beneficiaries are summed in separate queries:
        a single join over beneficiary rows would count an activity's hours once per row.
        The dashboard and the FAMI workbook both read these rows, so their numbers agree.
        """
        from reports.models import BeneficiaryGroup

        ids = self.values("pk")
        by_activity = (
            self.model.objects.filter(pk__in=ids)
            .values("ambito_id", "ambito__name", "macro_azione__number")
            .annotate(activities=Count("pk"), hours=Coalesce(Sum("hours"), 0, output_field=models.DecimalField()))
            .order_by("ambito__name", "macro_azione__number")
        )
        people = (
            BeneficiaryGroup.objects.filter(activity__in=ids)
            .values("activity__ambito_id", "activity__macro_azione__number")
            .annotate(total=Sum("count"))
        )
        totals = {(p["activity__ambito_id"], p["activity__macro_azione__number"]): p["total"] for p in people}
        rows = []
        for row in by_activity:
            row["beneficiaries"] = totals.get((row["ambito_id"], row["macro_azione__number"]), 0)
            rows.append(row)
        return rows

    def beneficiaries_by(self, field: str) -> dict[tuple[int, int, str], int]:
        """Beneficiaries per (ambito, macro-azione number, value of `field`): sex, age band…"""
        from reports.models import BeneficiaryGroup

        rows = (
            BeneficiaryGroup.objects.filter(activity__in=self.values("pk"))
            .values_list("activity__ambito_id", "activity__macro_azione__number", field)
            .annotate(total=Sum("count"))
            .order_by()
        )
        return {(ambito, number, value): total for ambito, number, value, total in rows}

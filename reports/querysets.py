from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce


class ActivityQuerySet(models.QuerySet):
    def with_totals(self) -> ActivityQuerySet:
        """Each activity with its beneficiary total, in the same query."""
        return self.annotate(beneficiaries_total=Coalesce(Sum("beneficiaries__count"), 0))

    def between(self, start: date | None, end: date | None) -> ActivityQuerySet:
        """Activities that overlap the period [start, end] (either end may be open)."""
        qs = self
        if start:
            qs = qs.filter(end_date__gte=start)
        if end:
            qs = qs.filter(start_date__lte=end)
        return qs

    def indicators(self):
        """Activities, hours and beneficiaries per ambito × macro-azione.

        Hours and beneficiaries are summed in separate subqueries: a single join over
        beneficiary rows would count an activity's hours once per row.
        """
        from reports.models import BeneficiaryGroup

        ids = self.values("pk")
        by_activity = (
            self.model.objects.filter(pk__in=ids)
            .values("ambito_id", "ambito__name", "macro_azione_id", "macro_azione__number")
            .annotate(activities=Count("pk"), hours=Coalesce(Sum("hours"), 0, output_field=models.DecimalField()))
            .order_by("ambito__name", "macro_azione__number")
        )
        people = (
            BeneficiaryGroup.objects.filter(activity__in=ids)
            .values("activity__ambito_id", "activity__macro_azione_id")
            .annotate(total=Sum("count"))
        )
        totals = {(p["activity__ambito_id"], p["activity__macro_azione_id"]): p["total"] for p in people}
        rows = []
        for row in by_activity:
            row["beneficiaries"] = totals.get((row["ambito_id"], row["macro_azione_id"]), 0)
            rows.append(row)
        return rows

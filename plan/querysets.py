from __future__ import annotations

from datetime import date

from django.db import models


class PlanQuerySet(models.QuerySet):
    def with_extensions(self) -> PlanQuerySet:
        return self.prefetch_related("extensions")

    def covering(self, day: date, ambito_id: int | None) -> list:
        """The plans in whose period (with the ambito's extension) `day` falls, latest first."""
        return [plan for plan in self.with_extensions().order_by("-start") if plan.covers(day, ambito_id)]

    def official(self) -> PlanQuerySet:
        """Plans that are not demo rows (what the public site presents)."""
        return self.filter(is_demo=False)

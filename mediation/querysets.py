from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from workflow.models import Status

# Statuses in which a request holds its mediator's time.
BOOKED = (Status.ASSIGNED, Status.SCHEDULED, Status.DONE)


class MediatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, is_available=True)

    def busy_between(self, start: datetime, end: datetime, exclude_request=None):
        """Mediators holding a request whose slot overlaps [start, end)."""
        from mediation.models import MediationRequest

        bookings = MediationRequest.objects.overlapping(start, end)
        if exclude_request is not None:
            bookings = bookings.exclude(pk=exclude_request.pk)
        return self.filter(pk__in=bookings.values("mediator_id"))


class MediationRequestQuerySet(models.QuerySet):
    def overlapping(self, start: datetime, end: datetime):
        return self.filter(status__in=BOOKED, scheduled_start__lt=end, scheduled_end__gt=start)

    def for_queue(self):
        """Open requests, most urgent first, then oldest first (the operator's queue)."""
        return (
            self.filter(status__in=(Status.SUBMITTED, Status.TRIAGED, Status.ASSIGNED))
            .select_related("ambito", "school", "social_worker", "mediator")
            .prefetch_related("languages")
            .order_by("-urgency", "submitted_at")
        )

    def closed_before(self, moment: datetime):
        return self.filter(closed_at__lt=moment, anonymised_at__isnull=True)

    def triage_overdue(self, now: datetime | None = None):
        """Submitted requests not triaged within their urgency's time."""
        from mediation.models import TRIAGE_HOURS

        now = now or timezone.now()
        condition = Q()
        for urgency, hours in TRIAGE_HOURS.items():
            condition |= Q(urgency=urgency, submitted_at__lt=now - timedelta(hours=hours))
        return self.filter(status=Status.SUBMITTED).filter(condition)

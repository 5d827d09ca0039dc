from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q


class SportelloQuerySet(models.QuerySet):
    def published(self) -> SportelloQuerySet:
        return self.filter(is_published=True)

    def speaking(self, code: str) -> SportelloQuerySet:
        return self.filter(languages__code=code)

    def in_category(self, key: str) -> SportelloQuerySet:
        return self.filter(categories__key=key)

    def serving(self, comune) -> SportelloQuerySet:
        """Desks of the comune's ambito, plus desks that serve it explicitly."""
        return self.serving_any([comune])

    def serving_any(self, comuni) -> SportelloQuerySet:
        """Desks serving any of `comuni` (e.g. every comune sharing a postcode)."""
        comuni = list(comuni)
        condition = Q(served_comuni__in=comuni)
        ambiti = {comune.ambito_id for comune in comuni if comune.ambito_id}
        if ambiti:
            condition |= Q(ambito_id__in=ambiti)
        return self.filter(pk__in=self.model.objects.filter(condition).values("pk"))

    def with_distance(self, lat: float, lon: float) -> SportelloQuerySet:
        """Annotate `distance_km` from (lat, lon): to the desk's own point, or to its comune's
        seat when the desk has none. Desks with neither get None."""
        from territories.geo import distance_expression

        return self.annotate(
            distance_km=distance_expression(
                lat, lon, "latitude", "longitude", fallback=("comune__latitude", "comune__longitude")
            )
        )

    def nearest(self, lat: float, lon: float) -> SportelloQuerySet:
        """Desks closest to (lat, lon) first; desks without any point are left out."""
        return self.with_distance(lat, lon).filter(distance_km__isnull=False).order_by("distance_km", "name")

    def without_demo(self) -> SportelloQuerySet:
        """Desks that are no demo rows and whose organisation is none either."""
        return self.exclude(is_demo=True).exclude(
            Q(partner__is_demo=True) | Q(partner__isnull=True, ambito__capofila__is_demo=True)
        )

    def open_at(self, moment: dt.datetime) -> SportelloQuerySet:
        """Desks with a slot covering `moment` (Europe/Rome wall time) and no closure that day."""
        from services.models import Closure, OpeningMode, OpeningSlot

        day, time = moment.date(), moment.time()
        slot = OpeningSlot.objects.filter(
            sportello=OuterRef("pk"), weekday=day.weekday(), opens__lte=time, closes__gt=time
        )
        closure = Closure.objects.filter(sportello=OuterRef("pk"), start_date__lte=day, end_date__gte=day)
        return self.filter(
            Exists(slot),
            ~Exists(closure),
            opening_mode__in=[OpeningMode.REGULAR, OpeningMode.APPOINTMENT_RECOMMENDED],
        )

    def for_status(self) -> SportelloQuerySet:
        """What "open now" needs (hours and closures), and the comune for the address: the
        desk search's directory (services/directory.py), whose cards come from the fragment cache."""
        from services.models import Closure, OpeningSlot

        return self.select_related("comune").prefetch_related(
            Prefetch("slots", queryset=OpeningSlot.objects.order_by("weekday", "opens")),
            Prefetch("closures", queryset=Closure.objects.order_by("start_date")),
        )

    def for_listing(self) -> SportelloQuerySet:
        """Everything a list of desks shows, in a fixed number of queries."""
        from services.models import Closure, Language, OpeningSlot, ServiceCategory

        return self.select_related("comune", "ambito").prefetch_related(
            Prefetch("categories", queryset=ServiceCategory.objects.order_by("order")),
            Prefetch("languages", queryset=Language.objects.order_by("name")),
            Prefetch("slots", queryset=OpeningSlot.objects.order_by("weekday", "opens")),
            Prefetch("closures", queryset=Closure.objects.order_by("start_date")),
        )

"""Distances on the map of Lombardy, and the coordinates a reader may send ("near me").

The desk search measures from a comune's seat (Comune.latitude/longitude) or from the
reader's own position. That position is personal data: the browser rounds it to two
decimals (about 1 km) before sending it, the server rounds it again before anything else
sees the request (page cache key, logs, links), and it is never stored.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import wraps

from django.db.models import FloatField, Value
from django.db.models.functions import ASin, Cast, Coalesce, Cos, Power, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0
# The region's bounding box with a margin of a few km: a reader just across the border
# (Piacenza, Novara, Ticino) may still look for the nearest Lombardy desk.
LAT_BOUNDS = (44.5, 46.8)
LON_BOUNDS = (8.3, 11.6)
COORDINATE_PARAMS = ("lat", "lon")
PRECISION = Decimal("0.01")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distance_expression(
    lat: float, lon: float, lat_field: str, lon_field: str, fallback: tuple[str, str] | None = None
):
    """SQL haversine distance in km from (lat, lon) to the row's point (or its fallback point)."""
    row_lat = Cast(lat_field, FloatField())
    row_lon = Cast(lon_field, FloatField())
    if fallback:
        row_lat = Coalesce(row_lat, Cast(fallback[0], FloatField()))
        row_lon = Coalesce(row_lon, Cast(fallback[1], FloatField()))
    half_dlat = Radians(row_lat - Value(lat)) / 2
    half_dlon = Radians(row_lon - Value(lon)) / 2
    h = Power(Sin(half_dlat), 2) + Value(math.cos(math.radians(lat))) * Cos(Radians(row_lat)) * Power(Sin(half_dlon), 2)
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(h), output_field=FloatField())


def coarse(value: str) -> str | None:
    """`value` as a number rounded to two decimals ("45.5371234" -> "45.54"); None if no number."""
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not number.is_finite() or abs(number) > 1000:
        return None
    return str(number.quantize(PRECISION, rounding=ROUND_HALF_UP) + 0)  # + 0: no "-0.00"


def coarse_coordinates(view):
    """Round `lat` and `lon` in the query string before the page cache and the view see it.

    Put it outside `@public_page`: the cache key, the links the page builds and anything
    logged downstream then hold at most a 1 km square, never the reader's exact position.
    Values that are no number stay as they are, for the form to reject with a message.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if any(name in request.GET for name in COORDINATE_PARAMS):
            query = request.GET.copy()
            for name in COORDINATE_PARAMS:
                values = query.getlist(name)
                if values:
                    query.setlist(name, [coarse(v) or v[:20] for v in values[:1]])
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
        return view(request, *args, **kwargs)

    return wrapper

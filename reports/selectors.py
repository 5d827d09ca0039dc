"""Reads for the back-office dashboard: FAMI indicators and data-quality warnings."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from access import permissions
from plan.models import MacroAzione
from reports.models import Activity
from services.models import Sportello

STALE_AFTER_DAYS = 180


def dashboard(user, *, provincia=None, ambito=None, start=None, end=None) -> dict:
    activities = permissions.visible(user, Activity.objects.all()).between(start, end)
    desks = permissions.visible(user, Sportello.objects.all())
    if provincia is not None:
        activities = activities.filter(ambito__provincia=provincia)
        desks = desks.filter(ambito__provincia=provincia)
    if ambito is not None:
        activities = activities.filter(ambito=ambito)
        desks = desks.filter(ambito=ambito)

    rows = activities.indicators()
    macro_azioni = list(MacroAzione.objects.order_by("number"))
    per_macro = {m.pk: {"macro": m, "activities": 0, "hours": Decimal(0), "beneficiaries": 0} for m in macro_azioni}
    for row in rows:
        bucket = per_macro.get(row["macro_azione_id"])
        if bucket:
            bucket["activities"] += row["activities"]
            bucket["hours"] += row["hours"]
            bucket["beneficiaries"] += row["beneficiaries"]
    totals = {
        "activities": sum(b["activities"] for b in per_macro.values()),
        "hours": sum((b["hours"] for b in per_macro.values()), Decimal(0)),
        "beneficiaries": sum(b["beneficiaries"] for b in per_macro.values()),
    }
    return {
        "rows": rows,
        "per_macro": list(per_macro.values()),
        "totals": totals,
        "chart": _bars(list(per_macro.values()), "beneficiaries"),
        "stale_desks": list(
            desks.filter(updated_at__lt=timezone.now() - timedelta(days=STALE_AFTER_DAYS)).select_related("ambito")
        ),
    }


# SVG geometry in user units; the picture scales with the page, the text keeps its proportions.
BAR_PITCH, BAR_HEIGHT, LABEL_WIDTH, BAR_SPAN = 36, 24, 30, 480


def _bars(buckets: list[dict], key: str) -> dict:
    """Horizontal bars for a server-rendered SVG: the number, the bar, the value (no JavaScript)."""
    peak = max((b[key] for b in buckets), default=0) or 1
    bars = []
    for i, bucket in enumerate(buckets):
        width = round(BAR_SPAN * bucket[key] / peak, 1)
        bars.append(
            {
                "label": bucket["macro"].number,
                "title": bucket["macro"].title,
                "value": bucket[key],
                "x": LABEL_WIDTH,
                "y": i * BAR_PITCH,
                "text_y": i * BAR_PITCH + 17,
                "width": width,
                "value_x": LABEL_WIDTH + width + 8,
            }
        )
    return {"bars": bars, "height": len(bars) * BAR_PITCH, "width": LABEL_WIDTH + BAR_SPAN + 80}

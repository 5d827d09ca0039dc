"""Reads for the back-office dashboard: FAMI indicators and data-quality warnings."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from access import permissions
from common.text import natural_key
from plan.models import MacroAzione, Plan
from reports.models import Activity
from services.models import Sportello
from territories.models import Ambito

STALE_AFTER_DAYS = 180


def loggable_day(user, *, ambito_id: int | None = None) -> date | None:
    """A day on which `user` may log an activity: today when a plan covers it, else the
    last day of the latest period (so the date picker opens inside a period)."""
    if ambito_id is None:
        ambiti = permissions.grants_for(user).ambito_ids
        ambito_id = next(iter(ambiti)) if len(ambiti) == 1 else None
    today = timezone.localdate()
    if Plan.objects.covering(today, ambito_id):
        return today
    ends = [plan.window(ambito_id)[1] for plan in Plan.objects.with_extensions() if plan.window(ambito_id)[1] < today]
    return max(ends, default=None)


def plan_periods(user) -> str:
    """The periods the user's ambito may log in, as text for a form's help ("14/09/2018 – 30/06/2022 …")."""
    ambiti = permissions.grants_for(user).ambito_ids
    ambito_id = next(iter(ambiti)) if len(ambiti) == 1 else None
    windows = [plan.window(ambito_id) for plan in Plan.objects.with_extensions().order_by("start")]
    return ", ".join(f"{start:%d/%m/%Y} – {end:%d/%m/%Y}" for start, end in windows)


def macro_azioni_labels() -> list[MacroAzione]:
    """One macro-azione per number, named as in the official plan (successor plans repeat them)."""
    labels = {}
    for macro in MacroAzione.objects.select_related("plan").order_by("plan__is_demo", "plan__start", "number"):
        labels.setdefault(macro.number, macro)
    return [labels[n] for n in sorted(labels)]


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
    per_macro = {
        m.number: {"macro": m, "activities": 0, "hours": Decimal(0), "beneficiaries": 0} for m in macro_azioni_labels()
    }
    for row in rows:
        bucket = per_macro.get(row["macro_azione__number"])
        if bucket:
            bucket["activities"] += row["activities"]
            bucket["hours"] += row["hours"]
            bucket["beneficiaries"] += row["beneficiaries"]
    totals = {
        "activities": sum(b["activities"] for b in per_macro.values()),
        "hours": sum((b["hours"] for b in per_macro.values()), Decimal(0)),
        "beneficiaries": sum(b["beneficiaries"] for b in per_macro.values()),
    }
    ambiti_in_scope = permissions.visible(user, Ambito.objects.all())
    if provincia is not None:
        ambiti_in_scope = ambiti_in_scope.filter(provincia=provincia)
    if ambito is not None:
        ambiti_in_scope = ambiti_in_scope.filter(pk=ambito.pk)
    by_ambito = {}
    for row in rows:
        entry = by_ambito.setdefault(
            row["ambito_id"], {"activities": 0, "hours": Decimal(0), "beneficiaries": 0, "per_macro": {}}
        )
        entry["activities"] += row["activities"]
        entry["hours"] += row["hours"]
        entry["beneficiaries"] += row["beneficiaries"]
        entry["per_macro"][row["macro_azione__number"]] = row["beneficiaries"]
    numbers = sorted(per_macro)
    ambito_rows = []
    for a in sorted(ambiti_in_scope, key=lambda a: natural_key(a.name)):
        entry = by_ambito.get(a.pk, {"activities": 0, "hours": Decimal(0), "beneficiaries": 0, "per_macro": {}})
        ambito_rows.append(
            {
                "ambito": a,
                "activities": entry["activities"],
                "hours": entry["hours"],
                "beneficiaries": entry["beneficiaries"],
                "per_macro": [entry["per_macro"].get(n, 0) for n in numbers],
            }
        )
    return {
        "ambito_rows": ambito_rows,
        "rows": rows,
        "per_macro": list(per_macro.values()),
        "totals": totals,
        "chart": _bars(list(per_macro.values()), "beneficiaries"),
        "stale_desks": list(
            desks.filter(updated_at__lt=timezone.now() - timedelta(days=STALE_AFTER_DAYS)).select_related("ambito")
        ),
    }


# SVG geometry in user units; the picture scales with the page, the text keeps its proportions.
BAR_PITCH, BAR_HEIGHT, LABEL_HEIGHT, BAR_SPAN = 56, 24, 22, 480


def _bars(buckets: list[dict], key: str) -> dict:
    """Horizontal bars for a server-rendered SVG: the number, the bar, the value (no JavaScript)."""
    peak = max((b[key] for b in buckets), default=0) or 1
    bars = []
    for i, bucket in enumerate(buckets):
        width = round(BAR_SPAN * bucket[key] / peak, 1)
        top = i * BAR_PITCH
        bars.append(
            {
                # The macro-azione's name above its bar, the value at its end.
                "label": bucket["macro"].number,
                "title": bucket["macro"].title,
                "value": bucket[key],
                "x": 0,
                "label_y": top + 16,
                "y": top + LABEL_HEIGHT,
                "text_y": top + LABEL_HEIGHT + 17,
                "width": width,
                "value_x": width + 8,
            }
        )
    return {"bars": bars, "height": len(bars) * BAR_PITCH, "width": BAR_SPAN + 80}

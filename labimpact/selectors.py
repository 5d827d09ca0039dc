"""Reads for the site-wide pages."""

from __future__ import annotations

from itertools import groupby

from django.db.models import Count, Q

from plan.models import MacroAzione, Plan
from territories.models import Ambito, Partner, Provincia

REGIONAL_PARTNERS = ("ANCI Lombardia", "Fondazione ISMU")


def current_plan() -> Plan | None:
    return Plan.objects.official().order_by("-start").first()


def macro_azioni(plan: Plan | None):
    if plan is None:
        return MacroAzione.objects.none()
    return plan.macro_azioni.order_by("number")


def home_context() -> dict:
    plan = current_plan()
    counts = Ambito.objects.aggregate(total=Count("pk"), real=Count("pk", filter=Q(is_demo=False)))
    return {
        "plan": plan,
        "macro_azioni": macro_azioni(plan),
        "ambiti_total": counts["total"],
        "ambiti_real": counts["real"],
        "provinces_total": Provincia.objects.count(),
    }


def about_context() -> dict:
    plan = current_plan()
    ambiti = list(Ambito.objects.for_listing())
    by_province = [(province, list(items)) for province, items in groupby(ambiti, key=lambda a: a.provincia)]
    return {
        "plan": plan,
        "macro_azioni": macro_azioni(plan),
        "ambiti_by_province": by_province,
        "ambiti_total": len(ambiti),
        "demo_total": sum(1 for a in ambiti if a.is_demo),
        "regional_partners": Partner.objects.filter(name__in=REGIONAL_PARTNERS).select_related("type"),
    }

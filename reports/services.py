"""Writes to the activity log: admin, imports and the API all come through here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from access.scope import check_write
from common.db import validated_save
from plan.models import MacroAzione
from reports.models import KIND_MACRO_AZIONE, Activity, BeneficiaryGroup


def default_macro_azione(kind: str) -> MacroAzione | None:
    """The macro-azione an activity of this kind usually belongs to."""
    number = KIND_MACRO_AZIONE.get(kind)
    if number is None:
        return None
    return MacroAzione.objects.filter(number=number).order_by("-plan__start").first()


def beneficiary_totals_check(*, declared_total: int | None, rows: Iterable[BeneficiaryGroup]) -> None:
    """Refuse beneficiary rows that repeat a combination or miss the declared total."""
    rows = list(rows)
    seen = set()
    for row in rows:
        key = (row.sex, row.age_band, row.nationality_group, row.beneficiary_type)
        if key in seen:
            raise ValidationError(_("Due righe di beneficiari hanno la stessa combinazione: uniscile in una."))
        seen.add(key)
    total = sum(row.count or 0 for row in rows)
    if declared_total is not None and total != declared_total:
        raise ValidationError(
            _("Il totale dichiarato (%(declared)s) non coincide con la somma dei beneficiari (%(total)s).")
            % {"declared": declared_total, "total": total}
        )


@transaction.atomic
def activity_save(*, activity: Activity, by) -> Activity:
    """Create or update an activity of one of the ambiti `by` works in."""
    if activity.macro_azione_id is None and activity.kind:
        activity.macro_azione = default_macro_azione(activity.kind)
    check_write(by=by, instance=activity, ambito=activity.ambito)
    if activity.pk is None and activity.created_by_id is None and by is not None and by.pk is not None:
        activity.created_by = by
    return validated_save(activity)


@transaction.atomic
def activity_record(*, activity: Activity, rows: Iterable[BeneficiaryGroup], by) -> Activity:
    """Save an activity with all its beneficiary rows, or nothing (imports, API)."""
    rows = list(rows)
    beneficiary_totals_check(declared_total=activity.declared_total, rows=rows)
    activity_save(activity=activity, by=by)
    activity.beneficiaries.all().delete()
    for row in rows:
        row.pk = None
        row.activity = activity
        beneficiary_group_save(group=row, by=by)
    return activity


@transaction.atomic
def beneficiary_group_save(*, group: BeneficiaryGroup, by) -> BeneficiaryGroup:
    check_write(by=by, instance=group, ambito=group.activity.ambito)
    return validated_save(group)


@transaction.atomic
def activity_duplicate(*, activity: Activity, by, days: int = 7) -> Activity:
    """Copy an activity `days` later, with its partners and beneficiary rows (recurring labs)."""
    shift = timedelta(days=days)
    copy = Activity(
        ambito=activity.ambito,
        macro_azione=activity.macro_azione,
        kind=activity.kind,
        title=activity.title,
        start_date=activity.start_date + shift,
        end_date=activity.end_date + shift,
        hours=activity.hours,
        place=activity.place,
        comune=activity.comune,
        school=activity.school,
        declared_total=activity.declared_total,
        notes=activity.notes,
    )
    rows = [
        BeneficiaryGroup(
            sex=row.sex,
            age_band=row.age_band,
            nationality_group=row.nationality_group,
            beneficiary_type=row.beneficiary_type,
            count=row.count,
        )
        for row in activity.beneficiaries.all()
    ]
    activity_record(activity=copy, rows=rows, by=by)
    copy.partners.set(activity.partners.all())
    return copy

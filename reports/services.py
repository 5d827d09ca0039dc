"""Writes to the activity log: admin, imports and the API all come through here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from access import permissions
from access.scope import check_write
from common.db import validated_save
from plan.models import MacroAzione, Plan
from reports.models import (
    KIND_MACRO_AZIONE,
    Activity,
    BeneficiaryGroup,
    ExportJob,
    ExportStatus,
    ImportJob,
    ImportStatus,
)


def default_macro_azione(kind: str, *, day: date | None = None, ambito_id: int | None = None) -> MacroAzione | None:
    """The macro-azione an activity of this kind usually belongs to, in the plan covering `day`.

    With no day (or no plan covering it) the latest plan's is proposed, and the activity's
    own validation then names the period that applies.
    """
    number = KIND_MACRO_AZIONE.get(kind)
    if number is None:
        return None
    macro = MacroAzione.objects.filter(number=number)
    if day is not None:
        for plan in Plan.objects.covering(day, ambito_id):
            found = macro.filter(plan=plan).first()
            if found is not None:
                return found
    return macro.order_by("-plan__start").first()


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
        activity.macro_azione = default_macro_azione(
            activity.kind, day=activity.start_date, ambito_id=activity.ambito_id
        )
    check_write(by=by, instance=activity, ambito=activity.ambito)
    duplicate = Activity.objects.same_as(activity).first()
    if duplicate is not None:
        raise _double_entry(duplicate)
    if activity.pk is None and activity.created_by_id is None and by is not None and by.pk is not None:
        activity.created_by = by
    return validated_save(activity)


def _double_entry(duplicate: Activity) -> ValidationError:
    # The same activity of the same ambito on the same days can only be a double entry.
    return ValidationError(
        _("Esiste già un'attività identica: «%(title)s» del %(date)s (n. %(id)s).")
        % {"title": duplicate.title, "date": duplicate.start_date.strftime("%d/%m/%Y"), "id": duplicate.pk}
    )


def _same_key(activity: Activity) -> tuple:
    return (
        activity.ambito_id,
        activity.kind,
        (activity.title or "").strip().lower(),
        activity.start_date,
        activity.end_date,
    )


def activities_bulk_save(
    *, activities: list[Activity], by, changed_fields: list[str], commit: bool = True
) -> dict[int, ValidationError]:
    """Create or update many activities in one transaction, with the checks of `activity_save`.

    The large-import path: each row is validated in Python as `activity_save` would (scope,
    fields, `Activity.clean()` with the plan's period, double entries), but the scope is
    checked once per ambito for new rows, the plans and the existing activities are read
    once, and the rows are written with `bulk_create`/`bulk_update` (history rows too).
    Returns the errors by position in `activities`; writes nothing unless there are none
    (nor with `commit=False`: the rows are only checked).
    """
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    errors: dict[int, ValidationError] = {}
    macros = {m.pk: m for m in MacroAzione.objects.select_related("plan").prefetch_related("plan__extensions")}
    # Foreign keys: full_clean() would ask the database once per key and row; here once per
    # key for all rows (the same check: the referenced row exists).
    relations = [f for f in Activity._meta.concrete_fields if f.is_relation]
    missing = {}
    for relation in relations:
        ids = {getattr(a, relation.attname) for a in activities} - {None}
        found = set(relation.related_model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        missing[relation.attname] = ids - found
    checked_new: dict[int, ValidationError | None] = {}
    for i, activity in enumerate(activities):
        if activity.macro_azione_id is not None:
            activity.macro_azione = macros.get(activity.macro_azione_id, activity.macro_azione)
        try:
            if activity.pk is None:
                # Whether `by` may add activities to this ambito: the same answer for every new row.
                if activity.ambito_id not in checked_new:
                    try:
                        check_write(by=by, instance=activity, ambito=activity.ambito)
                        checked_new[activity.ambito_id] = None
                    except (PermissionDenied, ValidationError) as exc:
                        checked_new[activity.ambito_id] = exc
                if checked_new[activity.ambito_id] is not None:
                    raise checked_new[activity.ambito_id]
            else:
                check_write(by=by, instance=activity, ambito=activity.ambito)
            for relation in relations:
                if getattr(activity, relation.attname) in missing[relation.attname]:
                    raise ValidationError(
                        {
                            relation.name: relation.error_messages["invalid"]
                            % {
                                "model": relation.related_model._meta.verbose_name,
                                "pk": getattr(activity, relation.attname),
                                "field": relation.remote_field.field_name,
                                "value": getattr(activity, relation.attname),
                            }
                        }
                    )
            # Field rules and Activity.clean(); the two check constraints are clean()'s own rules.
            activity.full_clean(exclude=[r.name for r in relations], validate_unique=False, validate_constraints=False)
        except PermissionDenied as exc:
            errors[i] = ValidationError({"ambito": str(exc) or _("Non hai i permessi per modificare questo dato.")})
        except ValidationError as exc:
            errors[i] = exc
    # Double entries, against the stored activities of the same ambiti and days (one query).
    ambiti = {a.ambito_id for a in activities}
    days = {a.start_date for a in activities}
    stored = {}
    for other in Activity.objects.filter(ambito_id__in=ambiti, start_date__in=days).only(
        "pk", "ambito_id", "kind", "title", "start_date", "end_date"
    ):
        stored.setdefault(_same_key(other), other)
    own = {a.pk for a in activities if a.pk is not None}
    for i, activity in enumerate(activities):
        duplicate = stored.get(_same_key(activity))
        if i not in errors and duplicate is not None and duplicate.pk != activity.pk and duplicate.pk not in own:
            errors[i] = _double_entry(duplicate)
    if errors or not commit:
        return errors
    now = timezone.now()
    new = [a for a in activities if a.pk is None]
    old = [a for a in activities if a.pk is not None]
    for activity in new:
        if activity.created_by_id is None and by is not None and by.pk is not None:
            activity.created_by = by
    for activity in old:
        activity.updated_at = now
    with transaction.atomic():
        if new:
            bulk_create_with_history(new, Activity, batch_size=2000, default_user=by, default_date=now)
        if old:
            bulk_update_with_history(
                old, Activity, [*changed_fields, "updated_at"], batch_size=2000, default_user=by, default_date=now
            )
    return {}


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


# --- issue 10 (mediation, legal consultancy) ------------------------------------------------
@transaction.atomic
def activity_log_on_behalf(*, activity: Activity, by) -> Activity | None:
    """An activity another workflow records for the ambito (a mediation session, a consultation).

    The calling service has already checked that `by` may do the thing being recorded; `by`
    (a mediator, a consultant) has no access to the log itself, so no write check here.
    Returns None, writing nothing, when the date falls outside the plan's period: the
    FAMI log covers the plan only; the mediation measures still count it.
    """
    if activity.macro_azione_id is None:
        activity.macro_azione = default_macro_azione(
            activity.kind, day=activity.start_date, ambito_id=activity.ambito_id
        )
    plan = activity.macro_azione.plan if activity.macro_azione_id else None
    if plan is None or not plan.covers(activity.start_date, activity.ambito_id):
        return None
    if by is not None and by.is_authenticated:
        activity.created_by = by
    return validated_save(activity)


@transaction.atomic
def export_job_create(*, exporter: str, params: dict, by, site_url: str = "") -> ExportJob:
    """Queue an export for `by`; the worker starts once this transaction commits."""
    from reports import exporters, tasks

    cls = exporters.REGISTRY.get(exporter)
    if cls is None:
        raise ValidationError(_("Esportazione sconosciuta."))
    if not permissions.can(by, permissions.VIEW, cls.permission):
        raise PermissionDenied(_("Non hai i permessi per questa esportazione."))
    job = ExportJob.objects.create(
        user=by, exporter=exporter, params=params, language=get_language() or "it", site_url=site_url
    )
    transaction.on_commit(lambda: tasks.export_run.delay(str(job.pk)))
    return job


def export_job_purge(*, now=None) -> int:
    """Delete the files of expired exports (the beat task `reports.tasks.purge_expired` or
    `manage.py purge_exports` runs it)."""
    now = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lte=now).exclude(status=ExportStatus.EXPIRED)
    count = 0
    for job in expired:
        if job.file:
            job.file.delete(save=False)
        job.status = ExportStatus.EXPIRED
        job.save(update_fields=["file", "status"])
        count += 1
    return count


# --- large imports as jobs --------------------------------------------------------------------


@transaction.atomic
def import_job_create(*, importer: str, content: bytes, filename: str, rows: int, by) -> ImportJob:
    """Store an uploaded spreadsheet and queue its dry run (the worker starts after the commit)."""
    from django.core.files.base import ContentFile

    from ops.services import outbox_enqueue
    from reports import importers

    cls = importers.REGISTRY.get(importer)
    if cls is None:
        raise ValidationError(_("Importazione sconosciuta."))
    if cls not in importers.available(by):
        raise PermissionDenied(_("Non hai i permessi per questa importazione."))
    job = ImportJob(
        user=by,
        importer=importer,
        language=get_language() or "it",
        filename=filename[:255],
        rows=rows,
        expires_at=timezone.now() + settings.IMPORT_UPLOAD_TTL,
    )
    job.file.save(f"{job.pk.hex}.upload", ContentFile(content), save=False)
    job.save()
    outbox_enqueue(task="reports.tasks.import_run", args=[str(job.pk)])
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, by) -> ImportJob:
    """Queue the write of a job whose dry run found no error (its owner only)."""
    from ops.services import outbox_enqueue

    if job.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Non hai i permessi per questa importazione."))
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED, confirmed=False).update(
        status=ImportStatus.QUEUED, confirmed=True, progress=0
    )
    if not updated:
        raise ValidationError(_("Questa importazione non è in attesa di conferma."))
    outbox_enqueue(task="reports.tasks.import_run", args=[str(job.pk)])
    job.refresh_from_db()
    return job


def import_upload_purge(*, now=None) -> int:
    """Delete uploaded spreadsheets past their time: jobs' files and unconfirmed dry-run files."""
    import os

    from reports.models import _import_storage

    now = now or timezone.now()
    count = 0
    for job in ImportJob.objects.filter(expires_at__lte=now).exclude(status=ImportStatus.EXPIRED):
        if job.running:
            continue  # a worker still reads it; the next run takes it
        if job.file:
            job.file.delete(save=False)
        job.status = ImportStatus.EXPIRED
        job.save(update_fields=["file", "status"])
        count += 1
    # Files waiting for a confirmation (reports/admin_imports.py) outlive their 1-hour token.
    storage = _import_storage()
    cutoff = now - settings.IMPORT_UPLOAD_TTL
    if os.path.isdir(storage.location):
        for name in storage.listdir("")[1]:
            if name.endswith(".upload") and storage.get_modified_time(name) <= cutoff:
                storage.delete(name)
                count += 1
    return count

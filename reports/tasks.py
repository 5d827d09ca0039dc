"""Background jobs of the reports app: exports run here, never in a request."""

from __future__ import annotations

import logging
import tempfile

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from access import permissions
from reports.models import ExportJob, ExportStatus

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def export_run(job_id: str) -> None:
    """Render one export job to its file. Idempotent: only a queued job is claimed and run."""
    from reports import exporters

    with transaction.atomic():
        claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.RUNNING, progress=1
        )
    if not claimed:
        return
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    with translation.override(job.language):
        cls = exporters.REGISTRY.get(job.exporter)
        if cls is None or not permissions.can(job.user, permissions.VIEW, cls.permission):
            _fail(job, _("Non hai i permessi per questa esportazione."))
            return

        def progress(percent: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(progress=max(1, min(99, percent)))

        exporter = cls(job.user, job.params, progress=progress)
        try:
            with tempfile.TemporaryFile() as tmp:
                exporter.render(tmp)
                tmp.seek(0)
                job.file.save(exporter.filename(), File(tmp), save=False)
        except Exception:
            logger.exception("export %s failed", job.pk)
            _fail(job, _("L'esportazione non è riuscita: riprova o contatta l'assistenza."))
            return
        job.filename = exporter.filename()
        job.content_type = exporter.content_type
        job.status = ExportStatus.DONE
        job.progress = 100
        job.finished_at = timezone.now()
        job.expires_at = job.finished_at + settings.EXPORT_TTL
        job.save()
        _notify(job, str(cls.verbose_name))


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error=message, finished_at=timezone.now())


def _notify(job: ExportJob, name: str) -> None:
    if not job.user.email:
        return
    link = job.site_url.rstrip("/") + reverse("admin:reports_exportjob_download", args=[job.pk])
    send_mail(
        _("Esportazione pronta: %(name)s") % {"name": name},
        _(
            "La tua esportazione «%(name)s» è pronta. Scaricala entro il %(expires)s da:\n%(link)s\n\n"
            "Il collegamento richiede l'accesso con il tuo utente."
        )
        % {"name": name, "expires": timezone.localtime(job.expires_at).strftime("%d/%m/%Y %H:%M"), "link": link},
        None,
        [job.user.email],
    )


@shared_task(ignore_result=True)
def import_run(job_id: str) -> None:
    """Run an import job: the dry run, or (once its owner confirmed) the write. Idempotent."""
    from reports import importers
    from reports.importers import ImportFileError
    from reports.models import ImportJob, ImportStatus

    job = ImportJob.objects.filter(pk=job_id).select_related("user").first()
    if job is None:
        return
    phase = ImportStatus.WRITING if job.confirmed else ImportStatus.CHECKING
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(status=phase, progress=1)
    if not claimed:
        return

    def progress(percent: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=max(1, min(99, percent)))

    with translation.override(job.language):
        cls = importers.REGISTRY.get(job.importer)
        if cls is None or cls not in importers.available(job.user):
            _import_fail(job_id, _("Non hai i permessi per questa importazione."))
            return
        importer = cls(job.user, progress=progress)
        try:
            with job.file.open("rb") as fh:
                rows = importers.read_table(fh)
            report = importer.write(rows) if job.confirmed else importer.dry_run(rows)
        except ImportFileError as exc:
            _import_fail(job_id, str(exc))
            return
        except Exception:
            logger.exception("import %s failed", job_id)
            _import_fail(
                job_id, _("L'importazione non è riuscita: nulla è stato salvato. Riprova o contatta l'assistenza.")
            )
            return
        done = ImportStatus.DONE if job.confirmed else ImportStatus.CHECKED
        status = done if report.ok else ImportStatus.INVALID
        ImportJob.objects.filter(pk=job_id).update(
            status=status,
            progress=100,
            new=report.new,
            updated=report.updated,
            unchanged=report.unchanged,
            # The first thousand problems are plenty to fix a file; the count says how many in all.
            errors=[[e.row, str(e.column), str(e.message)] for e in report.errors[:1000]],
            error_count=len(report.errors),
            finished_at=timezone.now(),
        )
        if status == ImportStatus.DONE:
            job.file.delete(save=False)
            ImportJob.objects.filter(pk=job_id).update(file="")


def _import_fail(job_id, message: str) -> None:
    from reports.models import ImportJob, ImportStatus

    ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, error=message, finished_at=timezone.now())


@shared_task(ignore_result=True)
def purge_expired() -> None:
    """Hourly (beat): expired export files and stale import uploads go."""
    from reports import services

    exports = services.export_job_purge()
    uploads = services.import_upload_purge()
    if exports or uploads:
        logger.info("purged %s export files and %s import uploads", exports, uploads)

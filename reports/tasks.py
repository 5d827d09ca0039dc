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

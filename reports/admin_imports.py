"""Imports in the back office: upload, read the dry run's report, confirm, one atomic write.

Between the dry run and the confirmation the file waits in private storage under a random
name; the confirmation carries a signed token naming it, the user and the importer, valid
for an hour.
"""

from __future__ import annotations

import csv
import io
import os
import uuid

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from access import permissions
from reports import importers, services
from reports.importers import ImportFileError
from reports.models import ImportJob, ImportStatus

SIGNING_SALT = "reports.import"
TOKEN_MAX_AGE = 3600


def _storage():
    return FileSystemStorage(location=os.path.join(settings.MEDIA_ROOT, "imports"))


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File CSV o Excel (.xlsx)"),
        help_text=gettext_lazy("Al massimo 10 MB. La prima riga deve contenere le intestazioni delle colonne."),
    )


def _importer_for(request, identifier) -> importers.Importer:
    cls = importers.REGISTRY.get(identifier)
    if cls is None:
        raise Http404
    if cls not in importers.available(request.user):
        raise PermissionDenied
    return cls(request.user)


def import_view(admin, request, identifier):
    importer = _importer_for(request, identifier)
    context = {
        **admin.admin_site.each_context(request),
        "title": _("Importa: %(name)s") % {"name": importer.verbose_name},
        "importer": importer,
        "opts": admin.model._meta,
    }
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, importer, context)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = importers.read_table(upload)
            if len(rows) - 1 > settings.IMPORT_JOB_ROWS:
                # A large file: the dry run (and later the write) runs in a worker, with progress.
                upload.seek(0)
                job = services.import_job_create(
                    importer=importer.identifier,
                    content=upload.read(),
                    filename=upload.name or "",
                    rows=len(rows) - 1,
                    by=request.user,
                )
                messages.success(
                    request, _("Il file è grande: la prova continua in background. Questa pagina mostra l'avanzamento.")
                )
                return redirect("admin:reports_importjob_status", pk=job.pk)
            report = importer.dry_run(rows)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
            return render(request, "admin/reports/import.html", context)
        context["report"] = report
        if report.ok:
            upload.seek(0)
            name = _storage().save(f"{uuid.uuid4().hex}.upload", ContentFile(upload.read()))
            context["token"] = signing.dumps(
                {"name": name, "user": request.user.pk, "importer": importer.identifier}, salt=SIGNING_SALT
            )
    return render(request, "admin/reports/import.html", context)


def _confirm(request, importer, context):
    try:
        data = signing.loads(request.POST["token"], salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("La conferma è scaduta o non è valida: carica di nuovo il file."))
        return redirect(request.path)
    if data["user"] != request.user.pk or data["importer"] != importer.identifier:
        raise PermissionDenied
    storage = _storage()
    if not storage.exists(data["name"]):
        messages.error(request, _("La conferma è scaduta o non è valida: carica di nuovo il file."))
        return redirect(request.path)
    with storage.open(data["name"], "rb") as fh:
        rows = importers.read_table(fh)
    report = importer.write(rows)
    if not report.ok:
        # The data changed between the dry run and the confirmation: nothing was written.
        context.update(form=ImportUploadForm(), report=report)
        return render(request, "admin/reports/import.html", context)
    storage.delete(data["name"])
    messages.success(
        request,
        _("Importazione completata: %(new)s nuove righe, %(updated)s aggiornate, %(unchanged)s invariate.")
        % {"new": report.new, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect(request.path)


def template_view(admin, request, identifier):
    """An empty CSV with the expected headings (semicolon, BOM: Italian Excel opens it)."""
    importer = _importer_for(request, identifier)
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow(importer.headers())
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modello-{importer.identifier}.csv"'
    return response


# --- large imports as jobs ---------------------------------------------------------------------


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The user's own import jobs: progress, the dry run's report, the confirmation, the outcome."""

    list_display = ["importer_name", "filename", "rows", "status", "progress_text", "created_at", "link"]
    list_filter = ["status"]

    def _may_import(self, request) -> bool:
        return permissions.can(request.user, permissions.VIEW, "reports.importjob")

    def has_module_permission(self, request):
        return self._may_import(request)

    def has_view_permission(self, request, obj=None):
        return self._may_import(request) and (obj is None or obj.user_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj) and (obj is None or not obj.running)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    @admin.display(description=gettext_lazy("importazione"))
    def importer_name(self, job):
        cls = importers.REGISTRY.get(job.importer)
        return cls.verbose_name if cls else job.importer

    @admin.display(description=gettext_lazy("avanzamento"))
    def progress_text(self, job):
        return f"{job.progress}%"

    @admin.display(description=gettext_lazy("dettagli"))
    def link(self, job):
        return format_html('<a href="{}">{}</a>', reverse("admin:reports_importjob_status", args=[job.pk]), _("Stato"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<uuid:pk>/stato/", view(self.status_view), name="reports_importjob_status"),
            *super().get_urls(),
        ]

    def status_view(self, request, pk):
        if not self._may_import(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=pk, user=request.user)
        if request.method == "POST" and job.status == ImportStatus.CHECKED:
            try:
                services.import_job_confirm(job=job, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("admin:reports_importjob_status", pk=job.pk)
        if request.GET.get("json"):
            # Polled by export-status.js: the page reloads itself once the job has ended.
            return JsonResponse(
                {
                    "status": job.status,
                    "label": job.get_status_display(),
                    "progress": job.progress,
                    "running": job.running,
                }
            )
        cls = importers.REGISTRY.get(job.importer)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Importa: %(name)s") % {"name": cls.verbose_name if cls else job.importer},
            "opts": self.model._meta,
            "job": job,
            "running": job.running,
            "errors": [importers.RowError(*e) for e in job.errors],
        }
        return render(request, "admin/reports/importjob/status.html", context)

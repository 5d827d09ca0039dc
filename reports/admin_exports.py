"""Exports in the back office: choose a report, queue it, watch its progress, download it.

Jobs belong to the user who asked: the list, the status page and the download answer only
for that user's jobs (404 otherwise), whatever their role.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from access import permissions
from reports import exporters, services
from reports.models import ExportJob, ExportStatus


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["exporter_name", "status", "progress_text", "created_at", "expires_at", "download"]
    list_filter = ["status"]
    change_list_template = "admin/reports/exportjob/change_list.html"

    # --- access: the permission table says who exports, ownership says which jobs ---
    def _may_export(self, request) -> bool:
        return permissions.can(request.user, permissions.VIEW, "reports.exportjob")

    def has_module_permission(self, request):
        return self._may_export(request)

    def has_view_permission(self, request, obj=None):
        return self._may_export(request) and (obj is None or obj.user_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    # --- columns --------------------------------------------------------------------
    @admin.display(description=_("esportazione"))
    def exporter_name(self, job):
        cls = exporters.REGISTRY.get(job.exporter)
        return cls.verbose_name if cls else job.exporter

    @admin.display(description=_("avanzamento"))
    def progress_text(self, job):
        return f"{job.progress}%"

    @admin.display(description=_("file"))
    def download(self, job):
        if job.is_downloadable:
            return format_html(
                '<a href="{}">{}</a>', reverse("admin:reports_exportjob_download", args=[job.pk]), _("Scarica")
            )
        return format_html('<a href="{}">{}</a>', reverse("admin:reports_exportjob_status", args=[job.pk]), _("Stato"))

    # --- pages ----------------------------------------------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("nuova/", view(self.choose_view), name="reports_exportjob_choose"),
            path("nuova/<slug:identifier>/", view(self.request_view), name="reports_exportjob_request"),
            path("<uuid:pk>/stato/", view(self.status_view), name="reports_exportjob_status"),
            path("<uuid:pk>/scarica/", view(self.download_view), name="reports_exportjob_download"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **extra}

    def choose_view(self, request):
        if not self._may_export(request):
            raise PermissionDenied
        choices = exporters.available(request.user)
        return render(
            request,
            "admin/reports/exportjob/choose.html",
            self._context(request, _("Nuova esportazione"), choices=choices),
        )

    def request_view(self, request, identifier):
        cls = exporters.REGISTRY.get(identifier)
        if cls is None:
            raise Http404
        if not self._may_export(request) or not permissions.can(request.user, permissions.VIEW, cls.permission):
            raise PermissionDenied
        form = exporters.ExportForm(request.POST or None, user=request.user, exporter=cls)
        if request.method == "POST" and form.is_valid():
            job = services.export_job_create(
                exporter=identifier, params=form.params(), by=request.user, site_url=request.build_absolute_uri("/")
            )
            messages.success(request, _("Esportazione in coda: la pagina si aggiorna fino a quando il file è pronto."))
            return redirect("admin:reports_exportjob_status", pk=job.pk)
        return render(
            request,
            "admin/reports/exportjob/request.html",
            self._context(request, cls.verbose_name, form=form, exporter=cls),
        )

    def _own_job(self, request, pk) -> ExportJob:
        if not self._may_export(request):
            raise PermissionDenied
        return get_object_or_404(ExportJob, pk=pk, user=request.user)

    def status_view(self, request, pk):
        job = self._own_job(request, pk)
        cls = exporters.REGISTRY.get(job.exporter)
        running = job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
        if request.GET.get("json"):
            # Polled by export-status.js: the page reloads itself once the job has ended.
            return JsonResponse(
                {"status": job.status, "label": job.get_status_display(), "progress": job.progress, "running": running}
            )
        return render(
            request,
            "admin/reports/exportjob/status.html",
            self._context(request, cls.verbose_name if cls else job.exporter, job=job, running=running),
        )

    def download_view(self, request, pk):
        job = self._own_job(request, pk)
        if not job.is_downloadable:
            return render(
                request,
                "admin/reports/exportjob/status.html",
                self._context(request, _("File non disponibile"), job=job, running=False),
                status=410 if job.status in (ExportStatus.DONE, ExportStatus.EXPIRED) else 404,
            )
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type
        )

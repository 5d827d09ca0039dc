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
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import importers
from reports.importers import ImportFileError

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

"""Serving uploaded files to readers without trusting them.

Uploads never go through the static file server: this view answers with the type we
recognised at upload time, `nosniff`, a sandboxing Content-Security-Policy, and as an
attachment unless the file is a PNG or JPEG image.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from content.models import MaterialFile

logger = logging.getLogger(__name__)

# Nothing in a served file may run or load anything, even if a browser renders it.
FILE_CSP = "default-src 'none'; img-src 'self'; sandbox"


def material_file_response(material_file: MaterialFile) -> HttpResponse:
    kind = material_file.kind
    if kind is None:
        raise Http404
    prefix = settings.DOWNLOADS_X_ACCEL_PREFIX
    if prefix:
        # Behind nginx: Django decides (published? which type?) and nginx sends the bytes
        # from its `internal` location, so no gunicorn worker is held for the transfer.
        response = HttpResponse(content_type=kind.content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(material_file.file.name)
        disposition = "inline" if kind.is_image else "attachment"
        response["Content-Disposition"] = content_disposition_header(
            disposition == "attachment", material_file.download_name
        )
        return _protect(response)
    try:
        handle = material_file.file.open("rb")
    except (FileNotFoundError, ValueError):
        logger.error("Material file %s is missing from storage (%s)", material_file.pk, material_file.file.name)
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=kind.content_type,
        as_attachment=not kind.is_image,
        filename=material_file.download_name,
    )
    return _protect(response)


def _protect(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response

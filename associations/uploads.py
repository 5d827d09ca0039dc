"""Association logos: a PNG or JPEG recognised by its content (content.uploads), 2 MB at most."""

from __future__ import annotations

from pathlib import PurePath
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from content.uploads import inspect_upload

MAX_LOGO_BYTES = 2 * 1024 * 1024


def validate_logo(value) -> None:
    if getattr(value, "_committed", True):
        return
    if value.size and value.size > MAX_LOGO_BYTES:
        raise ValidationError(
            _("Il file pesa %(size)s: il limite è %(limit)s."),
            code="too_big",
            params={"size": filesizeformat(value.size), "limit": filesizeformat(MAX_LOGO_BYTES)},
        )
    if not inspect_upload(value).is_image:
        raise ValidationError(_("Il logo deve essere un'immagine PNG o JPEG."), code="not_image")


def logo_upload_to(instance, filename: str) -> str:
    return f"loghi/{uuid4().hex}{PurePath(filename).suffix.lower()}"

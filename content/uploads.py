"""What a material file may be: PDF or a PNG/JPEG image, recognised by its first bytes.

The type is decided from the content, and the extension must agree with it: a page that
calls itself `.pdf`, an SVG (which can carry scripts) or anything else is refused. The
content type stored and later sent to readers is ours, never the one the browser declared.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    label: str  # shown to readers: "PDF, 240 KB"
    content_type: str
    extensions: tuple[str, ...]
    magic: tuple[bytes, ...]
    is_image: bool

    @property
    def extension(self) -> str:
        return self.extensions[0]


KINDS = (
    FileKind("PDF", "application/pdf", (".pdf",), (b"%PDF-",), is_image=False),
    FileKind("PNG", "image/png", (".png",), (b"\x89PNG\r\n\x1a\n",), is_image=True),
    FileKind("JPEG", "image/jpeg", (".jpg", ".jpeg"), (b"\xff\xd8\xff",), is_image=True),
)
BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}
CONTENT_TYPE_CHOICES = [(kind.content_type, kind.label) for kind in KINDS]
ACCEPT = ",".join([kind.content_type for kind in KINDS] + [ext for kind in KINDS for ext in kind.extensions])
_HEAD_BYTES = 16


def sniff(data: bytes) -> FileKind | None:
    """The kind whose signature starts `data`, or None."""
    return next((kind for kind in KINDS if data.startswith(kind.magic)), None)


def head(file) -> bytes:
    """The first bytes of a file, leaving its position where it was."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    data = file.read(_HEAD_BYTES)
    file.seek(position)
    return data


def inspect_upload(file) -> FileKind:
    """Check an uploaded file and return its kind; raise ValidationError with a reader's message.

    `file` is an UploadedFile or a FieldFile holding one (a model field's validator).
    """
    size = file.size
    if not size:
        raise ValidationError(_("Il file è vuoto."), code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Il file pesa %(size)s: il limite è %(limit)s."),
            code="too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
        )
    kind = sniff(head(file))
    if kind is None:
        raise ValidationError(
            _("Si possono caricare solo documenti PDF e immagini PNG o JPEG: questo file non lo è."),
            code="bad_type",
        )
    extension = PurePath(file.name or "").suffix.lower()
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "Il nome del file termina con «%(extension)s» ma il contenuto è un %(kind)s: "
                "rinominalo in «%(expected)s»."
            ),
            code="extension_mismatch",
            params={"extension": extension or "—", "kind": kind.label, "expected": kind.extension},
        )
    return kind


def validate_material_file(value) -> None:
    """Model-field validator: checks new uploads; a file already stored was checked when it came in."""
    if getattr(value, "_committed", True):
        return
    inspect_upload(value)


def material_upload_to(instance, filename: str) -> str:
    """A name of ours: the uploader's file name never reaches the disk or a URL."""
    extension = PurePath(filename).suffix.lower()
    return f"materiali/{uuid4().hex}{extension}"

"""Publications of the portal: downloadable information materials and news.

They live apart from `services/` because they are things the Regione and the ambiti
publish, not desks people go to. Both may belong to an ambito or, with none, to the whole
region (curated by the Regione only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content import uploads
from content.querysets import MaterialQuerySet, NewsQuerySet

REGIONAL_HELP = _("Vuoto per i contenuti regionali, curati da Regione Lombardia.")


class Material(models.Model):
    """An information leaflet or poster, with one file per language it exists in."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("titolo"), max_length=200)
    description = models.TextField(_("descrizione"), blank=True)
    categories = models.ManyToManyField(
        "services.ServiceCategory", blank=True, related_name="materials", verbose_name=_("servizi")
    )
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("ambito"),
        help_text=REGIONAL_HELP,
    )
    macro_azione = models.ForeignKey(
        "plan.MacroAzione",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("macro-azione"),
    )
    is_published = models.BooleanField(_("pubblicato"), default=False)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)
    updated_at = models.DateTimeField(_("ultimo aggiornamento"), auto_now=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("materiale informativo")
        verbose_name_plural = _("materiali informativi")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('content:materials')}#{self.slug}"


class MaterialFile(models.Model):
    """The file of a material in one language (PDF or image), checked when it is uploaded."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="files", verbose_name=_("materiale"))
    language = models.CharField(_("lingua"), max_length=10, choices=settings.LANGUAGES)
    file = models.FileField(
        _("file"),
        upload_to=uploads.material_upload_to,
        max_length=200,
        validators=[uploads.validate_material_file],
        help_text=_("PDF, PNG o JPEG, al massimo 10 MB."),
    )
    # Filled from the file itself when it is uploaded (see clean), never from the browser.
    size = models.PositiveIntegerField(_("dimensione (byte)"), default=0, editable=False)
    content_type = models.CharField(
        _("tipo"), max_length=40, choices=uploads.CONTENT_TYPE_CHOICES, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("ultimo aggiornamento"), auto_now=True)

    class Meta:
        verbose_name = _("file del materiale")
        verbose_name_plural = _("file per lingua")
        ordering = ["material", "language"]
        constraints = [
            models.UniqueConstraint(fields=["material", "language"], name="materialfile_one_per_language"),
            models.CheckConstraint(
                condition=Q(content_type__in=[kind.content_type for kind in uploads.KINDS]),
                name="materialfile_allowed_type",
                violation_error_message=_("Il file deve essere un PDF o un'immagine PNG o JPEG."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material} ({self.get_language_display()})"

    def get_absolute_url(self) -> str:
        return reverse("content:material_file", args=[self.material.slug, self.language])

    def clean(self) -> None:
        # The field validator has already refused a bad upload; a good one tells us its kind.
        if self.file and not self.file._committed:
            kind = uploads.sniff(uploads.head(self.file))
            if kind is not None:
                self.content_type = kind.content_type
                self.size = self.file.size

    @property
    def kind(self) -> uploads.FileKind | None:
        return uploads.BY_CONTENT_TYPE.get(self.content_type)

    @property
    def download_name(self) -> str:
        """The name a reader's browser saves the file under."""
        kind = self.kind
        return f"{self.material.slug}-{self.language}{kind.extension if kind else ''}"


class News(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("titolo"), max_length=200)
    summary = models.TextField(_("in breve"), blank=True)
    body = models.TextField(_("testo"), blank=True)
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="news",
        verbose_name=_("ambito"),
        help_text=REGIONAL_HELP,
    )
    published_at = models.DateTimeField(
        _("data di pubblicazione"),
        default=timezone.now,
        help_text=_("Con una data futura la notizia compare da quel momento."),
    )
    is_published = models.BooleanField(_("pubblicata"), default=False)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)
    updated_at = models.DateTimeField(_("ultimo aggiornamento"), auto_now=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("notizia")
        verbose_name_plural = _("notizie")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:news", args=[self.slug])

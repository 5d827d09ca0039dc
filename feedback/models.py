"""What readers tell us without an account: page ratings, wrong desk data, missing desks.

Nothing here asks for personal data: no name, no e-mail, no IP address is stored (the
rate limit counts addresses in the cache only, for a few minutes).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PageFeedbackQuerySet(models.QuerySet):
    def summary(self):
        """Average rating and count per page and language, worst pages first."""
        return (
            self.values("page", "language")
            .annotate(average=models.Avg("rating"), count=models.Count("pk"))
            .order_by("average", "-count")
        )


class PageFeedback(models.Model):
    """An answer to "Was this page clear?" at the foot of a public page."""

    page = models.CharField(_("pagina"), max_length=300, db_index=True, help_text=_("Indirizzo senza la lingua."))
    language = models.CharField(_("lingua"), max_length=10, choices=settings.LANGUAGES)
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="page_feedback",
        verbose_name=_("ambito"),
        help_text=_("L'ambito a cui appartiene il contenuto; vuoto per le pagine regionali."),
    )
    rating = models.PositiveSmallIntegerField(_("chiarezza"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("commento"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("ricevuto il"), auto_now_add=True, db_index=True)

    objects = PageFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("valutazione di una pagina")
        verbose_name_plural = _("valutazioni delle pagine")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.page} ({self.language}): {self.rating}/5"


class ReportKind(models.TextChoices):
    WRONG_INFO = "wrong_info", _("Informazioni sbagliate su uno sportello")
    MISSING_DESK = "missing_desk", _("Sportello mancante")


class ReportTopic(models.TextChoices):
    HOURS = "hours", _("Orari")
    ADDRESS = "address", _("Indirizzo o luogo")
    CONTACTS = "contacts", _("Telefono, e-mail o sito")
    LANGUAGES = "languages", _("Lingue parlate")
    SERVICES = "services", _("Servizi offerti")
    CLOSED = "closed", _("Lo sportello non esiste più")
    OTHER = "other", _("Altro")


class ReportStatus(models.TextChoices):
    NEW = "new", _("Da verificare")
    RESOLVED = "resolved", _("Corretto")
    DISMISSED = "dismissed", _("Archiviato senza modifiche")


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReportStatus.NEW)


class Report(models.Model):
    """A reader's report in the moderation queue of the ambito it concerns."""

    kind = models.CharField(_("tipo"), max_length=20, choices=ReportKind.choices)
    sportello = models.ForeignKey(
        "services.Sportello",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("sportello"),
    )
    comune = models.ForeignKey(
        "territories.Comune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comune"),
    )
    # Copied from the desk or the comune when the report arrives: the queue it lands in.
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("ambito"),
    )
    topic = models.CharField(_("argomento"), max_length=20, choices=ReportTopic.choices, blank=True)
    desk_name = models.CharField(_("nome dello sportello"), max_length=200, blank=True)
    address = models.CharField(_("indirizzo"), max_length=255, blank=True)
    message = models.TextField(_("messaggio"), max_length=2000)
    language = models.CharField(_("lingua"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("ricevuta il"), auto_now_add=True, db_index=True)
    status = models.CharField(_("stato"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestita da"),
    )
    handled_at = models.DateTimeField(_("gestita il"), null=True, blank=True)
    note = models.TextField(_("nota interna"), blank=True)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("segnalazione")
        verbose_name_plural = _("segnalazioni")
        ordering = ["status", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="wrong_info") | models.Q(sportello__isnull=False),
                name="report_wrong_info_has_desk",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="missing_desk") | models.Q(comune__isnull=False),
                name="report_missing_desk_has_comune",
            ),
        ]

    def __str__(self) -> str:
        subject = self.sportello or self.desk_name or self.comune
        return f"{self.get_kind_display()}: {subject}"

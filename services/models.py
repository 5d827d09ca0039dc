"""Information desks (sportelli) and the reference lists they use.

A desk page follows the sections of an Italian PA service page; opening hours are weekly
slots plus dated closures, read by services.opening in Europe/Rome time.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.querysets import SportelloQuerySet


class ServiceCategory(models.Model):
    key = models.SlugField(_("codice"), max_length=40, unique=True)
    name = models.CharField(_("nome"), max_length=120)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("categoria di servizio")
        verbose_name_plural = _("categorie di servizio")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    """A language people speak (ISO 639-1 or -3 code), not a language of the site."""

    code = models.CharField(_("codice ISO 639"), max_length=8, unique=True)
    name = models.CharField(_("nome"), max_length=80)

    class Meta:
        verbose_name = _("lingua parlata")
        verbose_name_plural = _("lingue parlate")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OpeningMode(models.TextChoices):
    REGULAR = "regular", _("Orari regolari")
    APPOINTMENT_RECOMMENDED = "appointment_recommended", _("Orari regolari, appuntamento consigliato")
    APPOINTMENT_ONLY = "appointment_only", _("Solo su appuntamento")
    TEMPORARILY_CLOSED = "temporarily_closed", _("Temporaneamente chiuso")


# Lombardy's bounding box, a little generous: coordinates outside it are a typo.
LAT_RANGE = (44.6, 46.7)
LON_RANGE = (8.4, 11.5)


class Sportello(models.Model):
    ambito = models.ForeignKey(
        "territories.Ambito", on_delete=models.PROTECT, related_name="sportelli", verbose_name=_("ambito")
    )
    partner = models.ForeignKey(
        "territories.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sportelli",
        verbose_name=_("ente gestore"),
    )
    name = models.CharField(_("nome"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("descrizione"), blank=True)
    # The sections of an Italian PA service page (Designers Italia model).
    audience = models.TextField(_("a chi si rivolge"), blank=True)
    how_to_access = models.TextField(_("come fare"), blank=True)
    # The documents of a procedure live once, in the guide of the service (GuideStep.checklist);
    # the desk page shows them from there (services/templatetags/desks.py). Here only extras.
    what_to_bring = models.TextField(
        _("documenti in più chiesti da questo sportello"),
        blank=True,
        help_text=_(
            "Solo ciò che questo sportello chiede oltre ai documenti della guida del servizio, "
            "che la pagina mostra già. Un documento per riga."
        ),
    )
    what_you_get = models.TextField(_("cosa si ottiene"), blank=True)
    accessibility_notes = models.TextField(_("accessibilità della sede"), blank=True)
    address = models.CharField(_("indirizzo"), max_length=255)
    comune = models.ForeignKey(
        "territories.Comune", on_delete=models.PROTECT, related_name="sportelli", verbose_name=_("comune")
    )
    served_comuni = models.ManyToManyField(
        "territories.Comune",
        blank=True,
        related_name="served_by_sportelli",
        verbose_name=_("altri comuni serviti"),
        help_text=_("Lo sportello serve già tutti i comuni del suo ambito; aggiungi qui quelli di altri ambiti."),
    )
    latitude = models.DecimalField(_("latitudine"), max_digits=8, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitudine"), max_digits=8, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("sito web"), blank=True)
    booking_url = models.URLField(_("prenotazione online"), blank=True)
    opening_mode = models.CharField(
        _("modalità di apertura"), max_length=30, choices=OpeningMode.choices, default=OpeningMode.REGULAR
    )
    reopening_date = models.DateField(_("data di riapertura"), null=True, blank=True)
    categories = models.ManyToManyField(ServiceCategory, related_name="sportelli", verbose_name=_("servizi offerti"))
    languages = models.ManyToManyField(Language, related_name="sportelli", blank=True, verbose_name=_("lingue parlate"))
    is_published = models.BooleanField(_("pubblicato"), default=False)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)
    updated_at = models.DateTimeField(_("ultimo aggiornamento"), auto_now=True)

    objects = SportelloQuerySet.as_manager()

    class Meta:
        verbose_name = _("sportello informativo")
        verbose_name_plural = _("sportelli informativi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services:sportello", args=[self.slug])

    def clean(self) -> None:
        errors = {}
        if self.opening_mode == OpeningMode.TEMPORARILY_CLOSED and not self.reopening_date:
            errors["reopening_date"] = _("Indica quando lo sportello riapre (anche una data prevista).")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Indica sia la latitudine sia la longitudine, o nessuna delle due.")
        elif self.latitude is not None:
            if not LAT_RANGE[0] <= float(self.latitude) <= LAT_RANGE[1]:
                errors["latitude"] = _("La latitudine è fuori dalla Lombardia.")
            if not LON_RANGE[0] <= float(self.longitude) <= LON_RANGE[1]:
                errors["longitude"] = _("La longitudine è fuori dalla Lombardia.")
        if errors:
            raise ValidationError(errors)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lunedì")
    TUESDAY = 1, _("martedì")
    WEDNESDAY = 2, _("mercoledì")
    THURSDAY = 3, _("giovedì")
    FRIDAY = 4, _("venerdì")
    SATURDAY = 5, _("sabato")
    SUNDAY = 6, _("domenica")


class OpeningSlot(models.Model):
    sportello = models.ForeignKey(
        Sportello, on_delete=models.CASCADE, related_name="slots", verbose_name=_("sportello")
    )
    weekday = models.PositiveSmallIntegerField(_("giorno"), choices=Weekday.choices)
    opens = models.TimeField(_("apre alle"))
    closes = models.TimeField(_("chiude alle"))

    class Meta:
        verbose_name = _("fascia oraria")
        verbose_name_plural = _("orari settimanali")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="slot_closes_after_opening"),
            # The same slot twice can only be a mistake (the public page would show
            # "14:00–16:00, 14:00–16:00"); overlaps are refused by the service.
            models.UniqueConstraint(
                fields=["sportello", "weekday", "opens", "closes"],
                name="slot_unique_per_desk_day",
                violation_error_message=_("Questa fascia oraria c'è già per lo stesso giorno."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("L'orario di chiusura deve seguire quello di apertura.")})

    def overlaps(self, other: OpeningSlot) -> bool:
        """Same day and the two intervals share some time (touching ends do not overlap)."""
        return self.weekday == other.weekday and self.opens < other.closes and other.opens < self.closes

    def overlap_error(self, other: OpeningSlot) -> ValidationError:
        return ValidationError(
            _("La fascia %(slot)s si sovrappone a %(other)s: correggi o elimina una delle due.")
            % {"slot": str(self), "other": str(other)},
            code="overlap",
        )


class Closure(models.Model):
    """A closure on given days (holidays, August break) on top of the weekly hours."""

    sportello = models.ForeignKey(
        Sportello, on_delete=models.CASCADE, related_name="closures", verbose_name=_("sportello")
    )
    start_date = models.DateField(_("dal"))
    end_date = models.DateField(_("al"))
    reason = models.CharField(_("motivo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("chiusura")
        verbose_name_plural = _("chiusure")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="closure_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fine della chiusura non può precedere l'inizio.")})


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Guide(models.Model):
    """A step-by-step guide to a procedure (e.g. a residence permit renewal at the Questura)."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("titolo"), max_length=200)
    summary = models.TextField(_("in breve"), blank=True)
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guides",
        verbose_name=_("ambito"),
        help_text=_("Vuoto per le guide regionali, curate da Regione Lombardia."),
    )
    categories = models.ManyToManyField(ServiceCategory, blank=True, related_name="guides", verbose_name=_("servizi"))
    source = models.CharField(
        _("fonte"), max_length=255, blank=True, help_text=_("Chi ha scritto o verificato la procedura.")
    )
    verified_on = models.DateField(
        _("verificata il"),
        null=True,
        blank=True,
        help_text=_("Giorno in cui i fatti della guida sono stati controllati sulle fonti ufficiali."),
    )
    is_published = models.BooleanField(_("pubblicata"), default=False)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)
    updated_at = models.DateTimeField(_("ultimo aggiornamento"), auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        verbose_name = _("guida")
        verbose_name_plural = _("guide")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("services:guide", args=[self.slug])


class GuideSource(models.Model):
    """An official public page a guide's facts (fees, offices, deadlines) were taken from."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="sources", verbose_name=_("guida"))
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    title = models.CharField(_("titolo della pagina"), max_length=300)
    publisher = models.CharField(_("ente che la pubblica"), max_length=200)
    url = models.URLField(_("indirizzo"), max_length=500)

    class Meta:
        verbose_name = _("fonte")
        verbose_name_plural = _("fonti")
        ordering = ["guide", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "url"], name="guide_source_unique_url"),
            models.CheckConstraint(condition=models.Q(url__startswith="https://"), name="guide_source_https"),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"


class GuideStep(models.Model):
    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="steps", verbose_name=_("guida"))
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    title = models.CharField(_("titolo"), max_length=200)
    body = models.TextField(_("cosa fare"), blank=True)
    checklist = models.TextField(_("documenti da portare"), blank=True, help_text=_("Un documento per riga."))

    class Meta:
        verbose_name = _("passo")
        verbose_name_plural = _("passi")
        ordering = ["guide", "order", "pk"]

    def __str__(self) -> str:
        return self.title

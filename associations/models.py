"""Associations of the territory (migrants' own ones first) and the events they and the ambiti hold.

An association proposes itself through a public form and appears on the site only once the
operator of its ambito has published it. A representative account (Representative) then
keeps its page and its events. Events may repeat (a small RRULE subset, see `recurrence`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from associations import recurrence, uploads
from associations.querysets import AssociationQuerySet, EventQuerySet


class AssociationKind(models.TextChoices):
    MIGRANTS = "migranti", _("Associazione di migranti")
    VOLUNTEERING = "volontariato", _("Volontariato")
    SPORTS = "sport", _("Sport")
    CULTURAL = "cultura", _("Cultura")
    RELIGIOUS = "religiosa", _("Comunità religiosa o centro culturale")
    PARENTS = "genitori", _("Gruppo di genitori")
    OTHER = "altro", _("Altro")


class TopicKey(models.TextChoices):
    LANGUAGE = "lingua", _("Lingua italiana")
    SCHOOL = "scuola", _("Scuola e famiglie")
    WORK = "lavoro", _("Lavoro")
    HOUSING = "casa", _("Casa")
    HEALTH = "salute", _("Salute")
    LEGAL = "diritti", _("Documenti e diritti")
    CULTURE = "intercultura", _("Intercultura")
    WOMEN = "donne", _("Donne")
    YOUTH = "giovani", _("Giovani")
    SPORT = "sport", _("Sport e tempo libero")


class Topic(models.Model):
    """One of TopicKey (rows created by a migration), so associations can be filtered by it."""

    key = models.CharField(_("codice"), max_length=20, choices=TopicKey.choices, unique=True)

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("temi")
        ordering = ["key"]

    def __str__(self) -> str:
        return str(self.get_key_display())


class AssociationStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    PROPOSED = "proposed", _("Proposta, da verificare")
    PUBLISHED = "published", _("Pubblicata")
    REJECTED = "rejected", _("Non pubblicata")


class Association(models.Model):
    name = models.CharField(_("nome"), max_length=200)
    # Left empty, the service makes one from the name (see services.unique_slug).
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=AssociationKind.choices)
    comune = models.ForeignKey(
        "territories.Comune", on_delete=models.PROTECT, related_name="associations", verbose_name=_("comune")
    )
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="associations",
        verbose_name=_("ambito"),
    )
    communities = models.CharField(
        _("comunità"), max_length=255, blank=True, help_text=_("Per esempio: senegalese, ucraina.")
    )
    languages = models.ManyToManyField(
        "services.Language", blank=True, related_name="associations", verbose_name=_("lingue parlate")
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="associations", verbose_name=_("temi"))
    description = models.TextField(_("descrizione"), blank=True)
    address = models.CharField(_("indirizzo"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitudine"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitudine"), max_digits=9, decimal_places=6, null=True, blank=True)
    contact_person = models.CharField(_("persona di contatto"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    # The association decides which of its contacts the site shows.
    show_contact_person = models.BooleanField(_("mostra la persona di contatto"), default=False)
    show_email = models.BooleanField(_("mostra l'email"), default=True)
    show_phone = models.BooleanField(_("mostra il telefono"), default=False)
    website = models.URLField(_("sito web"), blank=True)
    facebook = models.URLField("Facebook", blank=True)
    instagram = models.URLField("Instagram", blank=True)
    logo = models.FileField(
        _("logo"),
        upload_to=uploads.logo_upload_to,
        max_length=200,
        blank=True,
        validators=[uploads.validate_logo],
        help_text=_("PNG o JPEG, al massimo 2 MB."),
    )
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    status = models.CharField(
        _("stato"), max_length=20, choices=AssociationStatus.choices, default=AssociationStatus.DRAFT
    )
    active = models.BooleanField(_("attiva"), default=True)
    # Who proposed it through the public form: never shown on the site.
    proposer_name = models.CharField(_("proposta da"), max_length=150, blank=True)
    proposer_email = models.EmailField(_("email di chi propone"), blank=True)
    proposer_language = models.CharField(
        _("lingua di chi propone"), max_length=10, choices=settings.LANGUAGES, default="it"
    )
    decision_note = models.TextField(
        _("nota per chi propone"), blank=True, help_text=_("Inviata per email con la decisione.")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verificata da"),
    )
    reviewed_at = models.DateTimeField(_("verificata il"), null=True, blank=True)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("ultimo aggiornamento"), auto_now=True)

    objects = AssociationQuerySet.as_manager()

    class Meta:
        verbose_name = _("associazione")
        verbose_name_plural = _("associazioni")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "active"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The ambito follows the comune (as for reports from the public).
        if self.comune_id and not self.ambito_id:
            self.ambito_id = self.comune.ambito_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("associations:detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status == AssociationStatus.PUBLISHED and self.active


class Representative(models.Model):
    """The back-office account that keeps one association's page and events."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="association_representative",
        verbose_name=_("utente"),
    )
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="representatives", verbose_name=_("associazione")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referente di associazione")
        verbose_name_plural = _("referenti delle associazioni")

    def __str__(self) -> str:
        return f"{self.user} — {self.association}"


class Audience(models.TextChoices):
    EVERYONE = "tutti", _("Tutti")
    FAMILIES = "famiglie", _("Famiglie")
    CHILDREN = "bambini", _("Bambini e ragazzi")
    WOMEN = "donne", _("Donne")
    WORKERS = "operatori", _("Operatori e volontari")


class Recurrence(models.TextChoices):
    NONE = "", _("Non si ripete")
    WEEKLY = "WEEKLY", _("Ogni settimana")
    MONTHLY = "MONTHLY", _("Ogni mese")


class Event(models.Model):
    # Left empty, the service makes one from the Italian title.
    slug = models.SlugField(_("slug"), max_length=120, unique=True, blank=True)
    title = models.CharField(_("titolo"), max_length=200)
    description = models.TextField(_("descrizione"), blank=True)
    # Organiser: the ambito itself, a partner of its network, or an association.
    ambito = models.ForeignKey(
        "territories.Ambito", on_delete=models.PROTECT, related_name="events", verbose_name=_("ambito")
    )
    partner = models.ForeignKey(
        "territories.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("partner organizzatore"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("associazione organizzatrice"),
    )
    start = models.DateTimeField(_("inizio"))
    end = models.DateTimeField(_("fine"))
    recurrence = models.CharField(_("ripetizione"), max_length=10, choices=Recurrence.choices, blank=True)
    recurrence_until = models.DateField(_("si ripete fino al"), null=True, blank=True)
    recurrence_count = models.PositiveSmallIntegerField(
        _("numero di volte"), null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(104)]
    )
    # End of the last occurrence, kept by save(): lets the database tell upcoming from past.
    series_end = models.DateTimeField(editable=False, db_index=True)
    place = models.CharField(_("luogo"), max_length=255)
    comune = models.ForeignKey(
        "territories.Comune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("comune"),
    )
    languages = models.ManyToManyField("services.Language", blank=True, related_name="events", verbose_name=_("lingue"))
    audience = models.CharField(_("per chi"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    is_free = models.BooleanField(_("gratuito"), default=True)
    registration_url = models.URLField(_("link per iscriversi"), blank=True)
    macro_azione = models.ForeignKey(
        "plan.MacroAzione",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("macro-azione"),
    )
    is_published = models.BooleanField(_("pubblicato"), default=False)
    activity = models.OneToOneField(
        "reports.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event",
        verbose_name=_("attività registrata"),
    )
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)
    updated_at = models.DateTimeField(_("ultimo aggiornamento"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="event_end_after_start"),
            models.CheckConstraint(
                condition=Q(recurrence="") | Q(recurrence_until__isnull=False) | Q(recurrence_count__isnull=False),
                name="event_recurrence_bounded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.series_end = recurrence.series_end(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("associations:event", args=[self.slug])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("La fine deve venire dopo l'inizio.")
        if self.recurrence:
            if not self.recurrence_until and not self.recurrence_count:
                errors["recurrence_until"] = _("Indica fino a quando si ripete o quante volte.")
            elif self.recurrence_until and self.recurrence_count:
                errors["recurrence_count"] = _("Indica la data di fine o il numero di volte, non entrambi.")
            elif self.start and self.recurrence_until and self.recurrence_until < self.start.date():
                errors["recurrence_until"] = _("La ripetizione non può finire prima dell'inizio.")
        elif self.recurrence_until or self.recurrence_count:
            errors["recurrence"] = _("Scegli ogni quanto si ripete.")
        if self.association_id and self.ambito_id and self.association.ambito_id != self.ambito_id:
            errors["ambito"] = _("L'associazione appartiene a un altro ambito.")
        if errors:
            raise ValidationError(errors)

    @property
    def organiser(self):
        return self.association or self.partner or self.ambito

    def occurrences(self, after=None, limit: int = 10):
        return recurrence.occurrences(self, after=after, limit=limit)

    def next_occurrence(self, after=None):
        found = self.occurrences(after=after, limit=1)
        return found[0] if found else None

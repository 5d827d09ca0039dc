"""Territory of the plan: provinces, comuni, ambiti and the partner networks they lead.

Provinces and comuni are ISTAT reference data (loaded by `load_reference`, never edited by
hand). An Ambito territoriale is the social-plan district that runs Lab'Impact locally; its
ente capofila and the other members of its network are Partners.
"""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.text import NATURAL_COLLATION, fold
from territories.querysets import AmbitoQuerySet, ComuneQuerySet, PartnerQuerySet


class Provincia(models.Model):
    istat_code = models.CharField(
        _("codice ISTAT"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", _("Il codice ISTAT della provincia ha 3 cifre."))],
    )
    code = models.CharField(_("sigla"), max_length=2, unique=True)
    name = models.CharField(_("nome"), max_length=100)
    is_metropolitan_city = models.BooleanField(_("città metropolitana"), default=False)

    class Meta:
        verbose_name = _("provincia")
        verbose_name_plural = _("province")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Comune(models.Model):
    istat_code = models.CharField(
        _("codice ISTAT"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("Il codice ISTAT del comune ha 6 cifre."))],
    )
    name = models.CharField(_("nome"), max_length=150, db_index=True)
    provincia = models.ForeignKey(
        Provincia, on_delete=models.PROTECT, related_name="comuni", verbose_name=_("provincia")
    )
    cadastral_code = models.CharField(
        _("codice catastale"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]\d{3}$", _("Il codice catastale è una lettera e tre cifre."))],
    )
    # common.text.fold(name), kept by save() and the loader, indexed for search.
    search_name = models.CharField(_("nome per la ricerca"), max_length=150, db_index=True, editable=False, default="")
    # Space-separated: most comuni have one CAP, the capoluoghi have ranges of them.
    postcodes = models.CharField(_("CAP"), max_length=400, blank=True)
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comuni",
        verbose_name=_("ambito territoriale"),
    )
    # The seat of the comune as GeoNames places it (territories/data/comuni_lombardia_coordinates.csv):
    # where the nearest desks are measured from.
    latitude = models.DecimalField(_("latitudine"), max_digits=7, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitudine"), max_digits=7, decimal_places=5, null=True, blank=True)

    objects = ComuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()


class PartnerType(models.Model):
    key = models.SlugField(_("codice"), max_length=40, unique=True)
    name = models.CharField(_("nome"), max_length=120)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("tipo di partner")
        verbose_name_plural = _("tipi di partner")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """An organisation taking part in the plan: comune, azienda, school, ASST, cooperative..."""

    name = models.CharField(_("denominazione"), max_length=255, unique=True)
    type = models.ForeignKey(PartnerType, on_delete=models.PROTECT, related_name="partners", verbose_name=_("tipo"))
    # The ambito that registered the partner and keeps its record; empty for regional
    # partners (Regione, ANCI Lombardia, Fondazione ISMU) that only the Regione edits.
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_partners",
        verbose_name=_("ambito di riferimento"),
    )
    comune = models.ForeignKey(
        Comune, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("comune")
    )
    website = models.URLField(_("sito web"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)

    objects = PartnerQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ambito(models.Model):
    name = models.CharField(_("nome"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    provincia = models.ForeignKey(
        Provincia, on_delete=models.PROTECT, related_name="ambiti", verbose_name=_("provincia")
    )
    capofila = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="led_ambiti", verbose_name=_("ente capofila")
    )
    description = models.TextField(_("descrizione"), blank=True)
    project_title = models.CharField(_("titolo del progetto locale"), max_length=255, blank=True)
    budget = models.DecimalField(
        _("budget Lab'Impact (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_extra = models.DecimalField(
        _("risorse aggiuntive (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    website = models.URLField(_("sito web"), blank=True)
    foreign_residents = models.PositiveIntegerField(_("residenti stranieri"), null=True, blank=True)
    coordinated_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinates",
        verbose_name=_("coordinamento di secondo livello"),
        help_text=_("Ambito che coordina questo ambito a livello sovra-distrettuale."),
    )
    notes = models.TextField(_("note"), blank=True)
    source = models.CharField(_("fonte"), max_length=500, blank=True)
    is_demo = models.BooleanField(
        _("dato dimostrativo"),
        default=False,
        help_text=_("Ambito non confermato da fonti pubbliche: mostrato come dimostrativo."),
    )
    partners = models.ManyToManyField(
        Partner, through="NetworkMembership", related_name="networks", verbose_name=_("rete")
    )

    objects = AmbitoQuerySet.as_manager()

    class Meta:
        verbose_name = _("ambito territoriale")
        verbose_name_plural = _("ambiti territoriali")
        # Natural order ("Ambito 2" before "Ambito 10") in every list, filter, dropdown and
        # autocomplete: an ICU collation with numeric ordering (migration 0003).
        ordering = ["provincia__name", Collate("name", NATURAL_COLLATION)]
        constraints = [
            models.CheckConstraint(condition=~Q(coordinated_by=models.F("pk")), name="ambito_not_coordinating_itself"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territories:ambito", args=[self.slug])

    @property
    def total_budget(self):
        if self.budget is None:
            return None
        return self.budget + (self.budget_extra or 0)


class NetworkRole(models.TextChoices):
    CAPOFILA = "capofila", _("Ente capofila")
    PARTNER = "partner", _("Partner")
    SCUOLA = "scuola", _("Scuola")
    SANITA = "sanita", _("Sanità")
    FORMAZIONE = "formazione", _("Formazione")
    TERZO_SETTORE = "terzo_settore", _("Terzo settore")
    COORDINAMENTO = "coordinamento", _("Coordinamento")
    ALTRO = "altro", _("Altro")


class NetworkMembership(models.Model):
    ambito = models.ForeignKey(Ambito, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("ambito"))
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("partner")
    )
    role = models.CharField(_("ruolo"), max_length=20, choices=NetworkRole.choices, default=NetworkRole.PARTNER)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membro della rete")
        verbose_name_plural = _("membri della rete")
        ordering = ["ambito", "role", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["ambito", "partner"], name="network_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_role_display()}"

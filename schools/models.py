"""Schools taking part in the plan, identified by their MIUR codice meccanografico."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Codice meccanografico MIUR: province sigla, two letters for the school type, then five
# characters and a check character (e.g. MIIC8AB00X). Lombardy's provinces only: the plan
# is regional. Monza e Brianza schools keep "MI" codes from before the province existed.
LOMBARDY_PROVINCES = {"BG", "BS", "CO", "CR", "LC", "LO", "MB", "MI", "MN", "PV", "SO", "VA"}
CODE_FORMAT = re.compile(r"^[A-Z]{2}[A-Z]{2}[A-Z0-9]{5}[A-Z0-9]$")


def validate_school_code(value: str) -> None:
    if not CODE_FORMAT.match(value or ""):
        raise ValidationError(
            _("Il codice meccanografico ha 10 caratteri maiuscoli, per esempio MIIC8AB00X."), code="format"
        )
    if value[:2] not in LOMBARDY_PROVINCES:
        raise ValidationError(
            _("Il codice meccanografico deve iniziare con la sigla di una provincia lombarda (MI, CR, BG…)."),
            code="province",
        )


class SchoolKind(models.TextChoices):
    IC = "ic", _("Istituto comprensivo")
    IIS = "iis", _("Istituto di istruzione superiore")
    CPIA = "cpia", _("Centro provinciale per l'istruzione degli adulti")
    PRIMARIA = "primaria", _("Scuola primaria")
    SECONDARIA_I = "secondaria_i", _("Scuola secondaria di primo grado")
    INFANZIA = "infanzia", _("Scuola dell'infanzia")


class School(models.Model):
    ambito = models.ForeignKey(
        "territories.Ambito", on_delete=models.PROTECT, related_name="schools", verbose_name=_("ambito")
    )
    name = models.CharField(_("denominazione"), max_length=255)
    # Empty when no public source gives it: such schools are shown as "code to confirm".
    code = models.CharField(_("codice meccanografico"), max_length=10, blank=True, validators=[validate_school_code])
    source = models.CharField(
        _("fonte"), max_length=255, blank=True, help_text=_("Dove è pubblicata l'informazione (dati reali).")
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=SchoolKind.choices, default=SchoolKind.IC)
    comune = models.ForeignKey(
        "territories.Comune", on_delete=models.PROTECT, related_name="schools", verbose_name=_("comune")
    )
    address = models.CharField(_("indirizzo"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scuola")
        verbose_name_plural = _("scuole")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="school_code_unique_when_known")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code_confirmed(self) -> bool:
        return bool(self.code)


class Plesso(models.Model):
    """A building of an istituto comprensivo (primary, lower secondary, infant school)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="plessi", verbose_name=_("scuola"))
    name = models.CharField(_("denominazione"), max_length=255)
    code = models.CharField(_("codice meccanografico"), max_length=10, blank=True, validators=[validate_school_code])
    kind = models.CharField(_("tipo"), max_length=20, choices=SchoolKind.choices, default=SchoolKind.PRIMARIA)
    comune = models.ForeignKey(
        "territories.Comune", on_delete=models.PROTECT, related_name="plessi", verbose_name=_("comune")
    )
    address = models.CharField(_("indirizzo"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("plesso")
        verbose_name_plural = _("plessi")
        ordering = ["school", "name"]

    def __str__(self) -> str:
        return self.name

"""Schools taking part in the plan, identified by their MIUR codice meccanografico."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
    # Codice meccanografico MIUR: two letters for the province, two for the school type,
    # then five digits and a check character (e.g. MIIC8AB00X).
    code = models.CharField(
        _("codice meccanografico"),
        max_length=10,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z]{2}[A-Z0-9]{2}[A-Z0-9]{5}[A-Z0-9]$",
                _("Il codice meccanografico ha 10 caratteri maiuscoli, per esempio MIIC8AB00X."),
            )
        ],
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

    def __str__(self) -> str:
        return self.name

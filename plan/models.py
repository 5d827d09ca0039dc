"""The regional plan itself and its four macro-azioni (translated reference data)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    code = models.CharField(_("codice progetto"), max_length=40, unique=True)
    title = models.CharField(_("titolo"), max_length=255)
    summary = models.TextField(_("sintesi"), blank=True)
    fund = models.CharField(_("fondo"), max_length=120)
    specific_objective = models.CharField(_("obiettivo specifico"), max_length=255)
    national_objective = models.CharField(_("obiettivo nazionale"), max_length=255)
    act = models.CharField(_("atto di approvazione"), max_length=120)
    act_date = models.DateField(_("data dell'atto"))
    start = models.DateField(_("inizio"))
    end = models.DateField(_("fine"))
    comuni_covered = models.PositiveIntegerField(_("comuni coinvolti"))
    budget_first_phase = models.DecimalField(_("budget prima fase (€)"), max_digits=12, decimal_places=2)
    budget_total = models.DecimalField(_("budget con proroghe (€)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("piano regionale")
        verbose_name_plural = _("piani regionali")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="plan_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La fine del piano deve seguire l'inizio.")})


class MacroAzione(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="macro_azioni", verbose_name=_("piano"))
    number = models.PositiveSmallIntegerField(_("numero"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    slug = models.SlugField(_("slug"), max_length=80)
    title = models.CharField(_("titolo"), max_length=255)
    description = models.TextField(_("descrizione"))

    class Meta:
        verbose_name = _("macro-azione")
        verbose_name_plural = _("macro-azioni")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="macroazione_unique_number"),
            models.UniqueConstraint(fields=["plan", "slug"], name="macroazione_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

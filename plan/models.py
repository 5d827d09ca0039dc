"""The regional plans and their macro-azioni (translated reference data).

A plan's period (start–end) is the window in which activities may be logged; an ambito
granted an extension (Lodi to 30/06/2023) gets a later end. Successor plans are rows the
coordinator adds, not code.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from plan.querysets import PlanQuerySet


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
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
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

    def window(self, ambito_id: int | None) -> tuple[date, date]:
        """The period in which `ambito_id` logs activities under this plan (its extension, if any)."""
        end = self.end
        if ambito_id is not None:
            for extension in self.extensions.all():
                if extension.ambito_id == ambito_id:
                    end = max(end, extension.end)
        return self.start, end

    def covers(self, day: date, ambito_id: int | None) -> bool:
        start, end = self.window(ambito_id)
        return start <= day <= end


class PlanExtension(models.Model):
    """A later end of a plan for one ambito (a proroga granted to that ambito only)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("piano"))
    ambito = models.ForeignKey(
        "territories.Ambito", on_delete=models.CASCADE, related_name="plan_extensions", verbose_name=_("ambito")
    )
    end = models.DateField(_("nuova fine"))
    source = models.CharField(_("fonte"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proroga per ambito")
        verbose_name_plural = _("proroghe per ambito")
        ordering = ["plan", "ambito__name"]
        constraints = [models.UniqueConstraint(fields=["plan", "ambito"], name="planextension_unique_ambito")]

    def __str__(self) -> str:
        return f"{self.ambito} → {self.end:%d/%m/%Y}"

    def clean(self) -> None:
        if self.plan_id and self.end and self.end <= self.plan.end:
            raise ValidationError({"end": _("La proroga deve terminare dopo la fine del piano.")})


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

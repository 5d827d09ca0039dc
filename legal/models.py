"""Legal consultancy on call for desk operators: consultants, questions and reusable answers.

A consultation follows the same life cycle machinery as a mediation request (`workflow`):
submitted → scheduled (a call) → done (answered), or cancelled.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reports.models import NationalityGroup
from workflow.models import WorkflowEvent, WorkflowModel
from workflow.validators import no_personal_identifiers


class Area(models.TextChoices):
    PERMITS = "permits", _("Permessi di soggiorno")
    CITIZENSHIP = "citizenship", _("Cittadinanza")
    FAMILY_REUNIFICATION = "reunification", _("Ricongiungimento familiare")
    ASYLUM = "asylum", _("Protezione internazionale")
    LABOUR = "labour", _("Lavoro")


class LegalConsultant(models.Model):
    """A lawyer on call for the desks of one ambito, or of every ambito of a provincia."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="legal_consultant",
        verbose_name=_("utente"),
    )
    name = models.CharField(_("nome e cognome"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    ambito = models.ForeignKey(
        "territories.Ambito",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_consultants",
        verbose_name=_("ambito"),
    )
    provincia = models.ForeignKey(
        "territories.Provincia",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_consultants",
        verbose_name=_("provincia"),
    )
    areas = models.JSONField(_("materie"), default=list, help_text=_("Una o più materie di consulenza."))
    notify_language = models.CharField(
        _("lingua delle notifiche"), max_length=7, choices=settings.LANGUAGES, default="it"
    )
    is_active = models.BooleanField(_("attivo"), default=True)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consulente legale")
        verbose_name_plural = _("consulenti legali")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ambito__isnull=False, provincia__isnull=True)
                | Q(ambito__isnull=True, provincia__isnull=False),
                name="legal_consultant_ambito_or_provincia",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if bool(self.ambito_id) == bool(self.provincia_id):
            raise ValidationError(_("Indica l'ambito oppure la provincia per cui il consulente è di turno."))
        unknown = set(self.areas or []) - set(Area.values)
        if not self.areas or unknown:
            raise ValidationError({"areas": _("Scegli una o più materie dall'elenco.")})

    def get_areas_display(self) -> str:
        labels = dict(Area.choices)
        return ", ".join(str(labels[a]) for a in self.areas if a in labels)


class Consultation(WorkflowModel):
    ambito = models.ForeignKey(
        "territories.Ambito", on_delete=models.PROTECT, related_name="consultations", verbose_name=_("ambito")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("operatore")
    )
    consultant = models.ForeignKey(
        LegalConsultant, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("consulente")
    )
    area = models.CharField(_("tipo di caso"), max_length=16, choices=Area.choices)
    nationality_group = models.CharField(_("provenienza"), max_length=24, choices=NationalityGroup.choices, blank=True)
    question = models.TextField(_("domanda"), max_length=3000, validators=[no_personal_identifiers])
    answer = models.TextField(_("risposta"), max_length=6000, blank=True, validators=[no_personal_identifiers])
    call_at = models.DateTimeField(_("telefonata fissata per"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("tempo dedicato (minuti)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    answered_at = models.DateTimeField(_("risposta data il"), null=True, blank=True)
    activity = models.OneToOneField(
        "reports.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="consultation"
    )

    class Meta:
        verbose_name = _("consulenza legale")
        verbose_name_plural = _("consulenze legali")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return _("Consulenza n. %(pk)s") % {"pk": self.pk}


class ConsultationEvent(WorkflowEvent):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("passaggio di stato")
        verbose_name_plural = _("passaggi di stato")


class FaqQuerySet(models.QuerySet):
    def search(self, text: str):
        for word in (text or "").split():
            self = self.filter(Q(question__icontains=word) | Q(answer__icontains=word))
        return self


class Faq(models.Model):
    """An answer the consultant marked reusable, rewritten without the case's details."""

    ambito = models.ForeignKey("territories.Ambito", on_delete=models.CASCADE, related_name="faqs")
    consultant = models.ForeignKey(LegalConsultant, on_delete=models.SET_NULL, null=True, related_name="faqs")
    consultation = models.OneToOneField(Consultation, on_delete=models.SET_NULL, null=True, related_name="faq")
    area = models.CharField(_("materia"), max_length=16, choices=Area.choices)
    question = models.TextField(_("domanda"), max_length=1000, validators=[no_personal_identifiers])
    answer = models.TextField(_("risposta"), max_length=6000, validators=[no_personal_identifiers])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FaqQuerySet.as_manager()

    class Meta:
        verbose_name = _("domanda frequente")
        verbose_name_plural = _("domande frequenti")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.question[:80]

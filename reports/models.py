"""The activity log: what each ambito did, under which macro-azione, for whom.

Beneficiaries are counted, never named: one row per combination of sex, age band,
nationality group and type, which is what the FAMI indicators ask for.
"""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from reports.querysets import ActivityQuerySet


class ActivityKind(models.TextChoices):
    ITALIAN_COURSE = "corso_italiano", _("Corso di italiano")
    L2_LAB = "laboratorio_l2", _("Laboratorio di italiano L2")
    INTERCULTURAL_LAB = "laboratorio_interculturale", _("Laboratorio interculturale")
    SUMMER_SUPPORT = "studio_estivo", _("Supporto allo studio estivo")
    INFO_SESSION = "sessione_informativa", _("Sessione informativa")
    DESK_OPENING = "apertura_sportello", _("Apertura di sportello")
    LEGAL_ADVICE = "consulenza_legale", _("Consulenza legale agli operatori di sportello")
    COORDINATION = "coordinamento_operatori", _("Incontro di coordinamento degli operatori")
    MEDIATOR_TRAINING = "formazione_mediatori", _("Formazione dei mediatori")
    ASSOCIATION_INITIATIVE = "iniziativa_associazioni", _("Iniziativa delle associazioni")
    MEDIATION = "intervento_mediazione", _("Intervento di mediazione")


# The macro-azione an activity of each kind usually belongs to; the form proposes it.
KIND_MACRO_AZIONE = {
    ActivityKind.ITALIAN_COURSE: 2,
    ActivityKind.L2_LAB: 1,
    ActivityKind.INTERCULTURAL_LAB: 1,
    ActivityKind.SUMMER_SUPPORT: 1,
    ActivityKind.INFO_SESSION: 3,
    ActivityKind.DESK_OPENING: 2,
    ActivityKind.LEGAL_ADVICE: 2,
    ActivityKind.COORDINATION: 2,
    ActivityKind.MEDIATOR_TRAINING: 2,
    ActivityKind.ASSOCIATION_INITIATIVE: 4,
    ActivityKind.MEDIATION: 1,
}


class Activity(models.Model):
    ambito = models.ForeignKey(
        "territories.Ambito", on_delete=models.PROTECT, related_name="activities", verbose_name=_("ambito")
    )
    macro_azione = models.ForeignKey(
        "plan.MacroAzione", on_delete=models.PROTECT, related_name="activities", verbose_name=_("macro-azione")
    )
    kind = models.CharField(_("tipo di attività"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("titolo"), max_length=255)
    start_date = models.DateField(_("data di inizio"))
    end_date = models.DateField(_("data di fine"))
    hours = models.DecimalField(_("ore"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0.5)])
    place = models.CharField(_("luogo"), max_length=255, blank=True)
    comune = models.ForeignKey(
        "territories.Comune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("comune"),
    )
    partners = models.ManyToManyField(
        "territories.Partner", blank=True, related_name="activities", verbose_name=_("partner")
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("scuola"),
    )
    declared_total = models.PositiveIntegerField(
        _("totale partecipanti dichiarato"),
        null=True,
        blank=True,
        help_text=_("Facoltativo: se indicato, deve coincidere con la somma delle righe dei beneficiari."),
    )
    notes = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrata da"),
    )
    created_at = models.DateTimeField(_("registrata il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ultimo aggiornamento"), auto_now=True)

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("attività")
        # Italian spells both numbers alike; the context lets other languages tell them apart.
        verbose_name_plural = pgettext_lazy("plurale", "attività")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="activity_end_after_start"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="activity_hours_positive"),
        ]
        indexes = [models.Index(fields=["ambito", "start_date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%d/%m/%Y})"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La data di fine non può precedere la data di inizio.")
        plan = self.macro_azione.plan if self.macro_azione_id else None
        if plan is not None:
            start, end = plan.window(self.ambito_id)
            for name in ("start_date", "end_date"):
                value = getattr(self, name)
                if value and not start <= value <= end and name not in errors:
                    errors[name] = _(
                        "La data deve cadere nel periodo del piano «%(plan)s» per questo ambito (%(start)s – %(end)s)."
                    ) % {
                        "plan": plan.title,
                        "start": start.strftime("%d/%m/%Y"),
                        "end": end.strftime("%d/%m/%Y"),
                    }
        if self.start_date and self.end_date and self.hours and not errors:
            days = (self.end_date - self.start_date).days + 1
            if self.hours > days * 24:
                errors["hours"] = _("Le ore superano quelle disponibili tra inizio e fine (%(max)s).") % {
                    "max": days * 24
                }
        if self.school_id and self.ambito_id and self.school.ambito_id != self.ambito_id:
            errors["school"] = _("La scuola appartiene a un altro ambito.")
        if errors:
            raise ValidationError(errors)


class Sex(models.TextChoices):
    FEMALE = "F", _("Femmine")
    MALE = "M", _("Maschi")
    NOT_STATED = "X", _("Non indicato")


class AgeBand(models.TextChoices):
    A0_5 = "0-5", "0-5"
    A6_10 = "6-10", "6-10"
    A11_13 = "11-13", "11-13"
    A14_18 = "14-18", "14-18"
    A19_29 = "19-29", "19-29"
    A30_54 = "30-54", "30-54"
    A55 = "55+", "55+"


MINOR_AGE_BANDS = {AgeBand.A0_5, AgeBand.A6_10, AgeBand.A11_13, AgeBand.A14_18}


class NationalityGroup(models.TextChoices):
    ITALY = "italia", _("Italia")
    EU = "ue", _("Unione europea")
    EUROPE_NON_EU = "europa_extra_ue", _("Europa non UE")
    NORTH_AFRICA = "nord_africa", _("Nord Africa")
    SUB_SAHARAN = "africa_subsahariana", _("Africa subsahariana")
    ASIA = "asia", _("Asia")
    AMERICAS = "americhe", _("Americhe")
    OTHER = "altro", _("Altro o non indicato")


class BeneficiaryType(models.TextChoices):
    PUPIL = "alunno", _("Alunno")
    FAMILY = "familiare", _("Familiare")
    ADULT = "adulto", _("Adulto")
    OPERATOR = "operatore", _("Operatore")
    VOLUNTEER = "volontario", _("Volontario")


class BeneficiaryGroup(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="beneficiaries", verbose_name=_("attività")
    )
    sex = models.CharField(_("sesso"), max_length=1, choices=Sex.choices)
    age_band = models.CharField(_("fascia d'età"), max_length=5, choices=AgeBand.choices)
    nationality_group = models.CharField(_("provenienza"), max_length=24, choices=NationalityGroup.choices)
    beneficiary_type = models.CharField(_("tipo di beneficiario"), max_length=12, choices=BeneficiaryType.choices)
    count = models.PositiveIntegerField(_("numero"), validators=[MinValueValidator(1)])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gruppo di beneficiari")
        verbose_name_plural = _("beneficiari")
        ordering = ["activity", "beneficiary_type", "age_band", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "sex", "age_band", "nationality_group", "beneficiary_type"],
                name="beneficiary_group_unique",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="beneficiary_group_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.get_beneficiary_type_display()} {self.age_band} {self.sex}"

    def clean(self) -> None:
        if self.beneficiary_type == BeneficiaryType.PUPIL and self.age_band and self.age_band not in MINOR_AGE_BANDS:
            raise ValidationError({"age_band": _("Un alunno ha al massimo 18 anni: scegli il tipo «Adulto».")})


def _export_storage():
    # Exports hold personal and scoped data: stored apart and never served from MEDIA_URL,
    # only through the download view that checks who asks.
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=os.path.join(settings.MEDIA_ROOT, "exports"))


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("In coda")
    RUNNING = "running", _("In corso")
    DONE = "done", _("Pronta")
    FAILED = "failed", _("Non riuscita")
    EXPIRED = "expired", _("Scaduta")


class ExportJob(models.Model):
    """One run of an exporter for one user: its progress, then an expiring file (pretix's CachedFile)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("utente")
    )
    exporter = models.CharField(_("esportazione"), max_length=40)
    params = models.JSONField(_("filtri"), default=dict, blank=True)
    language = models.CharField(_("lingua"), max_length=10, default="it")
    site_url = models.CharField(_("indirizzo del sito"), max_length=255, blank=True)
    status = models.CharField(_("stato"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avanzamento (%)"), default=0)
    file = models.FileField(_("file"), storage=_export_storage, upload_to="%Y/%m/", blank=True)
    filename = models.CharField(_("nome del file"), max_length=120, blank=True)
    content_type = models.CharField(_("tipo di file"), max_length=120, blank=True)
    error = models.TextField(_("errore"), blank=True)
    created_at = models.DateTimeField(_("richiesta il"), auto_now_add=True)
    finished_at = models.DateTimeField(_("completata il"), null=True, blank=True)
    expires_at = models.DateTimeField(_("scade il"), null=True, blank=True)

    class Meta:
        verbose_name = _("esportazione")
        verbose_name_plural = _("esportazioni")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.exporter} ({self.created_at:%d/%m/%Y %H:%M})" if self.created_at else self.exporter

    @property
    def is_downloadable(self) -> bool:
        from django.utils import timezone

        return (
            self.status == ExportStatus.DONE
            and bool(self.file)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )


def _import_storage():
    # Uploaded spreadsheets wait here for their confirmation or job (never served).
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=os.path.join(settings.MEDIA_ROOT, "imports"))


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("In coda")
    CHECKING = "checking", _("Prova in corso")
    CHECKED = "checked", _("Da confermare")
    INVALID = "invalid", _("Con errori")
    WRITING = "writing", _("Importazione in corso")
    DONE = "done", _("Completata")
    FAILED = "failed", _("Non riuscita")
    EXPIRED = "expired", _("Scaduta")


class ImportJob(models.Model):
    """A large import run by a worker: first the dry run, then, once confirmed, the write."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("utente")
    )
    importer = models.CharField(_("importazione"), max_length=40)
    language = models.CharField(_("lingua"), max_length=10, default="it")
    file = models.FileField(_("file"), storage=_import_storage, upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(_("nome del file"), max_length=255, blank=True)
    rows = models.PositiveIntegerField(_("righe"), default=0)
    confirmed = models.BooleanField(_("confermata"), default=False)
    status = models.CharField(_("stato"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("avanzamento (%)"), default=0)
    new = models.PositiveIntegerField(_("nuove"), default=0)
    updated = models.PositiveIntegerField(_("aggiornate"), default=0)
    unchanged = models.PositiveIntegerField(_("invariate"), default=0)
    errors = models.JSONField(_("errori"), default=list, blank=True)  # [row, column, message], the first 1,000
    error_count = models.PositiveIntegerField(_("numero di errori"), default=0)
    error = models.TextField(_("errore"), blank=True)
    created_at = models.DateTimeField(_("caricata il"), auto_now_add=True)
    finished_at = models.DateTimeField(_("completata il"), null=True, blank=True)
    expires_at = models.DateTimeField(_("il file si cancella il"), null=True, blank=True)

    class Meta:
        verbose_name = _("importazione")
        verbose_name_plural = _("importazioni")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.importer} ({self.created_at:%d/%m/%Y %H:%M})" if self.created_at else self.importer

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.WRITING)

"""Linguistic-cultural mediation on call: the mediator register, requests and sessions.

A school referent or a social-service worker asks for a mediator; the ambito's operator
triages the request and assigns a mediator, who confirms and logs the sessions. The life
cycle (statuses, transitions, event rows) is `workflow`'s, shared with legal consultancy.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mediation.querysets import MediationRequestQuerySet, MediatorQuerySet
from workflow.models import WorkflowEvent, WorkflowModel
from workflow.validators import no_personal_identifiers


class Mediator(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mediator",
        verbose_name=_("utente"),
    )
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    languages = models.ManyToManyField(
        "services.Language", through="MediatorLanguage", related_name="mediators", verbose_name=_("lingue")
    )
    ambiti = models.ManyToManyField("territories.Ambito", related_name="mediators", verbose_name=_("ambiti"))
    qualifications = models.TextField(_("titoli e qualifiche"), blank=True)
    notify_language = models.CharField(
        _("lingua delle notifiche"), max_length=7, choices=settings.LANGUAGES, default="it"
    )
    is_available = models.BooleanField(_("disponibile"), default=True)
    is_active = models.BooleanField(_("attivo nel registro"), default=True)
    erased_at = models.DateTimeField(_("dati personali cancellati il"), null=True, blank=True)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)

    history = HistoricalRecords()
    objects = MediatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediatore")
        verbose_name_plural = _("mediatori")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("Madrelingua")
    C2 = "c2", "C2"
    C1 = "c1", "C1"
    B2 = "b2", "B2"
    B1 = "b1", "B1"


class MediatorLanguage(models.Model):
    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="language_levels")
    language = models.ForeignKey("services.Language", on_delete=models.PROTECT, verbose_name=_("lingua"))
    level = models.CharField(_("livello"), max_length=6, choices=LanguageLevel.choices, default=LanguageLevel.C1)

    class Meta:
        verbose_name = _("lingua del mediatore")
        verbose_name_plural = _("lingue del mediatore")
        constraints = [models.UniqueConstraint(fields=["mediator", "language"], name="mediator_language_once")]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"


class Training(models.Model):
    """A course or training a mediator attended (the register shows their qualifications)."""

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("corso"), max_length=255)
    provider = models.CharField(_("ente"), max_length=255, blank=True)
    date = models.DateField(_("data"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("ore"), null=True, blank=True)

    class Meta:
        verbose_name = _("formazione")
        verbose_name_plural = _("formazione")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lunedì")
    TUESDAY = 1, _("martedì")
    WEDNESDAY = 2, _("mercoledì")
    THURSDAY = 3, _("giovedì")
    FRIDAY = 4, _("venerdì")
    SATURDAY = 5, _("sabato")
    SUNDAY = 6, _("domenica")


class Availability(models.Model):
    """A weekly slot in which a mediator can be called (Europe/Rome time)."""

    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("giorno"), choices=Weekday.choices)
    start = models.TimeField(_("dalle"))
    end = models.TimeField(_("alle"))

    class Meta:
        verbose_name = _("disponibilità settimanale")
        verbose_name_plural = _("disponibilità settimanali")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="availability_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("L'ora di fine deve essere dopo quella di inizio.")})


class Absence(models.Model):
    mediator = models.ForeignKey(Mediator, on_delete=models.CASCADE, related_name="absences")
    start_date = models.DateField(_("dal"))
    end_date = models.DateField(_("al"))

    class Meta:
        verbose_name = _("assenza")
        verbose_name_plural = _("assenze")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="absence_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.start_date} – {self.end_date}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("La data di fine deve essere uguale o successiva a quella di inizio.")}
            )


class SocialWorker(models.Model):
    """A social-service worker of an ambito who may ask for mediators (a role, like mediators)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="social_worker", verbose_name=_("utente")
    )
    ambito = models.ForeignKey(
        "territories.Ambito", on_delete=models.PROTECT, related_name="social_workers", verbose_name=_("ambito")
    )
    partner = models.ForeignKey(
        "territories.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_workers",
        verbose_name=_("ente"),
    )
    service = models.CharField(_("servizio"), max_length=255, help_text=_("Per esempio: Servizio tutela minori"))
    notify_language = models.CharField(
        _("lingua delle notifiche"), max_length=7, choices=settings.LANGUAGES, default="it"
    )
    is_active = models.BooleanField(_("attivo"), default=True)
    is_demo = models.BooleanField(_("dato dimostrativo"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assistente sociale")
        verbose_name_plural = _("assistenti sociali")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.username} — {self.service}"


class Setting(models.TextChoices):
    RECEPTION = "reception", _("Accoglienza di un nuovo alunno")
    PARENT_TEACHER = "parent_teacher", _("Colloquio scuola-famiglia")
    SOCIAL_INTERVIEW = "social_interview", _("Colloquio con i servizi sociali")
    COURT_ASSESSMENT = "court_assessment", _("Valutazione delle capacità genitoriali disposta dal tribunale")


SCHOOL_SETTINGS = (Setting.RECEPTION, Setting.PARENT_TEACHER)


class Urgency(models.IntegerChoices):
    # Hours within which the ambito should triage the request.
    LOW = 1, _("Bassa (entro una settimana)")
    NORMAL = 2, _("Normale (entro 3 giorni)")
    HIGH = 3, _("Alta (entro 24 ore)")
    URGENT = 4, _("Urgente (entro 4 ore)")


TRIAGE_HOURS = {Urgency.LOW: 168, Urgency.NORMAL: 72, Urgency.HIGH: 24, Urgency.URGENT: 4}


class AgeBand(models.TextChoices):
    UNDER_6 = "0-5", _("0–5 anni")
    PRIMARY = "6-10", _("6–10 anni")
    LOWER_SECONDARY = "11-13", _("11–13 anni")
    UPPER_SECONDARY = "14-17", _("14–17 anni")
    ADULT = "18+", _("adulto")


class MediationRequest(WorkflowModel):
    ambito = models.ForeignKey(
        "territories.Ambito", on_delete=models.PROTECT, related_name="mediation_requests", verbose_name=_("ambito")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("richiedente")
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediation_requests",
        verbose_name=_("scuola"),
    )
    social_worker = models.ForeignKey(
        SocialWorker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("servizio sociale"),
    )
    setting = models.CharField(_("contesto"), max_length=20, choices=Setting.choices)
    languages = models.ManyToManyField("services.Language", related_name="+", verbose_name=_("lingue richieste"))
    urgency = models.PositiveSmallIntegerField(_("urgenza"), choices=Urgency.choices, default=Urgency.NORMAL)
    preferred_start = models.DateTimeField(_("data e ora preferite"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durata prevista (minuti)"), default=60, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    # Minors' data stays minimal: a class, an age band and the need, never a name.
    pupil_class = models.CharField(_("classe"), max_length=20, blank=True, validators=[no_personal_identifiers])
    age_band = models.CharField(_("fascia d'età"), max_length=5, choices=AgeBand.choices, blank=True)
    need = models.TextField(_("bisogno"), max_length=1000, validators=[no_personal_identifiers])
    notes = models.TextField(_("note"), max_length=2000, blank=True, validators=[no_personal_identifiers])
    # Filled by the life cycle.
    mediator = models.ForeignKey(
        Mediator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("mediatore"),
    )
    scheduled_start = models.DateTimeField(_("inizio"), null=True, blank=True)
    scheduled_end = models.DateTimeField(_("fine"), null=True, blank=True)
    triaged_at = models.DateTimeField(_("presa in carico il"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assegnata il"), null=True, blank=True)
    first_session_at = models.DateTimeField(_("primo incontro il"), null=True, blank=True)

    objects = MediationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("richiesta di mediazione")
        verbose_name_plural = _("richieste di mediazione")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False) | Q(social_worker__isnull=False) | Q(anonymised_at__isnull=False),
                name="mediation_request_has_requester",
            ),
            models.CheckConstraint(
                condition=Q(scheduled_end__isnull=True) | Q(scheduled_end__gt=models.F("scheduled_start")),
                name="mediation_request_slot_ordered",
            ),
        ]
        indexes = [models.Index(fields=["ambito", "status"]), models.Index(fields=["mediator", "scheduled_start"])]

    def __str__(self) -> str:
        return _("Richiesta n. %(pk)s") % {"pk": self.pk}

    @property
    def requester_label(self) -> str:
        if self.school_id:
            return str(self.school)
        if self.social_worker_id:
            return self.social_worker.service
        return "—"


class MediationEvent(WorkflowEvent):
    request = models.ForeignKey(MediationRequest, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("passaggio di stato")
        verbose_name_plural = _("passaggi di stato")


class Outcome(models.TextChoices):
    HELD = "held", _("Svolto")
    PARTIAL = "partial", _("Svolto in parte")
    NO_SHOW = "no_show", _("La famiglia non si è presentata")


class MediationSession(models.Model):
    """One meeting a mediator attended for a request; its hours feed the activity log."""

    request = models.ForeignKey(MediationRequest, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("data"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durata (minuti)"), validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    outcome = models.CharField(_("esito"), max_length=10, choices=Outcome.choices, default=Outcome.HELD)
    note = models.TextField(_("nota"), max_length=1000, blank=True, validators=[no_personal_identifiers])
    activity = models.OneToOneField(
        "reports.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="mediation_session"
    )
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incontro")
        verbose_name_plural = _("incontri")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.request} — {self.date}"

    @property
    def hours(self):
        return round(self.duration_minutes / 60, 1)


class RequestAccess(models.Model):
    """Who read a request's details, and when (requests concern families and minors)."""

    request = models.ForeignKey(MediationRequest, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lettura di una richiesta")
        verbose_name_plural = _("letture delle richieste")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.user_id} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """One e-mail sent: the key makes a retried or repeated task send it once only."""

    key = models.CharField(max_length=120, unique=True)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key

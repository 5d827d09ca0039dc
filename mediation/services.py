"""Writes to the mediator register and the request life cycle.

Each transition is one service: it checks the transition's permission (a row of the
permission table, scoped like a model), writes the request and an event row through
`workflow`, and queues its notifications on commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import permissions
from access.scope import check_write
from common.db import validated_save
from mediation import notify
from mediation.models import (
    SCHOOL_SETTINGS,
    MediationRequest,
    MediationSession,
    Mediator,
    RequestAccess,
    SocialWorker,
)
from reports.models import Activity, ActivityKind
from reports.services import activity_log_on_behalf
from workflow.engine import Transition, Workflow
from workflow.models import CLOSED, OPEN, Status

S = Status
WORKFLOW = Workflow(
    [
        Transition("triage", (S.SUBMITTED,), S.TRIAGED, "mediation.request_triage"),
        Transition("reject", (S.SUBMITTED, S.TRIAGED), S.REJECTED, "mediation.request_reject", needs_reason=True),
        Transition("assign", (S.TRIAGED,), S.ASSIGNED, "mediation.request_assign"),
        Transition("confirm", (S.ASSIGNED,), S.SCHEDULED, "mediation.request_confirm"),
        Transition("decline", (S.ASSIGNED,), S.TRIAGED, "mediation.request_decline", needs_reason=True),
        Transition("complete", (S.SCHEDULED,), S.DONE, "mediation.request_complete"),
        Transition("cancel", OPEN, S.CANCELLED, "mediation.request_cancel", needs_reason=True),
    ]
)


@transaction.atomic
def mediator_save(*, mediator: Mediator, by, ambiti=None, languages=None) -> Mediator:
    """Create or update a mediator's register entry.

    `ambiti` and `languages`, when given, replace the links (the admin's form sets them
    itself). An operator links a mediator to their own ambiti only; the links to other
    ambiti are kept whatever they send. New languages get level C1 until someone sets it.
    """
    data = {}
    if ambiti is not None:
        ambiti = list(ambiti)
        grants = permissions.grants_for(by)
        if grants.ambito_ids and not grants.coordinator and mediator.pk is not None:
            # The other ambiti's links are not the operator's to remove (nor to see).
            hidden = mediator.ambiti.exclude(pk__in=grants.ambito_ids)
            ambiti = list({a.pk: a for a in [*ambiti, *hidden]}.values())
        data["ambiti"] = ambiti
    check_write(by=by, instance=mediator, data=data)
    if ambiti is not None and not permissions.grants_for(by).coordinator:
        allowed = set(permissions.ambito_choices(by, Mediator, permissions.CHANGE).values_list("pk", flat=True))
        before = set(mediator.ambiti.values_list("pk", flat=True)) if mediator.pk else set()
        if {a.pk for a in ambiti} - before - allowed:
            raise ValidationError({"ambiti": _("Puoi registrare dati solo per il tuo ambito.")})
    validated_save(mediator)
    if ambiti is not None:
        mediator.ambiti.set(ambiti)
    if languages is not None:
        mediator.languages.set(languages, through_defaults={"level": "c1"})
    return mediator


@transaction.atomic
def social_worker_save(*, social_worker: SocialWorker, by) -> SocialWorker:
    check_write(by=by, instance=social_worker, ambito=social_worker.ambito)
    validated_save(social_worker)
    permissions.forget(social_worker.user)
    return social_worker


@transaction.atomic
def mediation_request_submit(*, request: MediationRequest, languages, by) -> MediationRequest:
    """File a request from a school referent (for their school) or a social-service worker."""
    grants = permissions.grants_for(by)
    if not permissions.can(by, permissions.VIEW, "mediation.request_submit"):
        raise PermissionDenied(_("Non puoi chiedere un mediatore."))
    if request.school_id:
        if request.school_id not in grants.school_ids:
            raise PermissionDenied(_("Puoi chiedere un mediatore solo per la tua scuola."))
        if request.setting not in SCHOOL_SETTINGS:
            raise ValidationError(
                {"setting": _("Una scuola può chiedere un mediatore per l'accoglienza o i colloqui.")}
            )
        request.ambito_id = request.school.ambito_id
        request.social_worker = None
    elif grants.ids("social_worker"):
        request.social_worker_id = next(iter(grants.ids("social_worker")))
        request.ambito_id = request.social_worker.ambito_id
    else:
        raise ValidationError({"school": _("Indica la scuola.")})
    languages = list(languages)
    if not languages:
        raise ValidationError({"languages": _("Indica almeno una lingua.")})
    if request.preferred_start and request.preferred_start < timezone.now():
        raise ValidationError({"preferred_start": _("La data preferita è già passata.")})
    request.requested_by = by
    request.status = Status.SUBMITTED
    validated_save(request)
    request.languages.set(languages)
    request.events.create(actor=by, transition="submit", from_status="", to_status=Status.SUBMITTED)
    notify.on_commit(notify.new_request, request.pk)
    return request


def mediation_request_triage(*, request: MediationRequest, by, note: str = "") -> MediationRequest:
    return WORKFLOW.apply(
        obj=request, name="triage", by=by, note=note, change=lambda r: setattr(r, "triaged_at", timezone.now())
    )


def mediation_request_reject(*, request: MediationRequest, by, reason: str) -> MediationRequest:
    WORKFLOW.apply(obj=request, name="reject", by=by, note=reason)
    notify.on_commit(notify.status_changed, request.pk)
    return request


def mediation_request_cancel(*, request: MediationRequest, by, reason: str) -> MediationRequest:
    WORKFLOW.apply(obj=request, name="cancel", by=by, note=reason)
    notify.on_commit(notify.status_changed, request.pk)
    return request


class DoubleBooking(ValidationError):
    pass


@transaction.atomic
def mediation_request_assign(
    *, request: MediationRequest, mediator: Mediator, by, start: datetime | None = None, note: str = ""
) -> MediationRequest:
    """Assign `mediator` for the request's slot; refused if they are already booked then.

    The mediator's row is locked first, so two operators assigning the same mediator at
    the same moment are serialised: the second one reads the first one's booking and gets
    the message. On PostgreSQL an exclusion constraint is the last line behind it.
    """
    start = start or request.preferred_start
    end = start + timedelta(minutes=request.duration_minutes)
    if not permissions.can_act(by, "mediation.request_assign", request):
        raise PermissionDenied(_("Non puoi eseguire questa azione su questa richiesta."))
    locked = Mediator.objects.select_for_update().get(pk=mediator.pk)
    if not locked.is_active or not locked.is_available:
        raise ValidationError({"mediator": _("Questo mediatore non è disponibile.")})
    if not locked.ambiti.filter(pk=request.ambito_id).exists():
        raise ValidationError({"mediator": _("Questo mediatore non lavora nell'ambito della richiesta.")})
    if MediationRequest.objects.overlapping(start, end).filter(mediator=locked).exclude(pk=request.pk).exists():
        raise DoubleBooking(
            {
                "mediator": _(
                    "%(mediator)s ha già un incontro in questo orario: scegli un altro mediatore o un altro orario."
                )
                % {"mediator": locked}
            }
        )

    def book(r):
        r.mediator = locked
        r.scheduled_start = start
        r.scheduled_end = end
        r.assigned_at = r.assigned_at or timezone.now()

    try:
        with transaction.atomic():
            WORKFLOW.apply(obj=request, name="assign", by=by, note=note, change=book)
    except IntegrityError as error:
        raise DoubleBooking({"mediator": _("Questo mediatore ha già un incontro in questo orario.")}) from error
    notify.on_commit(notify.assigned, request.pk)
    return request


def mediation_request_confirm(*, request: MediationRequest, by, note: str = "") -> MediationRequest:
    WORKFLOW.apply(obj=request, name="confirm", by=by, note=note)
    notify.on_commit(notify.status_changed, request.pk)
    return request


def mediation_request_decline(*, request: MediationRequest, by, reason: str) -> MediationRequest:
    """The mediator cannot go: the request goes back to the operator, who assigns someone else."""

    def release(r):
        r.mediator = None
        r.scheduled_start = None
        r.scheduled_end = None

    WORKFLOW.apply(obj=request, name="decline", by=by, note=reason, change=release)
    notify.on_commit(notify.declined, request.pk)
    return request


def mediation_request_complete(*, request: MediationRequest, by, note: str = "") -> MediationRequest:
    if not request.sessions.exists():
        raise ValidationError(_("Registra almeno un incontro prima di chiudere la richiesta."))
    WORKFLOW.apply(obj=request, name="complete", by=by, note=note)
    notify.on_commit(notify.status_changed, request.pk)
    return request


@transaction.atomic
def mediation_session_log(*, session: MediationSession, by) -> MediationSession:
    """The mediator records a meeting; its hours go to the ambito's activity log."""
    request = MediationRequest.objects.select_for_update().get(pk=session.request_id)
    if not permissions.can_act(by, "mediation.request_session", request):
        raise PermissionDenied(_("Non puoi registrare incontri per questa richiesta."))
    if request.status != Status.SCHEDULED:
        raise ValidationError(_("Puoi registrare gli incontri solo di una richiesta programmata."))
    if session.date and session.date > timezone.localdate():
        raise ValidationError({"date": _("Non si registra un incontro futuro.")})
    session.logged_by = by
    session.full_clean(exclude=["activity"])
    hours = (Decimal(session.duration_minutes) / 60).quantize(Decimal("0.1")) or Decimal("0.5")
    activity = Activity(
        ambito=request.ambito,
        kind=ActivityKind.MEDIATION,
        title=_("Mediazione: %(setting)s, richiesta n. %(pk)s")
        % {"setting": request.get_setting_display(), "pk": request.pk},
        start_date=session.date,
        end_date=session.date,
        hours=max(hours, Decimal("0.5")),
        school=request.school,
        comune=request.school.comune if request.school_id else None,
    )
    session.activity = activity_log_on_behalf(activity=activity, by=by)
    session.save()
    first = request.sessions.order_by("date").values_list("date", flat=True).first()
    request.first_session_at = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    if request.scheduled_start and request.scheduled_start.date() == first:
        request.first_session_at = request.scheduled_start
    request.save(update_fields=["first_session_at"])
    return session


def mediation_request_read(*, request: MediationRequest, by) -> None:
    """Log that `by` opened the request's details."""
    RequestAccess.objects.create(request=request, user=by if by.is_authenticated else None)


@transaction.atomic
def mediation_requests_anonymise(*, before: datetime) -> int:
    """Strip the free text of requests closed before `before`; statistics stay.

    Kept: ambito, setting, languages, urgency, dates, statuses, sessions' durations and
    outcomes. Gone: class, age band, need, notes, event and session notes, the requester.
    """
    requests = MediationRequest.objects.filter(status__in=CLOSED).closed_before(before)
    ids = list(requests.values_list("pk", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    MediationRequest.objects.filter(pk__in=ids).update(
        pupil_class="",
        age_band="",
        need="",
        notes="",
        requested_by=None,
        social_worker=None,
        school=None,
        anonymised_at=now,
    )
    from mediation.models import MediationEvent

    MediationEvent.objects.filter(request_id__in=ids).update(note="", actor=None)
    MediationSession.objects.filter(request_id__in=ids).update(note="", logged_by=None)
    RequestAccess.objects.filter(request_id__in=ids).delete()
    return len(ids)


def mediator_personal_data(*, mediator: Mediator, by) -> dict:
    """Everything the register holds about one mediator (a data-subject access request)."""
    if not permissions.can(by, permissions.VIEW, "mediation.mediator_personal_data"):
        raise PermissionDenied(_("Solo il coordinamento regionale gestisce i dati personali dei mediatori."))
    return {
        "first_name": mediator.first_name,
        "last_name": mediator.last_name,
        "email": mediator.email,
        "phone": mediator.phone,
        "user": mediator.user.username if mediator.user else None,
        "qualifications": mediator.qualifications,
        "notify_language": mediator.notify_language,
        "languages": [{"language": ml.language.code, "level": ml.level} for ml in mediator.language_levels.all()],
        "ambiti": [a.name for a in mediator.ambiti.all()],
        "trainings": [
            {"title": t.title, "provider": t.provider, "date": t.date and t.date.isoformat(), "hours": t.hours}
            for t in mediator.trainings.all()
        ],
        "availability": [
            {"weekday": a.weekday, "start": a.start.isoformat(), "end": a.end.isoformat()}
            for a in mediator.availability.all()
        ],
        "absences": [
            {"start": a.start_date.isoformat(), "end": a.end_date.isoformat()} for a in mediator.absences.all()
        ],
        "requests": [
            {"id": r.pk, "status": r.status, "start": r.scheduled_start and r.scheduled_start.isoformat()}
            for r in mediator.requests.all()
        ],
    }


@transaction.atomic
def mediator_erase(*, mediator: Mediator, by) -> Mediator:
    """A mediator leaves: personal data goes, their requests and hours stay, anonymously."""
    if not permissions.can(by, permissions.VIEW, "mediation.mediator_personal_data"):
        raise PermissionDenied(_("Solo il coordinamento regionale gestisce i dati personali dei mediatori."))
    if mediator.requests.filter(status__in=(Status.ASSIGNED, Status.SCHEDULED)).exists():
        raise ValidationError(_("Il mediatore ha incontri in programma: riassegnali prima di cancellarlo."))
    mediator.first_name = _("Mediatore")
    mediator.last_name = _("cancellato n. %(pk)s") % {"pk": mediator.pk}
    mediator.email = ""
    mediator.phone = ""
    mediator.qualifications = ""
    mediator.user = None
    mediator.is_active = False
    mediator.is_available = False
    mediator.erased_at = timezone.now()
    mediator.save()
    mediator.trainings.all().delete()
    mediator.availability.all().delete()
    mediator.absences.all().delete()
    # The register's history holds the old names: drop it too.
    mediator.history.all().delete()
    return mediator


@transaction.atomic
def mediator_part_save(*, part, by):
    """A language, training, weekly slot or absence of a mediator (the admin's inline rows)."""
    check_write(by=by, instance=part)
    if not permissions.can_access_object(by, permissions.VIEW, part.mediator):
        raise PermissionDenied(_("Non hai i permessi per modificare questo dato."))
    return validated_save(part)

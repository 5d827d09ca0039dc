"""Legal consultations: an operator asks, the consultant answers or schedules a call."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from access import permissions
from common.db import validated_save
from legal.models import Consultation, ConsultationEvent, Faq, LegalConsultant
from reports.models import Activity, ActivityKind
from reports.services import activity_log_on_behalf
from workflow.engine import Transition, Workflow
from workflow.models import CLOSED, Status

S = Status
WORKFLOW = Workflow(
    [
        Transition("schedule", (S.SUBMITTED,), S.SCHEDULED, "legal.consultation_schedule"),
        Transition("answer", (S.SUBMITTED, S.SCHEDULED), S.DONE, "legal.consultation_answer"),
        Transition("cancel", (S.SUBMITTED, S.SCHEDULED), S.CANCELLED, "legal.consultation_cancel", needs_reason=True),
    ]
)


def consultants_for(ambito):
    """Consultants on call for an ambito: its own first, then its provincia's."""
    return (
        LegalConsultant.objects.filter(is_active=True)
        .filter(Q(ambito=ambito) | Q(provincia_id=ambito.provincia_id))
        .order_by("provincia", "name")
    )


@transaction.atomic
def consultation_submit(*, consultation: Consultation, by) -> Consultation:
    """A desk operator asks a consultant of their ambito (or its provincia) about a case."""
    if not permissions.can(by, permissions.ADD, Consultation):
        raise PermissionDenied(_("Solo gli operatori degli sportelli chiedono una consulenza."))
    if not permissions.ambito_choices(by).filter(pk=consultation.ambito_id).exists():
        raise ValidationError({"ambito": _("Puoi registrare dati solo per il tuo ambito.")})
    if not consultants_for(consultation.ambito).filter(pk=consultation.consultant_id).exists():
        raise ValidationError({"consultant": _("Questo consulente non è di turno per il tuo ambito.")})
    consultation.asked_by = by
    consultation.status = Status.SUBMITTED
    validated_save(consultation)
    consultation.events.create(actor=by, transition="submit", from_status="", to_status=Status.SUBMITTED)
    from legal import tasks

    transaction.on_commit(lambda: tasks.notify_consultation.delay(consultation.pk))
    return consultation


def consultation_schedule(*, consultation: Consultation, call_at: datetime, by, note: str = "") -> Consultation:
    if call_at is None or call_at < timezone.now():
        raise ValidationError({"call_at": _("Scegli una data e un'ora future per la telefonata.")})
    WORKFLOW.apply(obj=consultation, name="schedule", by=by, note=note, change=lambda c: setattr(c, "call_at", call_at))
    from legal import tasks

    transaction.on_commit(lambda: tasks.notify_consultation.delay(consultation.pk))
    return consultation


@transaction.atomic
def consultation_answer(
    *,
    consultation: Consultation,
    answer: str,
    by,
    duration_minutes: int = 30,
    reusable: bool = False,
    faq_question: str = "",
) -> Consultation:
    """The consultant answers; a reusable answer becomes an anonymised FAQ of the ambito."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Scrivi la risposta.")})
    if reusable and not (faq_question or "").strip():
        raise ValidationError({"faq_question": _("Riscrivi la domanda senza i dettagli del caso per la FAQ.")})

    def fill(c):
        c.answer = answer
        c.duration_minutes = duration_minutes
        c.answered_at = timezone.now()

    WORKFLOW.apply(obj=consultation, name="answer", by=by, change=fill)
    activity = Activity(
        ambito=consultation.ambito,
        kind=ActivityKind.LEGAL_ADVICE,
        title=_("Consulenza legale: %(area)s, n. %(pk)s")
        % {"area": consultation.get_area_display(), "pk": consultation.pk},
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        hours=max(round(duration_minutes / 60, 1), 0.5),
    )
    consultation.activity = activity_log_on_behalf(activity=activity, by=by)
    consultation.save(update_fields=["activity"])
    if reusable:
        validated_save(
            Faq(
                ambito=consultation.ambito,
                consultant=consultation.consultant,
                consultation=consultation,
                area=consultation.area,
                question=faq_question.strip(),
                answer=answer,
            )
        )
    from legal import tasks

    transaction.on_commit(lambda: tasks.notify_consultation.delay(consultation.pk))
    return consultation


def consultation_cancel(*, consultation: Consultation, by, reason: str) -> Consultation:
    return WORKFLOW.apply(obj=consultation, name="cancel", by=by, note=reason)


@transaction.atomic
def consultations_anonymise(*, before: datetime) -> int:
    """Closed consultations past retention keep area, ambito, dates and time spent only."""
    ids = list(
        Consultation.objects.filter(status__in=CLOSED, closed_at__lt=before, anonymised_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if ids:
        Consultation.objects.filter(pk__in=ids).update(
            question="", answer="", nationality_group="", asked_by=None, anonymised_at=timezone.now()
        )
        ConsultationEvent.objects.filter(consultation_id__in=ids).update(note="", actor=None)
    return len(ids)


@transaction.atomic
def legal_consultant_save(*, consultant: LegalConsultant, by) -> LegalConsultant:
    from access.scope import check_write

    check_write(by=by, instance=consultant)
    validated_save(consultant)
    if consultant.user_id:
        permissions.forget(consultant.user)
    return consultant

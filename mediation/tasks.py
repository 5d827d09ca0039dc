"""Mediation e-mails and scheduled jobs. Tasks take ids, re-read rows and are idempotent."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from labimpact.site_url import offline_origin
from mediation import notify
from workflow.models import Status

RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": True, "max_retries": 5, "ignore_result": True}


def _request(pk):
    from mediation.models import MediationRequest

    return (
        MediationRequest.objects.select_related("ambito", "school", "social_worker", "mediator__user", "requested_by")
        .filter(pk=pk)
        .first()
    )


def _context(request) -> dict:
    return {"request": request, "site": offline_origin()}


def _mail_mediator_and_requester(request, *, key: str, mediator_template: str, requester_template: str) -> int:
    """The booked mediator (by account or address, in their language) and the requester."""
    sent = 0
    mediator = request.mediator
    if mediator.user or mediator.email:
        sent += notify.send(
            key=key,
            user=mediator.user,
            email=mediator.email or None,
            language=mediator.notify_language,
            template=mediator_template,
            context=_context(request),
        )
    sent += notify.send(key=key, user=request.requested_by, template=requester_template, context=_context(request))
    return sent


@shared_task(**RETRY)
def notify_new_request(request_id: int) -> int:
    request = _request(request_id)
    if request is None:
        return 0
    sent = 0
    for user in notify.operators_of(request.ambito_id):
        sent += notify.send(
            key=f"new:{request.pk}", user=user, template="mediation/email/new_request", context=_context(request)
        )
    return sent


@shared_task(**RETRY)
def notify_assigned(request_id: int) -> int:
    request = _request(request_id)
    if request is None or request.mediator is None:
        return 0
    key = f"assigned:{request.pk}:{request.mediator_id}:{request.scheduled_start:%Y%m%d%H%M}"
    return _mail_mediator_and_requester(
        request,
        key=key,
        mediator_template="mediation/email/assigned_mediator",
        requester_template="mediation/email/assigned_requester",
    )


@shared_task(**RETRY)
def notify_declined(request_id: int) -> int:
    request = _request(request_id)
    if request is None:
        return 0
    event = request.events.filter(transition="decline").order_by("-at").first()
    sent = 0
    for user in notify.operators_of(request.ambito_id):
        sent += notify.send(
            key=f"declined:{request.pk}:{event.pk if event else 0}",
            user=user,
            template="mediation/email/declined",
            context=_context(request),
        )
    return sent


@shared_task(**RETRY)
def notify_status_changed(request_id: int) -> int:
    request = _request(request_id)
    if request is None:
        return 0
    return int(
        notify.send(
            key=f"status:{request.pk}:{request.status}",
            user=request.requested_by,
            template="mediation/email/status",
            context=_context(request),
        )
    )


@shared_task(ignore_result=True)
def send_session_reminders(hours: int = 24) -> int:
    """Remind mediator and requester of sessions starting within `hours` (beat, hourly)."""
    from mediation.models import MediationRequest

    now = timezone.now()
    due = MediationRequest.objects.filter(
        status=Status.SCHEDULED, scheduled_start__gt=now, scheduled_start__lte=now + timedelta(hours=hours)
    ).select_related("mediator__user", "requested_by", "school", "social_worker", "ambito")
    sent = 0
    for request in due:
        key = f"reminder:{request.pk}:{request.scheduled_start:%Y%m%d%H%M}"
        sent += _mail_mediator_and_requester(
            request,
            key=key,
            mediator_template="mediation/email/reminder",
            requester_template="mediation/email/reminder",
        )
    return sent


@shared_task(ignore_result=True)
def alert_overdue_triage() -> int:
    """Tell the ambito's operators about requests waiting beyond their urgency's time (beat)."""
    from mediation.models import MediationRequest

    sent = 0
    for request in MediationRequest.objects.triage_overdue().select_related("ambito", "school", "social_worker"):
        for user in notify.operators_of(request.ambito_id):
            sent += notify.send(
                key=f"overdue:{request.pk}", user=user, template="mediation/email/overdue", context=_context(request)
            )
    return sent


@shared_task(ignore_result=True)
def anonymise_closed_requests() -> int:
    """Anonymise requests closed longer ago than MEDIATION_RETENTION_DAYS (beat, daily)."""
    from legal.services import consultations_anonymise
    from mediation.services import mediation_requests_anonymise

    before = timezone.now() - timedelta(days=settings.MEDIATION_RETENTION_DAYS)
    return mediation_requests_anonymise(before=before) + consultations_anonymise(before=before)

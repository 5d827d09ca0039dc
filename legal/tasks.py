from celery import shared_task

from labimpact.site_url import offline_origin
from mediation import notify
from mediation.tasks import RETRY
from workflow.models import Status


@shared_task(**RETRY)
def notify_consultation(consultation_id: int) -> int:
    """New question → the consultant; call scheduled or answer given → the operator who asked."""
    from legal.models import Consultation

    consultation = (
        Consultation.objects.select_related("consultant__user", "asked_by").filter(pk=consultation_id).first()
    )
    if consultation is None:
        return 0
    context = {"consultation": consultation, "site": offline_origin()}
    key = f"legal:{consultation.pk}:{consultation.status}"
    if consultation.status == Status.SUBMITTED:
        consultant = consultation.consultant
        user, email, language = consultant.user, consultant.email or None, consultant.notify_language
    else:
        user, email, language = consultation.asked_by, None, None
    return int(
        notify.send(
            key=key, user=user, email=email, language=language, template="legal/email/consultation", context=context
        )
    )

"""Writes of the feedback app: public submissions and their moderation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.permissions import CHANGE
from access.scope import require
from common.db import validated_save
from feedback.models import PageFeedback, Report, ReportKind, ReportStatus


@transaction.atomic
def page_feedback_create(
    *, page: str, language: str, ambito_id: int | None, rating: int, comment: str = ""
) -> PageFeedback:
    """Store an anonymous rating of a public page."""
    return validated_save(
        PageFeedback(page=page, language=language, ambito_id=ambito_id, rating=rating, comment=comment.strip())
    )


@transaction.atomic
def report_create(*, kind: str, language: str, message: str, sportello=None, comune=None, **details) -> Report:
    """File a reader's report in the queue of the ambito it concerns (the Regione's if none)."""
    report = Report(
        kind=kind, language=language, message=message.strip(), sportello=sportello, comune=comune, **details
    )
    if kind == ReportKind.WRONG_INFO and sportello is not None:
        report.ambito_id = sportello.ambito_id
        report.comune_id = sportello.comune_id
    elif comune is not None:
        report.ambito_id = comune.ambito_id
    return validated_save(report)


@transaction.atomic
def report_close(*, report: Report, status: str, by, note: str = "") -> Report:
    """Mark a report corrected or dismissed, recording who handled it and when."""
    require(by, CHANGE, report)
    if status not in (ReportStatus.RESOLVED, ReportStatus.DISMISSED, ReportStatus.NEW):
        raise ValidationError({"status": _("Stato non valido.")})
    report.status = status
    report.note = note or report.note
    if status == ReportStatus.NEW:
        report.handled_by, report.handled_at = None, None
    else:
        report.handled_by, report.handled_at = by, timezone.now()
    return validated_save(report)

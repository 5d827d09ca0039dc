"""Mediation on call: life cycle per role, forbidden transitions, ranking, privacy."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from legal.models import Consultation
from mediation import selectors, services
from mediation.models import MediationEvent, MediationRequest, MediationSession, Mediator, RequestAccess
from mediation.tasks import alert_overdue_triage, anonymise_closed_requests, send_session_reminders
from reports.models import Activity
from tests.mediation_helpers import next_weekday, samira, submit, user
from workflow.models import Status
from workflow.validators import no_personal_identifiers

pytestmark = pytest.mark.django_db


def _scheduled(request=None):
    request = request or submit()
    operator = user("operatore_sesto")
    services.mediation_request_triage(request=request, by=operator)
    services.mediation_request_assign(request=request, mediator=samira(), by=operator)
    services.mediation_request_confirm(request=request, by=user("mediatrice"))
    return request


def test_full_life_cycle_school_referent_operator_mediator(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit()
    assert request.status == Status.SUBMITTED and request.ambito.slug == "sesto-san-giovanni"
    assert any("operatore_sesto" in m.to[0] for m in mail.outbox)  # the ambito hears of it

    operator = user("operatore_sesto")
    services.mediation_request_triage(request=request, by=operator)
    ranked = selectors.candidate_mediators(request)
    assert ranked[0].mediator == samira() and ranked[0].available
    with django_capture_on_commit_callbacks(execute=True):
        services.mediation_request_assign(request=request, mediator=samira(), by=operator)
    assert request.status == Status.ASSIGNED and request.assigned_at is not None
    recipients = {m.to[0] for m in mail.outbox}
    assert "mediatrice@demo.labimpact.invalid" in recipients
    assert "referente_scuola@demo.labimpact.invalid" in recipients

    services.mediation_request_confirm(request=request, by=user("mediatrice"))
    for day in (1, 2):
        session = MediationSession(request=request, date=date(2021, 3, day), duration_minutes=90)
        services.mediation_session_log(session=session, by=user("mediatrice"))
    request.refresh_from_db()
    assert request.first_session_at is not None
    # Sessions inside the plan period go to the activity log as mediation interventions.
    activities = Activity.objects.filter(mediation_session__request=request)
    assert activities.count() == 2 and activities.first().kind == "intervento_mediazione"

    services.mediation_request_complete(request=request, by=user("mediatrice"))
    assert request.status == Status.DONE and request.closed_at is not None
    assert list(request.events.values_list("to_status", flat=True)) == [
        "submitted",
        "triaged",
        "assigned",
        "scheduled",
        "done",
    ]
    assert request.events.get(to_status="assigned").actor == operator


def test_social_worker_requests_a_court_ordered_assessment():
    request = submit(by=user("assistente_sociale"), setting="court_assessment", need="Valutazione disposta dal TM")
    assert request.social_worker.user.username == "assistente_sociale"
    assert request.ambito.slug == "sesto-san-giovanni" and request.school is None


def test_school_referent_cannot_ask_for_court_assessment():
    with pytest.raises(ValidationError):
        submit(setting="court_assessment")


@pytest.mark.parametrize("persona", ["operatore_sesto", "mediatrice", "coordinatore", "consulente_legale"])
def test_only_referents_and_social_workers_submit(persona):
    with pytest.raises((PermissionDenied, ValidationError)):
        submit(by=user(persona))


@pytest.mark.parametrize(
    ("transition", "persona"),
    [
        ("triage", "referente_scuola"),
        ("triage", "mediatrice"),
        ("triage", "operatore_cremona"),
        ("triage", "assistente_sociale"),
        ("confirm", "operatore_sesto"),
        ("reject", "mediatrice"),
    ],
)
def test_forbidden_transitions_are_refused(transition, persona):
    request = submit()
    with pytest.raises(PermissionDenied):
        if transition == "confirm":
            services.mediation_request_confirm(request=request, by=user(persona))
        elif transition == "reject":
            services.mediation_request_reject(request=request, by=user(persona), reason="no")
        else:
            services.mediation_request_triage(request=request, by=user(persona))
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED and request.events.count() == 1


def test_transition_from_wrong_status_is_refused():
    request = submit()
    with pytest.raises(ValidationError, match="stato"):
        services.mediation_request_assign(request=request, mediator=samira(), by=user("operatore_sesto"))
    with pytest.raises(ValidationError):
        services.mediation_request_complete(request=request, by=user("operatore_sesto"))


def test_another_mediator_cannot_confirm():
    request = submit()
    operator = user("operatore_sesto")
    services.mediation_request_triage(request=request, by=operator)
    karim = Mediator.objects.get(first_name="Karim")
    services.mediation_request_assign(request=request, mediator=karim, by=operator)
    with pytest.raises(PermissionDenied):
        services.mediation_request_confirm(request=request, by=user("mediatrice"))


def test_reject_and_decline_need_a_reason():
    request = submit()
    with pytest.raises(ValidationError):
        services.mediation_request_reject(request=request, by=user("operatore_sesto"), reason=" ")
    services.mediation_request_triage(request=request, by=user("operatore_sesto"))
    services.mediation_request_assign(request=request, mediator=samira(), by=user("operatore_sesto"))
    with pytest.raises(ValidationError):
        services.mediation_request_decline(request=request, by=user("mediatrice"), reason="")
    services.mediation_request_decline(request=request, by=user("mediatrice"), reason="Malata quel giorno")
    assert request.status == Status.TRIAGED and request.mediator is None
    assert request.events.last().note == "Malata quel giorno"


def test_requester_cancels_with_reason():
    request = submit()
    services.mediation_request_cancel(
        request=request, by=user("referente_scuola"), reason="La famiglia si è trasferita"
    )
    assert request.status == Status.CANCELLED and request.closed_at


def test_double_booking_is_refused_with_a_message():
    operator = user("operatore_sesto")
    first, second = submit(), submit(start=next_weekday(1) + timedelta(minutes=30))
    for request in (first, second):
        services.mediation_request_triage(request=request, by=operator)
    services.mediation_request_assign(request=first, mediator=samira(), by=operator)
    with pytest.raises(ValidationError, match="già un incontro"):
        services.mediation_request_assign(request=second, mediator=samira(), by=operator)
    # The ranking says she is busy in that slot.
    ranked = selectors.candidate_mediators(second)
    assert next(c for c in ranked if c.mediator == samira()).busy


def test_ranking_prefers_language_ambito_and_free_slot():
    request = submit(start=next_weekday(5, hour=10))  # Saturday: only Karim works then
    ranked = selectors.candidate_mediators(request)
    assert [c.mediator.first_name for c in ranked[:2]] == ["Karim", "Samira"]
    weekday = submit(start=next_weekday(2, hour=10))
    assert selectors.candidate_mediators(weekday)[0].mediator == samira()
    assert all("ar" in {ml.language.code for ml in c.languages} for c in selectors.candidate_mediators(weekday))


@pytest.mark.parametrize(
    "text",
    [
        "Alunno RSSMRA85T10A562S della 2B",
        "chiamare la madre al 333 123 4567",
        "telefono +39 02 1234 5678",
        "scrivere a genitore@example.org",
        "codice rssmra85t10a562s",
    ],
)
def test_personal_identifiers_are_refused(text):
    with pytest.raises(ValidationError):
        no_personal_identifiers(text)
    with pytest.raises(ValidationError) as error:
        submit(need=text)
    assert "dati personali" in str(error.value)
    assert not MediationRequest.objects.filter(need=text).exists()


@pytest.mark.parametrize("text", ["Colloquio il 12.03.2026 dalle 10.30-12.30", "Classe 2B, 8 anni", "Aula 104"])
def test_ordinary_text_passes_the_identifier_check(text):
    no_personal_identifiers(text)


def test_queue_is_sorted_by_urgency_then_age_and_flags_overdue():
    low = submit(urgency=1)
    urgent = submit(urgency=4)
    MediationRequest.objects.filter(pk=urgent.pk).update(submitted_at=timezone.now() - timedelta(hours=5))
    rows = [r for r in selectors.queue(user("operatore_sesto")) if r.pk in {low.pk, urgent.pk}]
    assert [r.pk for r in rows] == [urgent.pk, low.pk]
    assert rows[0].is_overdue and not rows[1].is_overdue
    assert not [r for r in selectors.queue(user("operatore_cremona")) if r.pk in {low.pk, urgent.pk}]


def test_overdue_alert_and_reminders_are_sent_once():
    request = submit(urgency=4)
    MediationRequest.objects.filter(pk=request.pk).update(submitted_at=timezone.now() - timedelta(hours=5))
    mail.outbox.clear()
    assert alert_overdue_triage() >= 1
    assert alert_overdue_triage() == 0  # idempotent
    scheduled = _scheduled(submit(start=timezone.now() + timedelta(hours=3)))
    mail.outbox.clear()
    sent = send_session_reminders()
    assert sent == 2 and {m.to[0] for m in mail.outbox} >= {"mediatrice@demo.labimpact.invalid"}
    assert send_session_reminders() == 0
    assert scheduled.status == Status.SCHEDULED


def test_notifications_are_in_the_recipients_language(django_capture_on_commit_callbacks):
    Mediator.objects.filter(first_name="Samira").update(notify_language="fr")
    request = submit()
    services.mediation_request_triage(request=request, by=user("operatore_sesto"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.mediation_request_assign(request=request, mediator=samira(), by=user("operatore_sesto"))
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "/fr/mediazione/" in by_recipient["mediatrice@demo.labimpact.invalid"].body
    assert "/it/mediazione/" in by_recipient["referente_scuola@demo.labimpact.invalid"].body


def test_retention_anonymises_exactly_the_closed_requests_past_it(settings):
    settings.MEDIATION_RETENTION_DAYS = 30
    old_closed = _scheduled()
    services.mediation_session_log(
        session=MediationSession(request=old_closed, date=date(2021, 3, 1), duration_minutes=60, note="Andato bene"),
        by=user("mediatrice"),
    )
    services.mediation_request_complete(request=old_closed, by=user("mediatrice"), note="Chiusa")
    recent_closed = submit()
    services.mediation_request_cancel(request=recent_closed, by=user("referente_scuola"), reason="Non serve più")
    old_open = submit()
    long_ago = timezone.now() - timedelta(days=31)
    MediationRequest.objects.filter(pk__in=[old_closed.pk, old_open.pk]).update(closed_at=long_ago)
    MediationRequest.objects.filter(pk=old_open.pk).update(closed_at=None, submitted_at=long_ago)

    anonymise_closed_requests()

    old_closed.refresh_from_db()
    assert old_closed.anonymised_at and old_closed.need == "" and old_closed.school is None
    assert old_closed.requested_by is None
    assert not MediationEvent.objects.filter(request=old_closed).exclude(note="").exists()
    assert old_closed.sessions.get().duration_minutes == 60 and old_closed.sessions.get().note == ""
    assert old_closed.languages.filter(code="ar").exists() and old_closed.assigned_at  # statistics stay
    for other in (recent_closed, old_open):
        other.refresh_from_db()
        assert other.anonymised_at is None and other.need
    figures = selectors.measures(user("coordinatore"))
    assert any(row.requests for row in figures["ambiti"])


def test_reading_details_is_logged(login):
    request = submit()
    response = login("operatore_sesto").get(f"/it/mediazione/richieste/{request.pk}/")
    assert response.status_code == 200
    assert RequestAccess.objects.filter(request=request, user__username="operatore_sesto").exists()


def test_coordinator_exports_and_erases_a_mediator():
    coordinator = user("coordinatore")
    # Her demo appointments ahead are reassigned first (the service refuses otherwise).
    MediationRequest.objects.filter(mediator=samira(), status__in=["assigned", "scheduled"]).update(status="cancelled")
    request = _scheduled()
    services.mediation_session_log(
        session=MediationSession(request=request, date=date(2021, 3, 1), duration_minutes=60), by=user("mediatrice")
    )
    services.mediation_request_complete(request=request, by=user("mediatrice"))
    data = services.mediator_personal_data(mediator=samira(), by=coordinator)
    assert data["first_name"] == "Samira" and {"language": "ar", "level": "native"} in data["languages"]
    with pytest.raises(PermissionDenied):
        services.mediator_personal_data(mediator=samira(), by=user("operatore_sesto"))
    erased = services.mediator_erase(mediator=samira(), by=coordinator)
    assert erased.first_name != "Samira" and erased.email == "" and erased.user is None
    assert not erased.is_active and not erased.availability.exists()
    assert not erased.history.filter(first_name="Samira").exists()
    assert erased.requests.get(pk=request.pk).sessions.count() == 1  # hours kept, anonymously
    assert selectors.measures(coordinator)["by_language"]


def test_erase_refuses_a_mediator_with_sessions_ahead():
    _scheduled()
    with pytest.raises(ValidationError):
        services.mediator_erase(mediator=samira(), by=user("coordinatore"))


def test_measures_give_median_and_p90_per_ambito():
    figures = selectors.measures(user("coordinatore"))
    by_name = {row.ambito: row for row in figures["ambiti"]}
    sesto = by_name["Sesto San Giovanni e Cologno Monzese"]
    assert sesto.to_assigned_median is not None and sesto.to_assigned_p90 >= sesto.to_assigned_median
    assert sesto.hours > 0
    own = selectors.measures(user("operatore_sesto"))
    assert [row.ambito for row in own["ambiti"]] == ["Sesto San Giovanni e Cologno Monzese"]


def test_demo_has_requests_in_several_states_and_a_consultation():
    statuses = set(MediationRequest.objects.filter(is_demo=True).values_list("status", flat=True))
    assert {"submitted", "triaged", "assigned", "scheduled", "done", "rejected"} <= statuses
    assert Consultation.objects.filter(is_demo=True).exists()


@pytest.mark.parametrize(
    ("code", "ok"),
    [("MIIC8AB00X", True), ("CRIC81200B", True), ("miic8ab00x", True), ("XXIC8AB00X", False), ("MIIC8AB0", False)],
)
def test_school_code_is_validated_and_normalised(code, ok):
    from schools.models import School
    from schools.services import school_save

    school = School.objects.get(code="MIIC00001D")
    school.code = code
    if ok:
        school_save(school=school, by=user("coordinatore"))
        assert school.code == code.upper()
    else:
        with pytest.raises(ValidationError):
            school_save(school=school, by=user("coordinatore"))

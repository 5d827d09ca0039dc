"""Mediation and legal e-mails are rendered in the recipient's language, whatever the worker's."""

import pytest
from django.core import mail
from django.utils import translation

from legal import services as legal_services
from legal.models import Consultation
from legal.tasks import notify_consultation
from mediation import services
from mediation.models import Mediator
from mediation.tasks import notify_new_request
from tests.mediation_helpers import samira, submit, user

pytestmark = pytest.mark.django_db


def _consultation(operator) -> Consultation:
    ambito = operator.memberships.get().ambito
    consultation = Consultation(
        ambito=ambito,
        consultant=legal_services.consultants_for(ambito).first(),
        area="citizenship",
        question="Un minore nato in Italia può chiedere la cittadinanza a 18 anni?",
    )
    return legal_services.consultation_submit(consultation=consultation, by=operator)


def test_operators_read_italian_even_when_the_worker_runs_in_another_language():
    request = submit()
    mail.outbox.clear()
    with translation.override("ar"):
        assert notify_new_request(request.pk) >= 1
    operator_mail = next(m for m in mail.outbox if m.to[0] == "operatore_sesto@demo.labimpact.invalid")
    assert "/it/mediazione/" in operator_mail.body


def test_a_mediator_without_an_account_is_mailed_in_their_notification_language(django_capture_on_commit_callbacks):
    address = "samira@demo.labimpact.invalid"
    Mediator.objects.filter(pk=samira().pk).update(user=None, email=address, notify_language="fr")
    request = submit()
    services.mediation_request_triage(request=request, by=user("operatore_sesto"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.mediation_request_assign(request=request, mediator=samira(), by=user("operatore_sesto"))
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "/fr/mediazione/" in by_recipient[address].body
    assert "/it/mediazione/" in by_recipient["referente_scuola@demo.labimpact.invalid"].body


def test_a_consultant_without_an_account_is_mailed_in_their_notification_language():
    operator = user("operatore_sesto")
    consultation = _consultation(operator)
    consultation.consultant.user = None
    consultation.consultant.email = "studio@demo.labimpact.invalid"
    consultation.consultant.notify_language = "fr"
    consultation.consultant.save()
    mail.outbox.clear()
    assert notify_consultation(consultation.pk) == 1
    (message,) = mail.outbox
    assert message.to == ["studio@demo.labimpact.invalid"]
    assert message.subject.startswith("Consultation juridique")
    assert "/fr/" in message.body


def test_the_operator_who_asked_reads_the_answer_in_italian():
    operator = user("operatore_sesto")
    consultation = _consultation(operator)
    legal_services.consultation_answer(
        consultation=consultation, answer="Serve la residenza legale.", by=user("consulente_legale")
    )
    mail.outbox.clear()
    with translation.override("fr"):
        assert notify_consultation(consultation.pk) == 1
    (message,) = mail.outbox
    assert message.to == [operator.email]
    assert message.subject.startswith("Consulenza legale")

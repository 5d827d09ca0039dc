"""Role × page matrix for the mediation and legal-consultancy pages and actions; bad input."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from legal import services as legal_services
from legal.models import Consultation, Faq
from mediation.models import MediationRequest
from tests.mediation_helpers import submit, user

pytestmark = pytest.mark.django_db

PERSONAS = [
    "coordinatore",
    "operatore_sesto",
    "operatore_cremona",
    "referente_scuola",
    "mediatrice",
    "assistente_sociale",
    "consulente_legale",
    "anonymous",
]
OK, DENIED, MISSING, LOGIN = 200, 403, 404, 302


def _demo_request():
    return MediationRequest.objects.get(is_demo=True, setting="parent_teacher", status="done")


def _demo_consultation():
    return Consultation.objects.get(is_demo=True, status="done")


PAGES = {
    #                        coord  op_sesto op_crem referente mediatrice assistente consulente anonymous
    "mediation:new": (DENIED, DENIED, DENIED, OK, DENIED, OK, DENIED, LOGIN),
    "mediation:mine": (DENIED, DENIED, DENIED, OK, DENIED, OK, DENIED, LOGIN),
    "mediation:queue": (OK, OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "mediation:mediator": (DENIED, DENIED, DENIED, DENIED, OK, DENIED, DENIED, LOGIN),
    "mediation:measures": (OK, OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "mediation:detail": (OK, OK, MISSING, OK, OK, MISSING, MISSING, LOGIN),
    "legal:list": (OK, OK, OK, DENIED, DENIED, DENIED, OK, LOGIN),
    "legal:new": (DENIED, OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "legal:faq": (OK, OK, OK, DENIED, DENIED, DENIED, OK, LOGIN),
    "legal:detail": (OK, OK, MISSING, MISSING, MISSING, MISSING, OK, LOGIN),
    "admin:mediation_socialworker_changelist": (OK, OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "admin:legal_legalconsultant_changelist": (OK, OK, OK, DENIED, DENIED, DENIED, OK, LOGIN),
}


def _url(page):
    if page == "mediation:detail":
        return reverse(page, args=[_demo_request().pk])
    if page == "legal:detail":
        return reverse(page, args=[_demo_consultation().pk])
    return reverse(page)


@pytest.fixture
def as_persona(client):
    def _as(persona):
        if persona != "anonymous":
            client.force_login(user(persona))
        return client

    return _as


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_matrix(as_persona, persona, page):
    expected = PAGES[page][PERSONAS.index(persona)]
    response = as_persona(persona).get(_url(page))
    assert response.status_code == expected
    if expected == OK and not page.startswith("admin:"):
        assert response["Cache-Control"].startswith("max-age=0")  # never cached


# Who may take a fresh request of Sesto into triage: 302 back to the page when done.
TRIAGE = (LOGIN, LOGIN, MISSING, DENIED, MISSING, MISSING, MISSING, LOGIN)


@pytest.mark.parametrize("persona", PERSONAS)
def test_triage_action_matrix(as_persona, persona):
    request = submit()
    expected = TRIAGE[PERSONAS.index(persona)]
    response = as_persona(persona).post(reverse("mediation:action", args=[request.pk, "triage"]))
    assert response.status_code == expected
    request.refresh_from_db()
    done = persona in ("coordinatore", "operatore_sesto")
    assert request.status == ("triaged" if done else "submitted")


@pytest.mark.parametrize("persona", ["operatore_sesto", "referente_scuola", "consulente_legale"])
def test_answer_action_only_for_the_consultant(as_persona, persona):
    consultation = Consultation.objects.get(is_demo=True, status="submitted")
    response = as_persona(persona).post(
        reverse("legal:action", args=[consultation.pk, "answer"]), {"answer": "Sì, dal 2019.", "duration_minutes": 30}
    )
    consultation.refresh_from_db()
    if persona == "consulente_legale":
        assert response.status_code == 302 and consultation.status == "done"
    else:
        assert response.status_code in (403, 404) and consultation.status == "submitted"


def _form(**overrides):
    from services.models import Language
    from tests.mediation_helpers import next_weekday

    data = {
        "school": "",
        "setting": "parent_teacher",
        "languages": [Language.objects.get(code="ar").pk],
        "urgency": 2,
        "preferred_start": next_weekday(2).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 60,
        "pupil_class": "3A",
        "age_band": "6-10",
        "need": "Primo colloquio con i genitori",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_referent_submits_through_the_form(as_persona):
    from schools.models import School

    client = as_persona("referente_scuola")
    school = School.objects.get(code="MIIC00001D")
    response = client.post(reverse("mediation:new"), _form(school=school.pk))
    assert response.status_code == 302
    created = MediationRequest.objects.latest("pk")
    assert created.school == school and created.status == "submitted"
    assert client.get(reverse("mediation:mine")).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("need", "Chiamare il papà al 347 555 1234", "numero di telefono"),
        ("notes", "Scrivere a mamma.rossi@example.org", "indirizzo e-mail"),
        ("need", "Alunno RSSMRA85T10A562S", "codice fiscale"),
        ("preferred_start", "domani", "data"),
        ("languages", [], "obbligatorio"),
        ("duration_minutes", "9999", "480"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(as_persona, field, value, message):
    from schools.models import School

    before = MediationRequest.objects.count()
    school = School.objects.get(code="MIIC00001D")
    response = as_persona("referente_scuola").post(reverse("mediation:new"), _form(school=school.pk, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode().lower() or message in str(response.context["form"].errors).lower()
    assert MediationRequest.objects.count() == before


def test_referent_cannot_file_for_another_school(as_persona):
    from schools.models import School

    other = School.objects.get(code="CRIC00001D")
    response = as_persona("referente_scuola").post(reverse("mediation:new"), _form(school=other.pk))
    assert response.status_code == 400
    assert not MediationRequest.objects.filter(school=other, need="Primo colloquio con i genitori").exists()


def test_reusable_answer_becomes_an_faq_for_the_same_ambito_only(as_persona):
    operator = user("operatore_sesto")
    consultation = Consultation(
        ambito=operator.memberships.get().ambito,
        consultant=legal_services.consultants_for(operator.memberships.get().ambito).first(),
        area="citizenship",
        question="Un minore nato in Italia può chiedere la cittadinanza a 18 anni se ha vissuto all'estero due anni?",
    )
    legal_services.consultation_submit(consultation=consultation, by=operator)
    legal_services.consultation_answer(
        consultation=consultation,
        answer="Serve la residenza legale ininterrotta: due anni all'estero la interrompono.",
        reusable=True,
        faq_question="Nato in Italia, periodi all'estero: la cittadinanza a 18 anni è possibile?",
        by=user("consulente_legale"),
    )
    faq = Faq.objects.get(consultation=consultation)
    sesto = as_persona("operatore_sesto").get(reverse("legal:faq"), {"q": "estero cittadinanza"})
    assert escape(faq.question) in sesto.content.decode()
    from django.test import Client

    other = Client()
    other.force_login(user("operatore_cremona"))
    assert escape(faq.question) not in other.get(reverse("legal:faq"), {"q": "estero"}).content.decode()


def test_consultation_question_refuses_identifiers(as_persona):
    from legal.services import consultants_for
    from territories.models import Ambito

    consultant = consultants_for(Ambito.objects.get(slug="sesto-san-giovanni")).first()
    response = as_persona("operatore_sesto").post(
        reverse("legal:new"),
        {"consultant": consultant.pk, "area": "permits", "nationality_group": "", "question": "Il sig. tel 3331234567"},
    )
    assert response.status_code == 400 and "telefono" in response.content.decode()


def test_queue_page_query_count_does_not_grow(as_persona, django_assert_max_num_queries):
    client = as_persona("coordinatore")
    client.get(reverse("mediation:queue"))
    for _ in range(5):
        submit()
    with django_assert_max_num_queries(16):
        response = client.get(reverse("mediation:queue"))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["coordinatore", "operatore_sesto"])
def test_dashboard_shows_activation_times_and_hours_per_ambito(as_persona, persona):
    response = as_persona(persona).get(reverse("admin:reports_dashboard"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "mediation-measures" in content and "Sesto San Giovanni e Cologno Monzese" in content
    assert ("Cremonese e Casalasco</th>" in content) == (persona == "coordinatore")

"""The mediation demo loads through the services, stays labelled demo and can be loaded again."""

import pytest

from labimpact.demo import DEMO_PASSWORD
from legal.models import Consultation, Faq, LegalConsultant
from mediation.demo import MEDIATOR_DETAILS, load_mediation_demo
from mediation.models import Availability, MediationRequest, Mediator, MediatorLanguage, SocialWorker

pytestmark = pytest.mark.django_db


def _counts() -> dict:
    return {
        "social_workers": SocialWorker.objects.filter(is_demo=True).count(),
        "consultants": LegalConsultant.objects.filter(is_demo=True).count(),
        "mediators": Mediator.objects.filter(is_demo=True).count(),
        "languages": MediatorLanguage.objects.filter(mediator__is_demo=True).count(),
        "hours": Availability.objects.filter(mediator__is_demo=True).count(),
        "requests": MediationRequest.objects.filter(is_demo=True).count(),
        "consultations": Consultation.objects.filter(is_demo=True).count(),
        "faqs": Faq.objects.filter(question__endswith="(demo)").count(),
    }


def test_loading_the_mediation_demo_again_changes_nothing():
    before = _counts()
    load_mediation_demo(password=DEMO_PASSWORD)
    assert _counts() == before
    assert "Karim" not in MEDIATOR_DETAILS  # the extra mediators do not grow the declarative table


def test_demo_registers_are_labelled_and_carry_their_levels_and_hours():
    karim = Mediator.objects.get(first_name="Karim")
    assert karim.is_demo and "(demo)" in karim.last_name
    assert {(ml.language.code, ml.level) for ml in karim.language_levels.all()} == {("ar", "b2")}
    assert [(a.weekday, a.start.isoformat("minutes")) for a in karim.availability.all()] == [(5, "09:00")]
    samira = Mediator.objects.get(first_name="Samira")
    assert {(ml.language.code, ml.level) for ml in samira.language_levels.all()} == {("ar", "native"), ("fr", "c1")}
    assert all(c.is_demo and c.name.endswith("(demo)") for c in LegalConsultant.objects.filter(is_demo=True))
    assert SocialWorker.objects.get(user__username="assistente_sociale").service.endswith("(demo)")

"""One source for "documents to bring": the desk page shows the guide's checklist for its services."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from services.models import Guide, GuideStep, ServiceCategory
from services.selectors import guides_for_desk
from tests.factories import AmbitoFactory, GuideFactory, SportelloFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_this_tests_guides():
    # Demo or real guides loaded for the whole run would match the same services.
    Guide.objects.update(is_published=False)


@pytest.fixture
def permit():
    return ServiceCategory.objects.get(key="permesso-soggiorno")


@pytest.fixture
def desk(permit):
    desk = SportelloFactory(slug="sportello-documenti", is_published=True, what_to_bring_it="")
    desk.categories.add(permit)
    return desk


def _guide(category, *, published=True, ambito=None, checklist="Passaporto\nCodice fiscale", **fields):
    guide = GuideFactory(ambito=ambito, is_published=published, **fields)
    guide.categories.add(category)
    GuideStep.objects.create(guide=guide, order=1, title_it="Prepara i documenti", checklist_it=checklist)
    return guide


def _desk_page(client, desk, lang="it"):
    with translation.override(lang):
        return client.get(reverse("services:sportello", kwargs={"slug": desk.slug})).content.decode()


def test_desk_page_lists_the_documents_of_the_matching_guide_and_links_it(client, desk, permit):
    guide = _guide(permit, title_it="Rinnovare il permesso", checklist="Passaporto valido\nQuattro fotografie")
    html = _desk_page(client, desk)
    assert "Rinnovare il permesso" in html
    assert "<li>Passaporto valido</li>" in html and "<li>Quattro fotografie</li>" in html
    assert f'href="{guide.get_absolute_url()}"' in html


def test_desk_extras_come_after_the_guide_checklist(client, desk, permit):
    _guide(permit, checklist="Passaporto valido")
    desk.what_to_bring_it = "Prenotazione stampata"
    desk.save()
    html = _desk_page(client, desk)
    assert "Inoltre, per questo sportello" in html
    assert html.index("<li>Passaporto valido</li>") < html.index("<li>Prenotazione stampata</li>")


def test_desk_without_guide_shows_only_its_own_list_without_the_extras_heading(client, desk):
    desk.what_to_bring_it = "Prenotazione stampata"
    desk.save()
    html = _desk_page(client, desk)
    assert "<li>Prenotazione stampata</li>" in html
    assert "Inoltre, per questo sportello" not in html


def test_selector_skips_drafts_other_services_and_other_ambiti(desk, permit):
    school = ServiceCategory.objects.get(key="iscrizione-scuola")
    regional = _guide(permit)
    own_ambito = _guide(permit, ambito=desk.ambito)
    _guide(permit, published=False)
    _guide(school)
    _guide(permit, ambito=AmbitoFactory())
    assert {guide.pk for guide in guides_for_desk(desk)} == {regional.pk, own_ambito.pk}


def test_guide_with_two_of_the_desks_services_appears_once(desk, permit):
    family = ServiceCategory.objects.get(key="ricongiungimento")
    desk.categories.add(family)
    guide = _guide(permit)
    guide.categories.add(family)
    assert [g.pk for g in guides_for_desk(desk)] == [guide.pk]


def test_guide_checklist_follows_the_readers_language(client, desk, permit):
    guide = _guide(permit, checklist="Passaporto valido")
    step = guide.steps.get()
    step.checklist_en = "Valid passport"
    step.save()
    english = _desk_page(client, desk, "en")
    assert "<li>Valid passport</li>" in english
    bengali = _desk_page(client, desk, "bn")
    assert '<ul class="checklist" lang="it" dir="ltr" data-fallback-lang="it">' in bengali


def test_tag_renders_nothing_for_a_desk_without_guides_or_extras(desk):
    html = Template("{% load desks %}{% desk_documents sportello %}").render(Context({"sportello": desk}))
    assert html.strip() == ""


def test_documents_block_costs_a_fixed_number_of_queries(client, desk, permit, django_assert_max_num_queries):
    for _ in range(3):
        _guide(permit)
    # Fixed whatever the number of guides: categories, guides, their steps.
    with translation.override("it"), django_assert_max_num_queries(3):
        guides_for_desk(desk)


def test_open_data_api_lists_the_guide_checklist_then_the_desks_extras(client, desk, permit):
    from api.ids import record_id

    _guide(permit, checklist="Passaporto valido\nQuattro fotografie")
    _guide(permit, ambito=AmbitoFactory(), checklist="Documento di un altro ambito")
    desk.what_to_bring_it = "Prenotazione stampata"
    desk.save()
    response = client.get(f"/api/v1/services/{record_id('service', desk.pk)}?lang=it")
    assert response.status_code == 200
    documents = [d["document"] for d in response.json()["required_documents"]]
    assert documents == ["Passaporto valido", "Quattro fotografie", "Prenotazione stampata"]
    ids = [d["id"] for d in response.json()["required_documents"]]
    assert len(set(ids)) == len(ids)

"""Issue 14: site search puts the guide to a procedure above the desks that mention it."""

import pytest
from django.urls import reverse
from django.utils import translation

from services.models import Guide
from sitesearch import selectors
from sitesearch.models import Kind
from sitesearch.text import normalize
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db


def _url(lang="it"):
    with translation.override(lang):
        return reverse("sitesearch:search")


def _kinds_and_titles(response):
    return [(entry.kind, entry.title) for entry in response.context["page"].object_list]


@pytest.fixture
def permit_content(django_capture_on_commit_callbacks):
    """Seven desks that help with permits, named to sort before the guide, and the guide."""
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(7):
            SportelloFactory(
                name_it=f"A sportello {n}",
                description_it="Aiuto per il permesso di soggiorno: rinnovo, permesso per lavoro, permesso UE. "
                "Permesso, permesso, permesso.",
                is_published=True,
            )
        guide = Guide.objects.create(
            slug="rinnovo-permesso-prova",
            title_it="Rinnovare il permesso di soggiorno",
            summary_it="Cosa serve e dove andare.",
            is_published=True,
        )
        Guide.objects.create(
            slug="casa-prova",
            title_it="Cercare casa",
            summary_it="Con il permesso di soggiorno puoi firmare un contratto.",
            is_published=True,
        )
    return guide


@pytest.mark.parametrize(
    "typed", ["permesso", "Permesso di soggiorno", "rinnovo permesso di soggiorno", "rinnovo del permesso", "permes"]
)
def test_the_guide_to_the_procedure_comes_before_the_desks(client, permit_content, typed):
    results = _kinds_and_titles(client.get(_url(), {"q": typed}))
    assert results, typed
    first_guide = results.index((Kind.GUIDE, "Rinnovare il permesso di soggiorno"))
    first_desk = next((i for i, (kind, _t) in enumerate(results) if kind == Kind.DESK), len(results))
    assert first_guide < first_desk
    assert results[0][0] != Kind.DESK


def test_a_title_match_beats_a_mention_in_the_summary(client, permit_content):
    results = _kinds_and_titles(client.get(_url(), {"q": "permesso"}))
    guides = [title for kind, title in results if kind == Kind.GUIDE]
    assert guides.index("Rinnovare il permesso di soggiorno") < guides.index("Cercare casa")


def test_desks_come_after_guides_that_only_mention_the_word(client, permit_content):
    results = _kinds_and_titles(client.get(_url(), {"q": "permesso"}))
    kinds = [kind for kind, _title in results]
    assert kinds.index(Kind.DESK) > max(i for i, (k, t) in enumerate(results) if t == "Cercare casa")


def test_a_desk_named_after_the_search_comes_first(client, permit_content, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        SportelloFactory(name_it="Sportello Zibido", slug="sportello-zibido", is_published=True)
        Guide.objects.create(
            slug="zibido-prova", title_it="Notizie", summary_it="Anche a Zibido si rinnova.", is_published=True
        )
    results = _kinds_and_titles(client.get(_url(), {"q": "zibido"}))
    assert results[0] == (Kind.DESK, "Sportello Zibido")


def test_little_words_do_not_have_to_match_but_content_words_do(client, permit_content):
    assert selectors._terms("rinnovo del permesso di soggiorno") == ["rinno", "permes", "soggior"]
    assert selectors._terms("di") == ["di"]
    assert _kinds_and_titles(client.get(_url(), {"q": "permesso astronave"})) == []


def test_stemming_stays_away_from_other_scripts():
    for text in ("تصريح الإقامة", "посвідка на проживання"):
        assert selectors._terms(normalize(text)) == normalize(text).split()


def test_ranking_keeps_the_query_count(client, permit_content, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(_url(), {"q": "rinnovo permesso di soggiorno"})
    assert response.status_code == 200

"""Site search: desks, guides, materials and news in the reader's language, accents ignored."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from services.models import Guide, GuideStep
from sitesearch import selectors
from sitesearch.models import Entry, Kind
from sitesearch.services import entry_index, index_rebuild
from sitesearch.text import normalize
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db


def _url(lang="it"):
    with translation.override(lang):
        return reverse("sitesearch:search")


def _titles(response):
    return [entry.title for entry in response.context["page"].object_list]


@pytest.fixture(autouse=True)
def _reference_guides_out_of_the_index(django_capture_on_commit_callbacks):
    """The reference guides load_reference ships share these words: these tests search their own."""
    with django_capture_on_commit_callbacks(execute=True):
        for other in Guide.objects.published():
            other.is_published = False
            other.save()


@pytest.fixture
def guide(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        guide = Guide.objects.create(
            slug="ricongiungimento-prova",
            title_it="Ricongiungimento familiare: nulla osta",
            title_ar="لمّ شمل الأسرة: تصريح",
            summary_it="Come chiedere il nulla osta allo Sportello Unico per l'Immigrazione.",
            is_published=True,
        )
        GuideStep.objects.create(guide=guide, order=1, title_it="Documenti", checklist_it="Certificato di idoneità")
    return guide


def test_normalize_ignores_case_accents_and_arabic_vowel_marks():
    assert normalize("Idoneità ALLOGGIATIVA") == "idoneita alloggiativa"
    assert normalize("لَمّ شَمْل") == normalize("لم شمل")
    assert normalize("l'Adda—Trezzo") == "l adda trezzo"


def test_search_finds_guide_by_step_checklist_whatever_the_accents(client, guide):
    response = client.get(_url(), {"q": "IDONEITA"})
    assert _titles(response) == ["Ricongiungimento familiare: nulla osta"]


def test_last_word_matches_as_a_prefix(client, guide):
    assert "Ricongiungimento familiare: nulla osta" in _titles(client.get(_url(), {"q": "ricongiung"}))


def test_every_word_must_match(client, guide):
    assert _titles(client.get(_url(), {"q": "ricongiungimento pizza"})) == []


def test_reader_language_is_searched_and_italian_fills_the_gaps(client, guide):
    arabic = client.get(_url("ar"), {"q": "شمل"})
    # The word is in the guide's title and only in the body of the Arabic demo desk.
    assert _titles(arabic)[0] == "لمّ شمل الأسرة: تصريح"
    # No French translation: the Italian text is searched and shown, marked as Italian.
    french = client.get(_url("fr"), {"q": "ricongiungimento nulla osta"})
    (entry,) = [e for e in french.context["page"].object_list if e.object_id == guide.pk]
    assert entry.is_fallback
    assert 'lang="it"' in french.content.decode()


def test_chinese_is_matched_inside_words(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Guide.objects.create(slug="zh", title_it="Cittadinanza", title_zh_hans="申请意大利国籍", is_published=True)
    assert _titles(client.get(_url("zh-hans"), {"q": "国籍"})) == ["申请意大利国籍"]


def test_desks_are_indexed_with_their_comune_and_services(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        desk = SportelloFactory(name_it="Sportello indicizzato", slug="sportello-indicizzato", is_published=True)
    response = client.get(_url(), {"q": "sesto indicizzato"})
    assert [e.url for e in response.context["page"].object_list] == [desk.get_absolute_url()]


def test_unpublishing_removes_an_item_from_the_results(client, guide, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        guide.is_published = False
        guide.save()
    assert not Entry.objects.filter(kind=Kind.GUIDE, object_id=guide.pk).exists()
    assert "Ricongiungimento familiare: nulla osta" not in _titles(client.get(_url(), {"q": "ricongiungimento"}))


def test_scheduled_news_appear_from_their_date():
    from content.models import News

    news = News.objects.create(
        slug="futura",
        title_it="Nuovi corsi serali zebrati",
        is_published=True,
        published_at=timezone.now() + dt.timedelta(days=2),
    )
    entry_index(kind=Kind.NEWS, object_id=news.pk)
    assert list(selectors.search("corsi zebrati", "it").entries) == []
    later = timezone.now() + dt.timedelta(days=3)
    assert [e.object_id for e in selectors.search("corsi zebrati", "it", now=later).entries] == [news.pk]


def test_rebuild_indexes_every_published_item_in_every_language(guide):
    count = index_rebuild()
    assert count % len(settings.LANGUAGES) == 0
    assert Entry.objects.filter(kind=Kind.GUIDE, object_id=guide.pk).count() == len(settings.LANGUAGES)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_full_text_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'sitesearch_entry_vector_gin'")
        assert "gin" in cursor.fetchone()[0].lower()


def test_result_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(25):
            Guide.objects.create(slug=f"guida-serie-{n}", title_it=f"Guida serie {n}", is_published=True)
    with django_assert_max_num_queries(4):
        response = client.get(_url(), {"q": "serie"})
    assert response.context["page"].paginator.count == 25


def test_empty_and_overlong_queries_answer_politely(client):
    assert client.get(_url()).status_code == 200
    assert client.get(_url(), {"q": "   "}).status_code == 200
    overlong = client.get(_url(), {"q": "x" * 500})
    assert overlong.status_code == 200
    assert 'role="alert"' in overlong.content.decode()


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=250), lang=st.sampled_from([code for code, _name in settings.LANGUAGES]))
def test_any_query_string_gets_a_page_not_an_error(client, q, lang):
    response = client.get(_url(lang), {"q": q, "page": "x"})
    # Control characters are refused before any view (labimpact/middleware.py).
    assert response.status_code == (400 if re.search(r"[\x00-\x1f\x7f]", q) else 200)

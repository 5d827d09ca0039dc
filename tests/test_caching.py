"""The public page cache: shared by anonymous readers, per language, stale as soon as content changes."""

import pytest
from django.urls import reverse
from django.utils import translation

from services.services import sportello_save
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db


def _url(name, lang="it", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def desk():
    return SportelloFactory(name="Sportello cache", slug="sportello-cache", is_published=True)


def test_second_anonymous_visit_is_served_without_queries(client, desk, django_assert_num_queries):
    url = _url("services:sportello", slug=desk.slug)
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content


def test_each_language_has_its_own_entry(client, desk):
    client.get(_url("services:sportello", "it", slug=desk.slug))
    arabic = client.get(_url("services:sportello", "ar", slug=desk.slug))
    assert 'lang="ar"' in arabic.content.decode()


def test_saving_content_makes_cached_pages_stale(client, desk, coordinatore, django_capture_on_commit_callbacks):
    url = _url("services:sportello", slug=desk.slug)
    assert "Sportello cache" in client.get(url).content.decode()
    desk.name_it = "Sportello rinominato"
    with django_capture_on_commit_callbacks(execute=True):
        sportello_save(sportello=desk, by=coordinatore)
    assert "Sportello rinominato" in client.get(url).content.decode()


def test_unpublishing_removes_the_cached_page(client, desk, coordinatore):
    url = _url("services:sportello", slug=desk.slug)
    assert client.get(url).status_code == 200
    desk.is_published = False
    sportello_save(sportello=desk, by=coordinatore)
    assert client.get(url).status_code == 404


def test_query_string_is_part_of_the_key(client, desk):
    base = _url("services:search")
    client.get(base)
    filtered = client.get(base, {"q": "zzzz-nessun-comune"})
    assert "Sportello cache" not in filtered.content.decode()


def test_logged_in_staff_never_get_or_fill_the_shared_cache(client, desk, operatore_sesto, django_assert_num_queries):
    url = _url("services:sportello", slug=desk.slug)
    client.force_login(operatore_sesto)
    client.get(url)
    client.logout()
    # Nothing was stored by the staff visit: the anonymous reader's page is rendered afresh.
    response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(0):
        client.get(url)


def test_pages_with_a_form_token_are_not_shared(rf, settings):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from labimpact.caching import public_page

    calls = []

    @public_page
    def view(request):
        calls.append(1)
        get_token(request)
        return HttpResponse("form")

    for _ in range(2):
        request = rf.get("/it/form-di-prova/")
        request.user = AnonymousUser()
        view(request)
    assert len(calls) == 2


def test_cache_can_be_switched_off(client, desk, settings, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = _url("services:sportello", slug=desk.slug)
    client.get(url)
    with django_assert_max_num_queries(50) as captured:
        client.get(url)
    assert len(captured) > 0

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
RTL = {"ar", "ur"}
PAGES = [
    "home",
    "about",
    "services:search",
    "services:guides",
    "content:materials",
    "content:news_list",
    "territories:ambiti",
    "sitesearch:search",
    "feedback:missing_desk",
    "accessibility",
    "privacy",
    "legal",
    "associations:list",
    "associations:propose",
    "associations:events",
    "newsletter:signup",
]


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_answers_in_every_language_with_lang_and_dir(client, language, page):
    with translation.override(language):
        url = reverse(page)
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    expected_dir = "rtl" if language in RTL else "ltr"
    assert f'<html lang="{language}" dir="{expected_dir}"' in html


@pytest.mark.parametrize(
    ("accept", "target"),
    [("ar,en;q=0.5", "/ar/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("uk-UA", "/uk/"), ("de-DE", "/it/"), ("", "/it/")],
)
def test_root_redirects_by_accept_language_then_italian(client, accept, target):
    response = client.get("/", headers={"accept-language": accept} if accept else {})
    assert response.status_code == 302
    assert response.headers["Location"] == target


def test_home_is_translated_not_just_relabelled(client):
    italian = client.get("/it/").content.decode()
    arabic = client.get("/ar/").content.decode()
    assert "Le quattro macro-azioni del piano" in italian
    assert "Le quattro macro-azioni del piano" not in arabic
    assert re.search(r"[\u0600-\u06FF]{4,}", arabic), "no Arabic text on the Arabic home page"


def test_language_switcher_keeps_the_reader_on_the_same_page(client):
    html = client.get("/it/il-piano/").content.decode()
    for code in LANGUAGE_CODES:
        assert f'href="/{code}/il-piano/"' in html


def test_hreflang_alternates_on_every_page(client):
    html = client.get("/fr/privacy/").content.decode()
    for code in LANGUAGE_CODES:
        assert f'hreflang="{code}" href="http://testserver/{code}/privacy/"' in html


def test_home_shows_macro_azioni_in_reader_language(client):
    html = client.get("/en/").content.decode()
    assert "Schools in multicultural settings" in html


def test_missing_content_translation_falls_back_to_italian_with_a_note(client):
    from plan.models import MacroAzione

    MacroAzione.objects.filter(number=1).update(title_fr="", description_fr="")
    html = client.get("/fr/").content.decode()
    assert 'lang="it" dir="ltr" data-fallback-lang="it">Scuole in contesti multiculturali<' in html
    with translation.override("fr"):
        note = translation.gettext("Alcuni testi di questa pagina non sono ancora tradotti nella tua lingua.")
    assert note != "Alcuni testi di questa pagina non sono ancora tradotti nella tua lingua."
    assert html.count(note) == 1


def test_about_lists_35_ambiti_by_province_and_marks_demo(client):
    html = client.get("/it/il-piano/").content.decode()
    assert html.count('class="ambito"') == 35
    assert "Sesto San Giovanni e Cologno Monzese" in html
    assert "Città metropolitana di Milano" in html
    assert html.count("demo-badge") == 3
    assert "Fondazione ISMU" in html and "ANCI Lombardia" in html


def test_about_page_query_count_is_constant(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/it/il-piano/")


def test_healthz_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_answers_503_when_the_cache_is_down(client, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error: ConnectionError"


def test_sitemap_lists_every_page_in_every_language_with_alternates(client):
    xml = client.get("/sitemap.xml").content.decode()
    for code in LANGUAGE_CODES:
        assert f"<loc>http://testserver/{code}/il-piano/</loc>" in xml
        assert f'hreflang="{code}"' in xml
    assert 'hreflang="x-default"' in xml


def test_every_sitemap_url_answers_200(client):
    xml = client.get("/sitemap.xml").content.decode()
    from services.models import Sportello

    urls = re.findall(r"<loc>http://testserver(.+?)</loc>", xml)
    desks = Sportello.objects.published().count()
    assert desks >= 3
    from services.models import Guide

    guides = Guide.objects.published().count()
    from content.models import News

    news = News.objects.published().count()
    assert news >= 5
    from associations.models import Association, Event

    associations = Association.objects.published().count() + Event.objects.published().count()
    assert associations >= 4
    assert len(urls) == (len(PAGES) + desks + guides + news + associations + 35) * len(LANGUAGE_CODES)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/ar/non-esiste/")
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl"' in response.content.decode()


def test_unknown_language_prefix_is_404_not_500(client):
    assert client.get("/xx/").status_code == 404


def test_pages_send_a_content_security_policy(client):
    policy = client.get("/it/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_public_pages_do_not_accept_posts(client):
    assert client.post("/it/").status_code == 405


def test_ambiti_page_finds_the_ambito_of_a_comune(client):
    response = client.get("/it/ambiti/", {"q": "cologno monzese"})
    assert response.status_code == 200
    assert response.context["found"].ambito.slug == "sesto-san-giovanni"
    assert response.content.decode().count('class="ambito"') == 35


def test_ambiti_page_answers_bad_input_kindly(client):
    assert client.get("/it/ambiti/", {"q": "x" * 400}).status_code == 200
    assert "Non troviamo" in client.get("/it/ambiti/", {"q": "Atlantide"}).content.decode()


def test_ambito_page_shows_network_comuni_desks_and_coordination(client):
    html = client.get("/it/ambiti/sesto-san-giovanni/").content.decode()
    assert "Comune di Sesto San Giovanni" in html and "Istituto Comprensivo Rovani" in html
    assert "Cologno Monzese" in html and "sportello-stranieri-sesto-demo" in html
    assert "€ 133.733" in html
    vimercate = client.get("/it/ambiti/vimercate-trezzo/").content.decode()
    assert "/it/ambiti/seregno/" in vimercate and "/it/ambiti/carate-brianza/" in vimercate


def test_demo_ambito_page_says_it_is_demo(client):
    html = client.get("/en/ambiti/mantova-da-confermare/").content.decode()
    assert "demo-badge" in html and "demo-note" in html


def test_ambito_page_query_count_is_constant(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get("/it/ambiti/lodi/")
    with django_assert_max_num_queries(8):
        client.get("/it/ambiti/")

"""Issue 14, migrant-first journey: topic tiles, results first, the desk page's essentials,
desk ↔ guide links, and the query counts that keep an uncached page cheap."""

import re

import pytest
from django.utils import translation

from services.models import Guide, Language, ServiceCategory, Sportello
from services.topics import TOPIC_KEYS
from territories.models import Comune
from tests.factories import GuideFactory, SportelloFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncached(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def desk():
    desk = SportelloFactory(
        name_it="Sportello del viaggio",
        slug="sportello-del-viaggio",
        phone="000 0000000",
        latitude="45.53",
        longitude="9.23",
        what_to_bring_it="Passaporto\nPermesso di soggiorno",
        is_published=True,
    )
    desk.categories.set(ServiceCategory.objects.filter(key="permesso-soggiorno"))
    desk.languages.set(Language.objects.filter(code__in=["ar", "ur"]))
    return desk


@pytest.fixture
def guide():
    guide = GuideFactory(title_it="Rinnovare il permesso (prova)", slug="rinnovare-prova", is_published=True)
    guide.categories.set(ServiceCategory.objects.filter(key="permesso-soggiorno"))
    return guide


def test_home_offers_a_tile_per_topic_that_submits_the_comune_with_its_category(client):
    html = client.get("/it/").content.decode()
    form = re.search(r'<form[^>]*class="topic-form".*?</form>', html, re.S).group(0)
    assert 'action="/it/sportelli/#results"' in form
    assert 'name="q"' in form
    tiles = re.findall(r'<button type="submit"\s+name="category"\s+value="([\w-]+)"', form)
    assert tiles == [key for key in TOPIC_KEYS if ServiceCategory.objects.filter(key=key).exists()]
    assert len(tiles) == 7


def test_each_tile_shows_the_guide_of_its_topic(client, guide):
    html = client.get("/it/").content.decode()
    tile = re.search(r'value="permesso-soggiorno".*?</li>', html, re.S).group(0)
    assert guide.get_absolute_url() in tile


def test_search_lands_on_the_results_with_the_list_before_the_map(client, desk):
    html = client.get("/it/sportelli/", {"q": "Sesto San Giovanni", "category": "permesso-soggiorno"}).content.decode()
    assert 'id="results"' in html
    assert html.index("sportello-del-viaggio") < html.index('id="desk-map"')
    # Leaflet is not on the page until the reader opens the map.
    assert "leaflet.js" not in re.sub(r'data-leaflet-js="[^"]*"', "", html)
    assert 'class="map-on-demand"' in html


def test_a_desk_found_by_distance_shows_it_in_the_readers_number_format(client, desk, monkeypatch):
    from services import selectors

    real = selectors.search

    def with_distance(form):
        result = real(form)
        desks = list(result.desks)
        for found in desks:
            found.distance_km = 4.2
        result.desks = desks
        return result

    monkeypatch.setattr(selectors, "search", with_distance)
    assert "a 4,2 km" in client.get("/it/sportelli/", {"q": "Sesto San Giovanni"}).content.decode()
    assert "4.2 km" in client.get("/en/sportelli/", {"q": "Sesto San Giovanni"}).content.decode()


def test_a_desk_without_distance_shows_none(client, desk):
    # Without a place (the whole list) there is nothing to measure from.
    assert "desk-distance" not in client.get("/it/sportelli/").content.decode()


def test_desk_page_starts_with_status_languages_and_call_and_directions(client, desk, guide):
    html = client.get(desk.get_absolute_url()).content.decode()
    top = html[html.index("</h1>") : html.index('class="desk-sections"')]
    assert "desk-status" in top
    assert "Lingue parlate" in top
    assert 'href="tel:0000000000"' in top
    assert re.search(r"destination=45\.530*,9\.230*\"", top)
    # Hours come before the services, and the documents before the guide.
    assert html.index('id="s-hours"') < html.index('id="s-bring"') < html.index('id="s-guides"')
    assert html.index('id="s-guides"') < html.index('id="s-services"')


def test_desk_without_phone_offers_no_call_button_and_directions_by_address(client, desk):
    Sportello.objects.filter(pk=desk.pk).update(phone="", latitude=None, longitude=None)
    html = client.get(desk.get_absolute_url()).content.decode()
    assert "tel:" not in html
    assert "destination=Via%20Roma%201%2C%20Sesto%20San%20Giovanni" in html


def test_desk_links_its_guides_and_poster_and_the_guide_links_back_to_desks_near_the_comune(client, desk, guide):
    html = client.get(desk.get_absolute_url()).content.decode()
    sesto = Comune.objects.get(name="Sesto San Giovanni")
    link = f"{guide.get_absolute_url()}?comune={sesto.istat_code}"
    assert link in html
    assert f"/it/sportelli/{desk.slug}/manifesto/" in html or "manifesto" in html
    guide_html = client.get(link).content.decode()
    assert f"/it/sportelli/?comune={sesto.istat_code}&amp;category=permesso-soggiorno#results" in guide_html
    assert "sportelli per Sesto San Giovanni" in guide_html


def test_guide_without_comune_links_the_search_for_its_service(client, guide):
    html = client.get(guide.get_absolute_url()).content.decode()
    assert "/it/sportelli/?category=permesso-soggiorno" in html


@pytest.mark.parametrize("comune", ["abc", "9" * 7, "000000", "<script>"])
def test_guide_ignores_a_bad_or_unknown_comune(client, guide, comune):
    response = client.get(guide.get_absolute_url(), {"comune": comune})
    assert response.status_code == 200
    assert "?category=permesso-soggiorno" in response.content.decode()
    assert "<script>" not in response.content.decode().split("</h1>")[1].split("last-updated")[0]


def test_language_menu_links_the_same_page_in_every_language(client, desk):
    html = client.get(desk.get_absolute_url()).content.decode()
    for code in ("en", "ar", "zh-hans"):
        assert f'hreflang="{code}" href="http://testserver/{code}/sportelli/{desk.slug}/"' in html


def test_language_menu_on_an_unknown_path_offers_each_home_page(client):
    html = client.get("//evil.com/it/").content.decode()
    assert 'href="/en/"' in html
    assert "evil.com" not in html.split("</head>")[0]


# Pinned query counts with the page cache off: what a reader pays on a miss.


def test_search_results_page_query_count_is_pinned(client, uncached, desk, django_assert_num_queries):
    for _ in range(4):
        SportelloFactory(is_published=True).categories.set(ServiceCategory.objects.filter(key="lavoro"))
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/it/sportelli/", {"q": "Sesto San Giovanni"})
    assert len(response.context["desks"]) >= 5


def test_desk_page_query_count_is_pinned(client, uncached, desk, guide, django_assert_num_queries):
    with django_assert_num_queries(DESK_QUERIES):
        client.get(desk.get_absolute_url())


def test_home_query_count_is_pinned(client, uncached, guide, django_assert_num_queries):
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/it/")


def test_a_repeated_search_reuses_the_cards_and_choices(client, uncached, desk, django_assert_num_queries):
    client.get("/it/sportelli/", {"q": "Sesto San Giovanni"})
    # None: the comune and the desks come from services.directory, cards and form choices from fragments.
    with django_assert_num_queries(SEARCH_QUERIES_WARM):
        response = client.get("/it/sportelli/", {"q": "Sesto San Giovanni"})
    assert "Sportello del viaggio" in response.content.decode()


def test_a_changed_desk_shows_at_once_in_its_card(client, uncached, desk):
    client.get("/it/sportelli/", {"q": "Sesto San Giovanni"})
    desk.name_it = "Sportello rinominato"
    desk.save()
    desk.languages.set(Language.objects.filter(code="sq"))
    html = client.get("/it/sportelli/", {"q": "Sesto San Giovanni"}).content.decode()
    card = next(part for part in html.split('<li class="desk-card"') if "sportello-del-viaggio" in part)
    assert "Sportello rinominato" in card
    assert "Albanese" in card and "Arabo" not in card


def test_cards_are_kept_per_language(client, uncached, desk):
    client.get("/it/sportelli/", {"q": "Sesto San Giovanni"})
    html = client.get("/en/sportelli/", {"q": "Sesto San Giovanni"}).content.decode()
    assert "Residence permit" in html and "Permesso di soggiorno</" not in html


# After a change to public content: the desk directory (desks, hours, closures, comuni served,
# services, languages; services/directory.py), the comuni, the cards not yet kept (desks,
# services, languages) and the form's choices (services, languages). Then none.
SEARCH_QUERIES = 12
SEARCH_QUERIES_WARM = 0
# The desk, its slots, closures, categories, languages, and its guides with their steps
# (read once for both the documents to bring and the links to the guides).
DESK_QUERIES = 7
HOME_QUERIES = 6


def test_guide_names_are_read_in_the_readers_language(client, guide):
    # The tile shows the topic's first published guide: only this one (the reference guides too).
    Guide.objects.exclude(pk=guide.pk).update(is_published=False)
    Guide.objects.filter(pk=guide.pk).update(title_ar="تجديد تصريح الإقامة (تجربة)")
    with translation.override("ar"):
        html = client.get("/ar/").content.decode()
    assert "تجديد تصريح الإقامة (تجربة)" in html

"""The reader's second language: page language → chosen language (cookie) → Italian, one notice per page."""

import re
import threading

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from labimpact import caching, fallback
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db


def _desk_url(desk, lang):
    with translation.override(lang):
        return reverse("services:sportello", kwargs={"slug": desk.slug})


@pytest.fixture
def desk():
    # Urdu has only the name; English has the description; the rest is Italian only.
    return SportelloFactory(
        slug="sportello-riserva",
        name_it="Sportello riserva",
        name_ur="ریزرو ڈیسک",
        description_it="Descrizione in italiano.",
        description_en="Description in English.",
        how_to_access_it="Telefona prima di venire.",
        accessibility_notes_it="Sede senza gradini.",
        is_published=True,
    )


def _notices(html):
    return html.count('class="fallback-notice')


def test_urdu_reader_with_english_chosen_sees_english_then_italian(client, desk):
    client.cookies[fallback.COOKIE_NAME] = "en"
    html = client.get(_desk_url(desk, "ur")).content.decode()
    english = '<div class="lead text-fallback" lang="en" dir="ltr" data-fallback-lang="en"><p>Description in English.'
    assert english in html
    # No English either: Italian, marked with its own language.
    assert 'lang="it" dir="ltr" data-fallback-lang="it"><p>Telefona prima di venire.' in html
    assert "Descrizione in italiano." not in html
    # The Urdu name is shown as the page's own text, unmarked.
    assert re.search(r"<h1\s*>\s*ریزرو ڈیسک", html)


def test_urdu_reader_without_a_choice_sees_italian(client, desk):
    html = client.get(_desk_url(desk, "ur")).content.decode()
    assert 'data-fallback-lang="it"><p>Descrizione in italiano.' in html
    assert "Description in English." not in html


def test_page_shows_one_notice_naming_the_languages_shown_instead(client, desk):
    client.cookies[fallback.COOKIE_NAME] = "en"
    response = client.get(_desk_url(desk, "ur"))
    html = response.content.decode()
    assert int(response["Content-Length"]) == len(response.content)
    assert html.count('data-fallback-lang="') >= 3
    assert _notices(html) == 1
    notice = re.search(r'<div class="fallback-notice.*?</form>', html, re.S).group(0)
    assert '<span lang="en">English</span>' in notice
    assert '<span lang="it">italiano</span>' in notice
    # The chooser offers every language but the page's own; the reader's choice is selected.
    assert 'value="ur"' not in notice
    assert re.search(r'value="en"\s+lang="en"\s+selected', notice)
    # The notice sits at the top of <main>, before the page's heading.
    assert html.index('class="fallback-notice') < html.index("<h1")
    assert fallback.PLACEHOLDER not in html


def test_page_fully_in_its_language_has_no_notice(client, desk):
    html = client.get(_desk_url(desk, "it")).content.decode()
    assert _notices(html) == 0
    assert "data-fallback-lang" not in html
    assert fallback.PLACEHOLDER not in html


def test_right_to_left_fallback_keeps_its_own_direction(client, desk):
    desk.how_to_access_ar = "اتصل قبل المجيء."
    desk.save()
    client.cookies[fallback.COOKIE_NAME] = "ar"
    html = client.get(_desk_url(desk, "en")).content.decode()
    assert 'lang="ar" dir="rtl" data-fallback-lang="ar"><p>اتصل قبل المجيء.' in html


def test_chooser_sets_a_year_long_lax_cookie_and_goes_back(client, desk):
    page = _desk_url(desk, "ur")
    response = client.get(reverse("fallback_language"), {"lingua": "en", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    cookie = response.cookies[fallback.COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"]
    # The next page follows the choice.
    assert "Description in English." in client.get(page).content.decode()


def test_chooser_back_to_italian_forgets_the_choice(client, desk):
    client.cookies[fallback.COOKIE_NAME] = "en"
    response = client.get(reverse("fallback_language"), {"lingua": "it", "next": "/ur/"})
    assert response.status_code == 302
    assert response.cookies[fallback.COOKIE_NAME].value == ""
    assert response.cookies[fallback.COOKIE_NAME]["max-age"] == 0


@pytest.mark.parametrize("value", ["xx", "klingon", "<script>", "en;drop"])
def test_chooser_refuses_an_unknown_language_and_sets_nothing(client, value):
    response = client.get(reverse("fallback_language"), {"lingua": value, "next": "/it/"})
    assert response.status_code == 400
    assert fallback.COOKIE_NAME not in response.cookies
    assert "Lingua sconosciuta" in response.content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", "/\\evil.example"]
)
def test_chooser_never_redirects_off_site(client, target):
    response = client.get(reverse("fallback_language"), {"lingua": "en", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_chooser_refuses_post(client):
    assert client.post(reverse("fallback_language"), {"lingua": "en"}).status_code == 405


def test_junk_cookie_is_ignored(client, desk):
    client.cookies[fallback.COOKIE_NAME] = "zz<>"
    response = client.get(_desk_url(desk, "ur"))
    assert response.status_code == 200
    assert 'data-fallback-lang="it"><p>Descrizione in italiano.' in response.content.decode()


def test_cache_keeps_one_page_per_second_language(client, desk, django_assert_num_queries):
    url = _desk_url(desk, "ur")
    client.cookies[fallback.COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    client.cookies[fallback.COOKIE_NAME] = "it"  # not a second language: same as none
    italian = client.get(url).content.decode()
    assert "Description in English." in english
    assert "Description in English." not in italian
    # Served from the cache, the English variant still carries exactly one notice.
    client.cookies[fallback.COOKIE_NAME] = "en"
    with django_assert_num_queries(0):
        again = client.get(url).content.decode()
    assert again == english
    assert _notices(again) == 1


def test_cache_key_carries_the_validated_cookie():
    factory = RequestFactory()
    with translation.override("ur"):
        plain = caching._key(factory.get("/ur/"))
        junk = factory.get("/ur/")
        junk.COOKIES[fallback.COOKIE_NAME] = "not-a-language"
        english = factory.get("/ur/")
        english.COOKIES[fallback.COOKIE_NAME] = "en"
        assert caching._key(junk) == plain
        assert caching._key(english) != plain


def test_choice_applies_to_plain_translated_attributes_only_inside_the_request(desk):
    with translation.override("ur"):
        assert desk.description == "Descrizione in italiano."
        with fallback.reader_fallback("en"):
            assert desk.description == "Description in English."
            assert desk.name == "ریزرو ڈیسک"
        assert desk.description == "Descrizione in italiano."


def test_choice_is_per_thread(desk):
    seen = {}

    def other_reader():
        with translation.override("ur"):
            seen["other"] = desk.description

    with translation.override("ur"), fallback.reader_fallback("en"):
        thread = threading.Thread(target=other_reader)
        thread.start()
        thread.join()
        seen["this"] = desk.description
    assert seen == {"other": "Descrizione in italiano.", "this": "Description in English."}


def test_request_leaves_no_choice_behind(client, desk):
    client.cookies[fallback.COOKIE_NAME] = "en"
    client.get(_desk_url(desk, "ur"))
    assert fallback.current_choice() is None

"""Issue 4, first slice: find a desk by comune, category, language and "open now"; the desk page."""

import datetime as dt
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labimpact import caching
from services import opening
from services.models import Closure, OpeningMode, OpeningSlot, Sportello
from territories.models import Ambito, Comune
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db

ROME = opening.ROME
SEARCH = "/it/sportelli/"


def _results(response):
    return [desk.slug for desk, _status in response.context["desks"]]


@pytest.mark.parametrize("typed", ["Sesto San Giovanni", "Sesto san giovanni", "sesto  SAN giovanni", "20099"])
def test_comune_is_found_whatever_the_case_spacing_or_by_postcode(client, typed):
    response = client.get(SEARCH, {"q": typed})
    assert response.context["result"].comune.name == "Sesto San Giovanni"
    assert "sportello-stranieri-sesto-demo" in _results(response)


def test_accents_and_apostrophes_are_ignored(client):
    assert client.get(SEARCH, {"q": "cornate dadda"}).context["result"].comune.name == "Cornate d'Adda"
    assert client.get(SEARCH, {"q": "sant angelo lodigiano"}).context["result"].comune.name == "Sant'Angelo Lodigiano"
    assert client.get(SEARCH, {"q": "cantu"}).context["result"].comune.name == "Cantù"


def test_a_comune_finds_its_ambitos_desks_and_desks_serving_it_explicitly(client):
    cologno = Comune.objects.get(name="Cologno Monzese")
    assert set(_results(client.get(SEARCH, {"q": "Cologno Monzese"}))) == {
        "sportello-stranieri-sesto-demo",
        "sportello-scuola-famiglie-cologno-demo",
    }
    varese = Comune.objects.get(name="Varese")
    # No desk serves Varese: the nearest ones are listed instead (tests/test_nearest.py).
    assert client.get(SEARCH, {"q": "Varese"}).context["result"].nearest
    desk = Sportello.objects.get(slug="sportello-stranieri-sesto-demo")
    desk.served_comuni.add(varese)
    assert _results(client.get(SEARCH, {"q": "Varese"})) == ["sportello-stranieri-sesto-demo"]
    assert cologno.ambito.slug == "sesto-san-giovanni"


def test_ambiguous_name_asks_which_comune(client):
    response = client.get(SEARCH, {"q": "sesto"})
    names = [c.name for c in response.context["result"].comune_choices]
    assert {"Sesto Calende", "Sesto San Giovanni", "Sesto ed Uniti"} <= set(names)
    istat = Comune.objects.get(name="Sesto San Giovanni").istat_code
    assert f"?comune={istat}" in response.content.decode()
    pinned = client.get(SEARCH, {"comune": istat})
    assert pinned.context["result"].comune.name == "Sesto San Giovanni"


def test_category_and_language_narrow_the_results(client):
    response = client.get(SEARCH, {"q": "Cologno Monzese", "category": "permesso-soggiorno", "language": "ar"})
    assert _results(response) == ["sportello-stranieri-sesto-demo"]
    response = client.get(SEARCH, {"q": "Cologno Monzese", "language": "zh"})
    assert _results(response) == ["sportello-scuola-famiglie-cologno-demo"]


def test_unpublished_desks_never_show(client):
    SportelloFactory(name_it="Bozza", is_published=False)
    assert "Bozza" not in client.get(SEARCH, {"q": "Sesto San Giovanni"}).content.decode()


def test_unknown_place_gets_guidance_not_an_error(client):
    response = client.get(SEARCH, {"q": "Atlantide"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Non troviamo «Atlantide»" in html
    assert reverse("about") + "#ambiti" in html


def test_no_results_point_to_the_comunes_ambito(client):
    # Luino's ambito has no desk yet: the nearest desks come, and its contacts stay on the page.
    response = client.get(SEARCH, {"q": "Luino"})
    assert response.status_code == 200
    assert response.context["result"].nearest
    assert Ambito.objects.get(slug="luino").get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "permesso-di-volo"}, "Questo servizio non esiste"),
        ({"language": "klingon"}, "Nessuno sportello parla questa lingua"),
        ({"q": "x" * 500}, "al massimo 100 caratteri"),
        ({"comune": "'; DROP TABLE"}, ""),
        ({"page": "9999"}, ""),
        ({"page": "-1"}, ""),
    ],
)
def test_bad_input_answers_200_with_a_friendly_message(client, params, message):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert message in response.content.decode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "category", "language", "open_now", "comune", "page"]),
        st.text(max_size=300),
        max_size=6,
    ),
    language=st.sampled_from(["it", "ar", "zh-hans", "xx"]),
)
def test_search_never_fails_whatever_the_query(client, params, language):
    response = client.get(f"/{language}/sportelli/", params)
    # Control characters are refused before any view (labimpact/middleware.py).
    if any(re.search(r"[\x00-\x1f\x7f]", k + v) for k, v in params.items()):
        assert response.status_code == 400
    else:
        assert response.status_code in (200, 404)


def test_search_query_count_is_constant(client, django_assert_max_num_queries):
    # A first search after a change: the desk directory (6), the comune, the cards (3) and
    # the form's choices (2); tests/test_journey.py pins the exact figures.
    with django_assert_max_num_queries(12):
        small = client.get(SEARCH, {"q": "Sesto San Giovanni"})
    assert len(_results(small)) >= 1
    SportelloFactory.create_batch(40, is_published=True)
    with django_assert_max_num_queries(12):
        big = client.get(SEARCH, {"q": "Sesto San Giovanni"})
    assert len(_results(big)) == 20  # one page


def _desk_with_hours(**kwargs):
    desk = SportelloFactory(is_published=True, **kwargs)
    OpeningSlot.objects.create(sportello=desk, weekday=0, opens=dt.time(9), closes=dt.time(12, 30))
    OpeningSlot.objects.create(sportello=desk, weekday=2, opens=dt.time(14), closes=dt.time(17))
    return Sportello.objects.for_listing().get(pk=desk.pk)


MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ROME)
MONDAY_8 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=ROME)
MONDAY_13 = dt.datetime(2026, 11, 23, 13, 0, tzinfo=ROME)


def test_opening_status_in_rome_time():
    desk = _desk_with_hours()
    with translation.override("it"):
        assert opening.status(desk, MONDAY_10).label == "Aperto ora, fino alle 12:30"
        assert opening.status(desk, MONDAY_8).label == "Chiuso ora, apre alle 09:00"
        assert opening.status(desk, MONDAY_13).label == "Chiuso ora, apre mercoledì alle 14:00"
        # 09:30 UTC is 10:30 in Rome in November: open.
        assert opening.status(desk, dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)).is_open


def test_closures_and_modes_change_the_status():
    desk = _desk_with_hours()
    Closure.objects.create(sportello=desk, start_date=dt.date(2026, 11, 23), end_date=dt.date(2026, 11, 30))
    desk = Sportello.objects.for_listing().get(pk=desk.pk)
    status = opening.status(desk, MONDAY_10)
    assert not status.is_open and status.next_open.date() == dt.date(2026, 12, 2)
    desk.opening_mode = OpeningMode.TEMPORARILY_CLOSED
    desk.reopening_date = dt.date(2027, 1, 10)
    with translation.override("it"):
        assert opening.status(desk, MONDAY_10).label == "Temporaneamente chiuso: riapre il 10/01/2027"
    desk.opening_mode = OpeningMode.APPOINTMENT_ONLY
    assert opening.status(desk, MONDAY_10).state == "appointment_only"


def test_open_now_filter_follows_the_desks_hours(client, monkeypatch):
    desk = _desk_with_hours(name_it="Aperto il lunedì")
    monkeypatch.setattr("services.selectors.timezone.now", lambda: MONDAY_10)
    assert desk.slug in _results(client.get(SEARCH, {"open_now": "on"}))
    monkeypatch.setattr("services.selectors.timezone.now", lambda: MONDAY_13)
    # Three hours later the cached page (kept PUBLIC_PAGE_CACHE_SECONDS) would have expired.
    caching.invalidate()
    assert desk.slug not in _results(client.get(SEARCH, {"open_now": "on"}))


def test_desk_model_refuses_inconsistent_data():
    desk = SportelloFactory.build(opening_mode=OpeningMode.TEMPORARILY_CLOSED)
    with pytest.raises(ValidationError) as info:
        desk.full_clean(exclude=["categories"])
    assert "reopening_date" in info.value.message_dict
    desk = SportelloFactory.build(latitude=41.9, longitude=12.5)  # Rome
    with pytest.raises(ValidationError) as info:
        desk.full_clean()
    assert "latitude" in info.value.message_dict and "longitude" in info.value.message_dict
    slot = OpeningSlot(sportello=desk, weekday=0, opens=dt.time(12), closes=dt.time(9))
    with pytest.raises(ValidationError):
        slot.clean()


@pytest.mark.parametrize("language", ["it", "en", "ar", "zh-hans", "ur"])
def test_desk_page_answers_in_every_language_with_json_ld(client, language):
    desk = Sportello.objects.get(slug="sportello-stranieri-sesto-demo")
    with translation.override(language):
        url = desk.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "GovernmentService"
    assert data["availableChannel"]["serviceLocation"]["address"]["addressLocality"] == "Sesto San Giovanni"


def test_arabic_reader_gets_the_desk_in_arabic_with_a_checklist(client):
    html = client.get("/ar/sportelli/sportello-stranieri-sesto-demo/").content.decode()
    assert "مكتب المعلومات للأجانب" in html
    # The desk's own extra; the common documents come from the guide (tests/test_desk_documents.py).
    assert "<li>رقم الملف، إذا كنت قد قدّمت الطلب من قبل</li>" in html


def test_untranslated_desk_text_falls_back_to_italian_marked_as_such(client):
    desk = SportelloFactory(is_published=True, what_to_bring_it="Passaporto valido")
    html = client.get(f"/fr/sportelli/{desk.slug}/").content.decode()
    assert '<ul class="checklist" lang="it" dir="ltr" data-fallback-lang="it">' in html
    assert "<li>Passaporto valido</li>" in html


def test_unpublished_or_unknown_desk_is_404(client):
    draft = SportelloFactory(is_published=False)
    assert client.get(f"/it/sportelli/{draft.slug}/").status_code == 404
    assert client.get("/it/sportelli/non-esiste/").status_code == 404


def test_json_ld_cannot_close_the_script_tag(client):
    desk = Sportello.objects.get(slug="sportello-stranieri-sesto-demo")
    desk.description_it = "</script><script>alert(1)</script>"
    desk.save()
    html = client.get("/it/sportelli/sportello-stranieri-sesto-demo/").content.decode()
    assert "<script>alert(1)</script>" not in html


def test_operator_edits_hours_only_of_own_desks(operatore_sesto, login):
    from django.core.exceptions import PermissionDenied

    from services.services import opening_slot_save

    own = Sportello.objects.get(slug="sportello-stranieri-sesto-demo")
    other = Sportello.objects.get(slug="sportello-stranieri-cremona-demo")
    opening_slot_save(
        slot=OpeningSlot(sportello=own, weekday=5, opens=dt.time(9), closes=dt.time(11)), by=operatore_sesto
    )
    with pytest.raises((PermissionDenied, ValidationError)):
        opening_slot_save(
            slot=OpeningSlot(sportello=other, weekday=5, opens=dt.time(9), closes=dt.time(11)), by=operatore_sesto
        )
    assert not other.slots.filter(weekday=5).exists()
    page = login("operatore_sesto").get(reverse("admin:services_sportello_change", args=[own.pk]))
    assert page.status_code == 200
    assert "slots-TOTAL_FORMS" in page.content.decode()


@pytest.mark.parametrize("language", ["it", "en", "ar", "bn"])
def test_guides_answer_in_every_language(client, language):
    from services.models import Guide

    guide = Guide.objects.get(slug="rinnovo-permesso-di-soggiorno")
    with translation.override(language):
        assert client.get(reverse("services:guides")).status_code == 200
        response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    # The reference guides are written in every language: no Italian fallback, no note.
    assert "fallback-note" not in html and 'class="fallback-notice' not in html
    assert '<ul class="checklist" lang="it"' not in html
    with translation.override(language):
        first_document = guide.steps.get(order=1).checklist.splitlines()[0]
    assert f"<li>{escape(first_document)}</li>" in html


def test_guide_page_query_count_is_constant(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/it/guide/rinnovo-permesso-di-soggiorno/")


def test_unpublished_guide_is_404(client):
    from services.models import Guide

    Guide.objects.filter(slug="rinnovo-permesso-di-soggiorno").update(is_published=False)
    assert client.get("/it/guide/rinnovo-permesso-di-soggiorno/").status_code == 404


def test_operators_write_their_ambitos_guides_not_regional_ones(operatore_sesto, coordinatore):
    from services.models import Guide
    from services.services import guide_save

    with pytest.raises(ValidationError) as info:
        guide_save(guide=Guide(slug="regionale", title_it="Regionale"), by=operatore_sesto)
    assert "ambito" in info.value.message_dict
    own = guide_save(
        guide=Guide(slug="di-sesto", title_it="Di Sesto", ambito=Ambito.objects.get(slug="sesto-san-giovanni")),
        by=operatore_sesto,
    )
    assert own.pk
    assert guide_save(guide=Guide(slug="regionale", title_it="Regionale"), by=coordinatore).pk


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("cornate dadda", "Cornate d'Adda"), ("SESTO SAN", "Sesto San Giovanni"), ("20872", "Cornate d'Adda")],
)
def test_comune_suggestions_ignore_accents_apostrophes_and_take_postcodes(client, typed, expected):
    response = client.get("/comuni/suggerimenti/", {"q": typed})
    assert response.status_code == 200
    assert expected in response.json()["comuni"]
    assert len(response.json()["comuni"]) <= 10


@pytest.mark.parametrize("typed", ["", "x", "x" * 5000, "'; DROP TABLE territories_comune; --"])
def test_comune_suggestions_answer_bad_input_with_an_empty_list(client, typed, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/comuni/suggerimenti/", {"q": typed})
    assert response.status_code == 200
    assert response.json() == {"comuni": []}


def test_search_box_offers_suggestions_only_with_javascript(client):
    html = client.get(SEARCH).content.decode()
    assert 'data-suggest="/comuni/suggerimenti/"' in html
    assert "<datalist" not in html  # added by comune-suggest.js

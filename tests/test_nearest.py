"""Issue 14: a desk for every comune — coordinates for all 1,502 comuni, nearest desks, "near me"."""

import csv
import logging
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from labimpact import caching
from services.models import LAT_RANGE, LON_RANGE, Sportello
from territories.geo import coarse, haversine_km
from territories.models import Comune
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db

SEARCH = "/it/sportelli/"
DATA = settings.BASE_DIR / "territories" / "data"


def _desks(response):
    return [desk for desk, _status in response.context["desks"]]


def _point(desk):
    if desk.latitude is not None:
        return float(desk.latitude), float(desk.longitude)
    return float(desk.comune.latitude), float(desk.comune.longitude)


def test_every_comune_has_coordinates_inside_lombardy():
    assert Comune.objects.count() == 1502
    assert not Comune.objects.filter(latitude__isnull=True).exists()
    assert not Comune.objects.filter(longitude__isnull=True).exists()
    outside = Comune.objects.exclude(
        latitude__range=LAT_RANGE,
        longitude__range=LON_RANGE,
    )
    assert list(outside.values_list("name", flat=True)) == []


def test_coordinates_file_covers_each_comune_of_the_istat_list_once():
    with (DATA / "comuni_lombardia.csv").open(encoding="utf-8") as fh:
        istat = [row["istat_code"] for row in csv.DictReader(fh)]
    with (DATA / "comuni_lombardia_coordinates.csv").open(encoding="utf-8") as fh:
        points = [row["istat_code"] for row in csv.DictReader(fh)]
    assert sorted(points) == sorted(istat)
    assert len(set(points)) == len(points) == 1502


def test_known_seats_are_where_they_should_be():
    # Milano's Duomo is at 45.464, 9.190; Sesto San Giovanni lies ~9 km north-east of it.
    milano = Comune.objects.get(name="Milano")
    assert haversine_km(float(milano.latitude), float(milano.longitude), 45.4641, 9.1919) < 2
    sesto = Comune.objects.get(name="Sesto San Giovanni")
    assert 7 < haversine_km(float(milano.latitude), float(milano.longitude), *_point_of(sesto)) < 12


def _point_of(comune):
    return float(comune.latitude), float(comune.longitude)


def test_comune_outside_every_ambito_gets_the_nearest_desks_with_distances(client):
    cornate = Comune.objects.get(name="Cornate d'Adda")
    assert cornate.ambito is None
    assert not Sportello.objects.published().serving(cornate).exists()
    response = client.get(SEARCH, {"q": "Cornate d'Adda"})
    result = response.context["result"]
    assert result.comune == cornate and result.nearest and response.context["nearest"]
    desks = _desks(response)
    assert 1 <= len(desks) <= 5
    distances = [desk.distance_km for desk in desks]
    assert distances == sorted(distances)
    for desk in desks:
        assert desk.distance_km == pytest.approx(haversine_km(*_point_of(cornate), *_point(desk)), abs=0.01)
    # Trezzo sull'Adda's desk is the closest (about 4 km), and the page says why it is listed.
    assert "Trezzo" in desks[0].name
    html = response.content.decode()
    assert "Nessuno sportello segue ancora Cornate d&#x27;Adda" in html
    assert f"a {desks[0].distance_km:.1f} km".replace(".", ",") in html


def test_comune_in_an_ambito_keeps_its_desks_and_order_with_distance(client):
    response = client.get(SEARCH, {"q": "Sesto San Giovanni"})
    result = response.context["result"]
    assert not result.nearest
    desks = _desks(response)
    assert [(d.comune.name, d.name) for d in desks] == sorted((d.comune.name, d.name) for d in desks)
    sesto = Comune.objects.get(name="Sesto San Giovanni")
    for desk in desks:
        assert desk.distance_km == pytest.approx(haversine_km(*_point_of(sesto), *_point(desk)), abs=0.01)


def test_desk_without_its_own_point_is_measured_from_its_comune(client):
    desk = SportelloFactory(
        name_it="Sportello senza coordinate",
        is_published=True,
        comune=Comune.objects.get(name="Bernareggio"),
        latitude=None,
        longitude=None,
    )
    bernareggio = desk.comune
    nearest = list(Sportello.objects.published().nearest(*_point_of(bernareggio))[:1])
    assert nearest == [desk]
    assert nearest[0].distance_km == pytest.approx(0, abs=0.01)


def test_near_me_lists_the_nearest_desks_from_the_readers_position(client):
    response = client.get(SEARCH, {"lat": "45.54", "lon": "9.24"})  # Sesto San Giovanni
    result = response.context["result"]
    assert result.near_me
    desks = _desks(response)
    assert [d.distance_km for d in desks] == sorted(d.distance_km for d in desks)
    assert "Sesto San Giovanni" in desks[0].name
    assert "più vicini a te" in response.content.decode()


def test_near_me_keeps_the_other_filters(client):
    response = client.get(SEARCH, {"lat": "45.54", "lon": "9.24", "language": "zh"})
    desks = _desks(response)
    assert desks
    assert all(any(lang.code == "zh" for lang in d.languages.all()) for d in desks)


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "41.90", "lon": "12.50"},  # Rome
        {"lat": "45.5"},
        {"lon": "9.2"},
        {"lat": "abc", "lon": "9.2"},
        {"lat": "nan", "lon": "nan"},
        {"lat": "inf", "lon": "-inf"},
        {"lat": "1e308", "lon": "1e308"},
        {"lat": "45,5", "lon": "9,2"},
        {"lat": "9" * 40, "lon": "9.2"},
        {"lat": "", "lon": "9.2"},
    ],
)
def test_bad_coordinates_get_a_translated_message_never_an_error(client, params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert "la tua posizione" in response.content.decode()
    assert not response.context["result"].near_me
    english = client.get("/en/sportelli/", params)
    assert english.status_code == 200
    assert "your location" in english.content.decode()


def test_coordinates_are_rounded_before_the_cache_and_the_page_see_them(client, monkeypatch):
    seen = []
    real_key = caching._key

    def spy(request):
        seen.append(request.META["QUERY_STRING"])
        return real_key(request)

    monkeypatch.setattr(caching, "_key", spy)
    first = client.get(SEARCH, {"lat": "45.5371234", "lon": "9.2387654"})
    assert seen == ["lat=45.54&lon=9.24"]
    html = first.content.decode()
    assert "45.5371234" not in html and "9.2387654" not in html
    # Another position in the same ~1 km square is the same page, served from the cache.
    second = client.get(SEARCH, {"lat": "45.5412", "lon": "9.2361"})
    assert seen[-1] == "lat=45.54&lon=9.24"
    assert second.context is None  # no template rendered: a cache hit
    assert second.content == first.content


def test_the_readers_position_reaches_no_log(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.get(SEARCH, {"lat": "45.5371234", "lon": "9.2387654"})
    client.get(SEARCH, {"lat": "48.1234567", "lon": "9.2387654"})  # refused: outside Lombardy
    assert "5371234" not in caplog.text and "1234567" not in caplog.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("45.5371234", "45.54"), ("9.235", "9.24"), ("45", "45.00"), ("-0.004", "0.00"), ("abc", None), ("nan", None)],
)
def test_coarse_rounds_to_two_decimals(value, expected):
    assert coarse(value) == expected


def _queries(client, params):
    caching.invalidate()
    with CaptureQueriesContext(connection) as ctx:
        client.get(SEARCH, params)
    return len(ctx)


def test_nearest_desks_cost_no_query_more_than_a_comunes_own_desks(client):
    _queries(client, {"q": "Milano"})  # the process reads the comune names once (territories.matching)
    own = _queries(client, {"q": "Sesto San Giovanni"})
    assert own <= 12  # after a change: the desk directory, the comune, cards and choices
    assert _queries(client, {"q": "Cornate d'Adda"}) == own
    assert _queries(client, {"q": "Seto San Giovanni"}) == own  # a typo costs no query either
    near_me = _queries(client, {"lat": "45.60", "lon": "9.41"})
    assert near_me < own  # no comune to look up
    SportelloFactory.create_batch(30, is_published=True, latitude="45.60", longitude="9.40")
    assert _queries(client, {"q": "Cornate d'Adda"}) == own
    assert _queries(client, {"lat": "45.60", "lon": "9.41"}) == near_me
    response = client.get(SEARCH, {"q": "Cornate d'Adda", "page": "1"})
    assert len(_desks(response)) == 5


def test_near_me_button_is_markup_for_the_script_only(client):
    html = client.get(SEARCH).content.decode()
    (button,) = re.findall(r"<button[^>]*data-near-me[^>]*>", html)
    assert " hidden" in button and 'type="button"' in button
    assert "labimpact/js/near-me.js" in html


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lat=st.text(max_size=40), lon=st.one_of(st.text(max_size=40), st.floats(allow_nan=True).map(str)))
def test_any_coordinates_get_a_page_never_an_error(client, lat, lon):
    response = client.get(SEARCH, {"lat": lat, "lon": lon})
    # Control characters are refused before any view (labimpact/middleware.py).
    if re.search(r"[\x00-\x1f\x7f]", lat + lon):
        assert response.status_code == 400
    else:
        assert response.status_code == 200

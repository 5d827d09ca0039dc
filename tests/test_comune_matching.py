"""Issue 14: comune names typed the way people type them — typos, "S.", "Sant'", "d'", accents."""

import time

import pytest

from territories import matching
from territories.matching import short_form
from territories.models import Comune

pytestmark = pytest.mark.django_db

SEARCH = "/it/sportelli/"


def _found(client, typed):
    return client.get(SEARCH, {"q": typed}).context["result"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sesto s. giovanni", "Sesto San Giovanni"),
        ("Sesto S.Giovanni", "Sesto San Giovanni"),
        ("SESTO S GIOVANNI", "Sesto San Giovanni"),
        ("s. angelo lodigiano", "Sant'Angelo Lodigiano"),
        ("S.Angelo Lodigiano", "Sant'Angelo Lodigiano"),
        ("santangelo lodigiano", "Sant'Angelo Lodigiano"),
        ("cornate dadda", "Cornate d'Adda"),
        ("Cornate di Adda", "Cornate d'Adda"),
        ("cornate d adda", "Cornate d'Adda"),
        ("Cassano d'Adda", "Cassano d'Adda"),
        ("cassano di adda", "Cassano d'Adda"),
        ("Sta Maria della Versa", "Santa Maria della Versa"),
        ("S. Maria della Versa", "Santa Maria della Versa"),
        ("S. Colombano al Lambro", "San Colombano al Lambro"),
        ("CANTÙ", "Cantù"),
        ("cantu'", "Cantù"),
    ],
)
def test_usual_abbreviations_and_spellings_find_the_comune(client, typed, expected):
    assert _found(client, typed).comune.name == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Seto San Giovanni", "Sesto San Giovanni"),
        ("Sesto San Giovani", "Sesto San Giovanni"),
        ("Vimercte", "Vimercate"),
        ("Bergammo", "Bergamo"),
        ("Sant Angelo Lodigano", "Sant'Angelo Lodigiano"),
    ],
)
def test_a_typo_still_finds_the_only_close_comune(client, typed, expected):
    result = _found(client, typed)
    assert result.comune.name == expected
    assert result.fuzzy


def test_a_typo_close_to_several_comuni_asks_did_you_mean(client):
    response = client.get(SEARCH, {"q": "Cremna"})
    result = response.context["result"]
    names = [c.name for c in result.comune_choices]
    assert result.comune is None and result.fuzzy
    assert {"Cremona", "Crema"} <= set(names)
    assert names.index("Cremona") < 3
    assert "Forse intendevi" in response.content.decode()


def test_san_abbreviated_alone_lists_the_san_giovanni_comuni(client):
    result = _found(client, "S.Giovanni")
    names = {c.name for c in result.comune_choices}
    assert {"Sesto San Giovanni", "San Giovanni Bianco", "Borgo San Giovanni"} <= names
    assert not result.fuzzy


def test_nonsense_finds_nothing_and_says_so(client):
    response = client.get(SEARCH, {"q": "Xqzwv"})
    assert response.context["result"].unknown_place
    assert "Non troviamo" in response.content.decode()


def test_short_form_reduces_the_abbreviable_words():
    assert short_form("Sesto San Giovanni") == short_form("sesto s. giovanni") == "sestosgiovanni"
    assert short_form("Sant'Angelo Lodigiano") == short_form("S. Angelo Lodigiano")
    assert short_form("Cornate d'Adda") == short_form("Cornate di Adda") == "cornatedadda"
    assert short_form("Santi Cosma") == short_form("Ss. Cosma")
    # Only whole words: "Sangiano" and "Dizzasco" keep their letters.
    assert short_form("Sangiano") == "sangiano"
    assert short_form("Dizzasco") == "dizzasco"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("sesto s. giovanni", "Sesto San Giovanni"), ("Cremna", "Cremona"), ("cornate di adda", "Cornate d'Adda")],
)
def test_suggestions_use_the_same_matching(client, typed, expected):
    response = client.get("/comuni/suggerimenti/", {"q": typed})
    assert expected in response.json()["comuni"]


def test_a_new_or_renamed_comune_is_found_at_once():
    comune = Comune.objects.get(name="Vimercate")
    comune.name = "Vimercate Nuova"
    comune.save()
    assert [c.name for c in Comune.objects.search("vimercate nuova")] == ["Vimercate Nuova"]


def test_matching_reads_the_names_once_then_costs_one_query(django_assert_num_queries):
    matching.forget()
    list(Comune.objects.search("Sesto San Giovanni"))  # builds the index
    with django_assert_num_queries(1):
        assert [c.name for c in Comune.objects.search("seto san giovanni")] == ["Sesto San Giovanni"]


def test_typo_matching_is_fast_enough_for_every_keystroke():
    matching.match("warmup")
    started = time.perf_counter()
    for typed in ("Seto San Giovanni", "Cremna", "Bergammo", "Vimercte", "Xqzwv"):
        matching.match(typed)
    assert (time.perf_counter() - started) / 5 < 0.05  # seconds per search on a shared CPU

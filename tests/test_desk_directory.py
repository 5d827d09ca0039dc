"""services.directory answers the desk search from memory: the same desks, order and
distances as the querysets it stands in for, and never a stale answer after a change."""

import datetime as dt

import pytest
from django.utils import translation

from labimpact import caching
from services import directory
from services.models import Language, OpeningSlot, ServiceCategory, Sportello
from services.opening import ROME
from sitesearch.text import normalize
from territories.models import Comune
from tests.factories import AmbitoFactory, SportelloFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desks():
    """Desks of Sesto's ambito, one serving Cornate d'Adda explicitly, one of another ambito
    without coordinates (its comune's seat counts), one unpublished; names that sort
    differently with and without case and accents."""
    cornate = Comune.objects.get(name="Cornate d'Adda")
    lavoro = ServiceCategory.objects.get(key="lavoro")
    arabic = Language.objects.get(code="ar")
    made = {
        "a": SportelloFactory(is_published=True, name_it="Árbol", latitude="45.53", longitude="9.23"),
        "b": SportelloFactory(is_published=True, name_it="banco", latitude="45.54", longitude="9.24"),
        "c": SportelloFactory(is_published=True, name_it="Casa", latitude="45.62", longitude="9.46"),
        "hidden": SportelloFactory(is_published=False, name_it="Nascosto", latitude="45.53", longitude="9.23"),
        "far": SportelloFactory(
            is_published=True,
            name_it="Lontano",
            ambito=AmbitoFactory(),
            comune=Comune.objects.get(name="Mantova"),
        ),
    }
    made["c"].served_comuni.add(cornate)
    made["b"].categories.add(lavoro)
    made["b"].languages.add(arabic)
    made["far"].categories.add(lavoro)
    caching.invalidate()
    return made


def _pks(listed):
    return [item.desk.pk for item in listed]


@pytest.mark.parametrize("name", ["Sesto San Giovanni", "Cornate d'Adda", "Mantova", "Bergamo"])
def test_a_comunes_desks_and_distances_are_the_querysets(desks, name):
    comune = Comune.objects.get(name=name)
    origin = (float(comune.latitude), float(comune.longitude))
    expected = {desk.pk: desk for desk in Sportello.objects.published().serving(comune).with_distance(*origin)}
    found = directory.find(comune=comune, origin=origin)
    assert sorted(_pks(found)) == sorted(expected)
    for item in found:
        assert item.distance_km == pytest.approx(expected[item.desk.pk].distance_km, abs=1e-6)


def test_the_list_is_ordered_by_comune_then_name_ignoring_case_and_accents(desks):
    # Whatever the database's collation: on C.UTF-8 (this machine's) ORDER BY puts "Casa"
    # before "banco" and "Árbol" last.
    sesto = Comune.objects.get(name="Sesto San Giovanni")
    with translation.override("it"):
        names = [item.desk.name_it for item in directory.find(comune=sesto)]
    ours = [name for name in names if name in ("Árbol", "banco", "Casa")]
    assert ours == ["Árbol", "banco", "Casa"]
    comuni = [item.desk.comune.name for item in directory.find()]
    assert comuni == sorted(comuni, key=normalize)
    with translation.override("ar"):
        # Desks without an Arabic name come after those with one, as NULLs sort last.
        named = [bool(item.desk.name_ar) for item in directory.find(comune=sesto)]
        assert named == sorted(named, reverse=True)


def test_nearest_desks_are_the_querysets(desks):
    for lat, lon in [(45.60, 9.41), (45.16, 10.79), (46.17, 9.87)]:
        expected = list(Sportello.objects.published().nearest(lat, lon)[:5])
        found = directory.find(origin=(lat, lon), nearest=5)
        assert _pks(found) == [desk.pk for desk in expected]
        assert [item.distance_km for item in found] == pytest.approx([desk.distance_km for desk in expected])


def test_filters_are_the_querysets(desks):
    sesto = Comune.objects.get(name="Sesto San Giovanni")
    published = Sportello.objects.published()
    assert set(_pks(directory.find(category="lavoro"))) == set(
        published.in_category("lavoro").values_list("pk", flat=True)
    )
    assert set(_pks(directory.find(language="ar"))) == set(published.speaking("ar").values_list("pk", flat=True))
    assert _pks(directory.find(comune=sesto, category="lavoro", language="ar")) == [desks["b"].pk]
    assert desks["hidden"].pk not in _pks(directory.find())


def test_open_now_is_the_status_the_list_shows(desks):
    monday_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ROME)
    OpeningSlot.objects.create(sportello=desks["a"], weekday=0, opens=dt.time(9), closes=dt.time(12))
    OpeningSlot.objects.create(sportello=desks["b"], weekday=0, opens=dt.time(14), closes=dt.time(17))
    open_now = _pks(directory.find(open_at=monday_10))
    assert desks["a"].pk in open_now and desks["b"].pk not in open_now
    assert set(open_now) <= set(Sportello.objects.published().open_at(monday_10).values_list("pk", flat=True))


def test_a_change_shows_in_the_next_search(desks):
    sesto = Comune.objects.get(name="Sesto San Giovanni")
    assert desks["a"].pk in _pks(directory.find(comune=sesto))
    desks["a"].is_published = False
    desks["a"].save()
    assert desks["a"].pk not in _pks(directory.find(comune=sesto))
    desks["hidden"].is_published = True
    desks["hidden"].save()
    assert desks["hidden"].pk in _pks(directory.find(comune=sesto))
    desks["b"].languages.clear()
    assert desks["b"].pk not in _pks(directory.find(language="ar"))


def test_a_search_leaves_the_shared_desks_untouched(desks):
    sesto = Comune.objects.get(name="Sesto San Giovanni")
    found = directory.find(comune=sesto, origin=(45.53, 9.23))
    assert found[0].distance_km is not None
    assert found[0].slug == found[0].desk.slug  # reads as the desk
    assert not hasattr(found[0].desk, "distance_km")
    again = directory.find(comune=sesto)
    assert [item.desk for item in again] == [item.desk for item in found]  # the same objects
    assert again[0].distance_km is None


def test_without_a_shared_cache_every_search_reads_the_database(desks, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(caching, "generation", lambda: None)
    directory.find()
    with django_assert_num_queries(6):
        directory.find()


def test_comuni_come_as_copies_and_follow_changes(desks):
    sesto = directory.comune(istat_code=Comune.objects.get(name="Sesto San Giovanni").istat_code)
    sesto.exact = 0  # a search annotates its copy…
    assert not hasattr(directory.comune(sesto.pk), "exact")  # …not the process's
    assert directory.comune(istat_code="999999") is None
    ambito = sesto.ambito
    ambito.name = "Ambito rinominato"
    ambito.save()
    assert directory.comune(sesto.pk).ambito.name == "Ambito rinominato"

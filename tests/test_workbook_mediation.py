"""The mediation sheet of the FAMI workbook: the measures page's figures, per ambito × year, scoped."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mediation import selectors
from mediation.models import MediationRequest, MediationSession
from reports import exporters
from territories.models import Ambito
from tests.mediation_helpers import submit, user

pytestmark = pytest.mark.django_db

SESTO = "Sesto San Giovanni e Cologno Monzese"
CREMONA = "Cremonese e Casalasco"


def _book(who, **params):
    out = io.BytesIO()
    exporters.FamiWorkbookExporter(who, params).render(out)
    return load_workbook(io.BytesIO(out.getvalue()))


def _request(ambito, submitted, *, assigned_after=None, session_minutes=None, languages=("ar",)):
    request = submit(languages=languages)
    moment = timezone.make_aware(datetime(submitted.year, submitted.month, submitted.day, 9, 0))
    MediationRequest.objects.filter(pk=request.pk).update(
        ambito=ambito,
        submitted_at=moment,
        assigned_at=moment + timedelta(hours=assigned_after) if assigned_after is not None else None,
        first_session_at=moment + timedelta(days=2) if session_minutes else None,
    )
    if session_minutes:
        MediationSession.objects.create(
            request=request, date=submitted + timedelta(days=2), duration_minutes=session_minutes
        )
    return request


@pytest.fixture
def cremona_requests():
    """Cremona's requests of 2024 (assigned after 2, 4 and 10 hours) and one of 2025 never assigned."""
    cremona = Ambito.objects.get(name=CREMONA)
    _request(cremona, date(2024, 3, 1), assigned_after=2, session_minutes=90)
    _request(cremona, date(2024, 5, 1), assigned_after=4, session_minutes=60, languages=("ar", "fr"))
    _request(cremona, date(2024, 9, 1), assigned_after=10)
    _request(cremona, date(2025, 2, 1))
    return cremona


def _sections(rows):
    """The sheet's per-year table and whole-period table, by ambito name."""
    header = next(i for i, r in enumerate(rows) if r[:3] == ("Ambito", "Provincia", "Anno"))
    whole = next(i for i, r in enumerate(rows) if r[0] == "Intero periodo")
    per_year = {(r[0], r[2]): r[3:9] for r in rows[header + 1 : whole] if r[0]}
    totals = {}
    for r in rows[whole + 2 :]:
        if not r[0] or r[0] == "Lingua":
            break
        totals[r[0]] = r[2:8]
    return per_year, totals


def test_mediation_sheet_gives_requests_activation_times_and_hours_per_ambito_and_year(coordinatore, cremona_requests):
    book = _book(coordinatore, ambito=cremona_requests.pk, start="2024-01-01", end="2025-12-31")
    rows = list(book["Mediazione"].values)
    per_year, totals = _sections(rows)
    assert per_year[(CREMONA, 2024)] == (3, 2.5, 4.0, pytest.approx(8.8), 48.0, 48.0)
    assert per_year[(CREMONA, 2025)] == (1, 0, None, None, None, None)
    assert totals[CREMONA][:2] == (4, 2.5)
    start = next(i for i, r in enumerate(rows) if r[:2] == ("Lingua", "Ore di mediazione"))
    languages = [r[:2] for r in rows[start + 1 :]]
    assert ("Arabo", 2.5) in languages and ("Francese", 1.0) in languages


def test_mediation_sheet_equals_the_measures_for_the_same_filters(coordinatore, cremona_requests):
    lombardy_east = cremona_requests.provincia
    for params, kwargs in [
        ({}, {}),
        ({"start": "2024-01-01", "end": "2024-12-31"}, {"start": date(2024, 1, 1), "end": date(2024, 12, 31)}),
        ({"provincia": lombardy_east.pk}, {"provincia": lombardy_east.pk}),
    ]:
        _per_year, totals = _sections(list(_book(coordinatore, **params)["Mediazione"].values))
        figures = selectors.measures(coordinatore, **kwargs)
        for row in figures["ambiti"]:
            expected = (row.requests, row.hours)
            assert totals[row.ambito][:2] == expected, (params, row.ambito)
            median = totals[row.ambito][2]
            assert median == (round(row.to_assigned_median, 1) if row.to_assigned_median is not None else None)
        shown = {name for name, values in totals.items() if values[0]}
        assert shown == {row.ambito for row in figures["ambiti"]}


def test_mediation_sheet_equals_the_measures_page(login, coordinatore, cremona_requests):
    page = login("coordinatore").get(reverse("mediation:measures")).context["measures"]
    _per_year, totals = _sections(list(_book(coordinatore)["Mediazione"].values))
    for row in page["ambiti"]:
        assert totals[row.ambito][:2] == (row.requests, row.hours)


def test_mediation_sheet_is_scoped_to_the_operator(operatore_sesto, cremona_requests):
    book = _book(operatore_sesto)
    if "Mediazione" in book.sheetnames:
        per_year, totals = _sections(list(book["Mediazione"].values))
        assert set(totals) == {SESTO}
        assert {name for name, _year in per_year} == {SESTO}
    own = _book(user("operatore_cremona"), start="2024-01-01", end="2024-12-31")
    per_year, totals = _sections(list(own["Mediazione"].values))
    assert set(totals) == {CREMONA} and totals[CREMONA][0] == 3


def test_no_mediation_sheet_without_requests_in_the_period(coordinatore, cremona_requests):
    book = _book(coordinatore, ambito=cremona_requests.pk, start="2019-01-01", end="2019-12-31")
    assert "Mediazione" not in book.sheetnames

"""Readers' feedback: page ratings, reports about desks, suggested desks, and their moderation."""

import random
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from feedback.forms import PageFeedbackForm
from feedback.models import PageFeedback, Report, ReportKind, ReportStatus
from feedback.services import report_create
from territories.models import Ambito, Comune
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db


def _url(name, lang="it", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def desk():
    return SportelloFactory(name_it="Sportello stranieri Sesto", slug="sportello-feedback", is_published=True)


@pytest.fixture
def cremona_desk():
    return SportelloFactory(
        name_it="Sportello Cremona",
        slug="sportello-cremona-feedback",
        is_published=True,
        ambito=Ambito.objects.get(slug="cremonese-casalasco"),
        comune=Comune.objects.get(name="Cremona"),
    )


def _token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


# --- "Was this page clear?" ------------------------------------------------------------


def test_desk_page_rating_is_stored_per_page_language_and_ambito(client, desk):
    page = client.get(_url("services:sportello", "ar", slug=desk.slug)).content.decode()
    assert "valutazione" in page
    response = client.post(_url("feedback:page", "ar"), {"token": _token(page), "rating": "4", "comment": "  ok  "})
    assert response.status_code == 302
    assert response["Location"] == f"/ar/sportelli/{desk.slug}/?valutazione=grazie#valutazione"
    feedback = PageFeedback.objects.get()
    assert (feedback.page, feedback.language, feedback.ambito, feedback.rating, feedback.comment) == (
        f"/sportelli/{desk.slug}/",
        "ar",
        desk.ambito,
        4,
        "ok",
    )
    thanked = client.get(response["Location"]).content.decode()
    assert 'id="valutazione-title"' in thanked and 'name="rating"' not in thanked


def test_regional_page_rating_has_no_ambito(client):
    page = client.get(_url("about")).content.decode()
    client.post(_url("feedback:page"), {"token": _token(page), "rating": "2"})
    assert PageFeedback.objects.get().ambito is None


@pytest.mark.parametrize(
    "data",
    [
        {"rating": ""},
        {"rating": "6"},
        {"rating": "abc"},
        {"rating": "3", "comment": "x" * 1001},
        {"rating": "3", "website": "http://spam.example"},
    ],
    ids=["no-rating", "out-of-range", "not-a-number", "overlong-comment", "honeypot"],
)
def test_bad_rating_is_refused_with_a_message_and_nothing_stored(client, desk, data):
    page = client.get(_url("services:sportello", slug=desk.slug)).content.decode()
    response = client.post(_url("feedback:page", "fr"), {"token": _token(page), **data})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not PageFeedback.objects.exists()


@pytest.mark.parametrize(
    "token",
    ["", "forged", PageFeedbackForm.sign("//evil.example/", None)],
    ids=["empty", "forged", "protocol-relative-page"],
)
def test_tampered_token_is_refused(client, token):
    response = client.post(_url("feedback:page"), {"token": token, "rating": "5"})
    assert response.status_code == 200
    assert not PageFeedback.objects.exists()


def test_rating_a_page_of_a_removed_ambito_still_works(client):
    token = PageFeedbackForm.sign("/ambiti/sparito/", 999_999)
    assert client.post(_url("feedback:page"), {"token": token, "rating": "3"}).status_code == 302
    assert PageFeedback.objects.get().ambito is None


def test_rating_form_needs_no_csrf_token_so_pages_stay_cacheable(desk):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    page = client.get(_url("services:sportello", slug=desk.slug)).content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert client.post(_url("feedback:page"), {"token": _token(page), "rating": "5"}).status_code == 302


def test_public_forms_are_rate_limited_per_address(client, desk, settings):
    settings.FEEDBACK_RATE = "2/m"
    # A fresh address per run: the counters live in the shared cache.
    address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    page = client.get(_url("services:sportello", slug=desk.slug)).content.decode()
    data = {"token": _token(page), "rating": "5"}
    codes = [client.post(_url("feedback:page"), data, REMOTE_ADDR=address).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert PageFeedback.objects.count() == 2
    limited = client.post(
        _url("feedback:wrong_info", slug=desk.slug), {"topic": "hours", "message": "x"}, REMOTE_ADDR=address
    )
    assert limited.status_code == 429
    assert "Riprova" in limited.content.decode()
    assert not Report.objects.exists()


# --- Report wrong information ----------------------------------------------------------


@pytest.mark.parametrize("lang", [code for code, _name in settings.LANGUAGES])
def test_wrong_info_form_answers_in_every_language(client, desk, lang):
    response = client.get(_url("feedback:wrong_info", lang, slug=desk.slug))
    assert response.status_code == 200
    assert f'lang="{lang}"' in response.content.decode()


def test_desk_page_links_to_report_and_poster(client, desk):
    page = client.get(_url("services:sportello", slug=desk.slug)).content.decode()
    assert _url("feedback:wrong_info", slug=desk.slug) in page
    assert _url("services:poster", slug=desk.slug) in page


def test_wrong_info_lands_in_the_desks_ambito_queue(client, desk):
    response = client.post(
        _url("feedback:wrong_info", "ur", slug=desk.slug),
        {"topic": "hours", "message": "Il martedì apre alle 14."},
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.kind, report.sportello, report.ambito, report.language, report.status) == (
        ReportKind.WRONG_INFO,
        desk,
        desk.ambito,
        "ur",
        ReportStatus.NEW,
    )
    thanks = client.get(response["Location"])
    assert desk.get_absolute_url() in thanks.content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"topic": "hours"}, {"topic": "unknown", "message": "x"}, {"topic": "hours", "message": "x" * 2001}],
    ids=["empty", "no-message", "bad-topic", "overlong"],
)
def test_bad_wrong_info_report_keeps_the_text_and_stores_nothing(client, desk, data):
    response = client.post(_url("feedback:wrong_info", "es", slug=desk.slug), data)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode() or 'role="alert"' in response.content.decode()
    assert not Report.objects.exists()


def test_unpublished_desk_cannot_be_reported(client, desk):
    desk.is_published = False
    desk.save()
    assert client.get(_url("feedback:wrong_info", slug=desk.slug)).status_code == 404


# --- Suggest a missing desk ------------------------------------------------------------


def test_search_page_offers_to_suggest_a_desk(client):
    assert _url("feedback:missing_desk") in client.get(_url("services:search")).content.decode()


def test_suggested_desk_goes_to_the_comunes_ambito(client):
    response = client.post(
        _url("feedback:missing_desk", "en"),
        {
            "comune": "trezzo sulladda",
            "desk_name": "Sportello della biblioteca",
            "message": "Martedì mattina, in arabo.",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.kind == ReportKind.MISSING_DESK
    assert report.comune.name == "Trezzo sull'Adda"
    assert report.ambito.slug == "vimercate-trezzo"


@pytest.mark.parametrize("comune", ["Atlantide", "", "x" * 101])
def test_unknown_comune_is_refused_with_a_message(client, comune):
    response = client.post(
        _url("feedback:missing_desk"), {"comune": comune, "desk_name": "Sportello", "message": "Aperto il lunedì."}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Report.objects.exists()


# --- Moderation in the back office -----------------------------------------------------


@pytest.fixture
def two_reports(desk, cremona_desk):
    sesto = report_create(kind=ReportKind.WRONG_INFO, language="ar", sportello=desk, topic="hours", message="Sesto")
    cremona = report_create(
        kind=ReportKind.WRONG_INFO, language="it", sportello=cremona_desk, topic="hours", message="Cremona"
    )
    return sesto, cremona


def test_operator_sees_only_own_ambito_reports(login, two_reports):
    page = login("operatore_sesto").get(reverse("admin:feedback_report_changelist")).content.decode()
    assert "Sportello stranieri Sesto" in page and "Sportello Cremona" not in page
    other = two_reports[1]
    assert login("operatore_sesto").get(reverse("admin:feedback_report_change", args=[other.pk])).status_code == 404


def test_coordinator_sees_every_report(login, two_reports):
    page = login("coordinatore").get(reverse("admin:feedback_report_changelist")).content.decode()
    assert "Sportello stranieri Sesto" in page and "Sportello Cremona" in page


def test_operator_closes_a_report_and_who_is_recorded(login, two_reports, operatore_sesto):
    sesto, _cremona = two_reports
    response = login("operatore_sesto").post(
        reverse("admin:feedback_report_changelist"),
        {"action": "mark_resolved", "_selected_action": [sesto.pk]},
    )
    assert response.status_code == 302
    sesto.refresh_from_db()
    assert sesto.status == ReportStatus.RESOLVED
    assert sesto.handled_by == operatore_sesto and sesto.handled_at is not None
    assert sesto.history.count() == 2


def test_operator_cannot_close_another_ambitos_report(login, two_reports):
    _sesto, cremona = two_reports
    response = login("operatore_sesto").post(
        reverse("admin:feedback_report_changelist"),
        {"action": "mark_dismissed", "_selected_action": [cremona.pk]},
    )
    cremona.refresh_from_db()
    assert cremona.status == ReportStatus.NEW
    assert response.status_code in (200, 302, 403)


def test_reports_cannot_be_created_in_the_admin(login):
    assert login("coordinatore").get(reverse("admin:feedback_report_add")).status_code == 403


def test_page_ratings_are_shown_to_the_pages_ambito_only(login, desk, cremona_desk):
    PageFeedback.objects.create(page="/sportelli/a/", language="ar", ambito=desk.ambito, rating=2, comment="Sesto")
    PageFeedback.objects.create(page="/sportelli/b/", language="it", ambito=cremona_desk.ambito, rating=5, comment="Cr")
    PageFeedback.objects.create(page="/il-piano/", language="it", ambito=None, rating=1, comment="Regionale")
    page = login("operatore_sesto").get(reverse("admin:feedback_pagefeedback_changelist")).content.decode()
    assert "/sportelli/a/" in page and "/sportelli/b/" not in page and "/il-piano/" not in page
    everything = login("coordinatore").get(reverse("admin:feedback_pagefeedback_changelist")).content.decode()
    assert "/il-piano/" in everything and "/sportelli/b/" in everything


# --- Poster ----------------------------------------------------------------------------


def test_poster_has_a_qr_code_to_the_desk_page_in_the_chosen_language(client, desk):
    response = client.get(_url("services:poster", "ar", slug=desk.slug))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html
    assert "<svg" in html and "<?xml" not in html
    assert f"http://testserver/ar/sportelli/{desk.slug}/" in html


def test_poster_of_unpublished_desk_is_404(client, desk):
    desk.is_published = False
    desk.save()
    assert client.get(_url("services:poster", slug=desk.slug)).status_code == 404

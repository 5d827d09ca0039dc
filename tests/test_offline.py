"""The installable web app: manifest, service worker, and desk pages readable offline."""

import json
import re

import pytest
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from services.models import Sportello

pytestmark = [pytest.mark.django_db]

DESK = "sportello-stranieri-cremona-demo"


@pytest.fixture
def reference(db):
    from labimpact.demo import load_demo
    from labimpact.reference import load_reference

    load_reference()
    load_demo()


# --- manifest and worker over HTTP ------------------------------------------------------------


def test_manifest_is_valid_json_in_the_readers_language_with_png_icons_that_answer(client, reference):
    response = client.get("/ar/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)
    assert manifest["lang"] == "ar" and manifest["dir"] == "rtl"
    assert manifest["start_url"] == "/ar/"
    assert manifest["name"] and manifest["short_name"]
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        image = Client().get(icon["src"])
        assert image.status_code == 200
        body = b"".join(image.streaming_content) if image.streaming else image.content
        assert body.startswith(b"\x89PNG\r\n\x1a\n")
        width = int.from_bytes(body[16:20], "big")
        assert f"{width}x{width}" == icon["sizes"]


def test_manifest_description_is_translated(client, reference):
    italian = json.loads(client.get("/it/manifest.webmanifest").content)["description"]
    english = json.loads(client.get("/en/manifest.webmanifest").content)["description"]
    assert italian != english


def test_service_worker_is_served_at_the_root_uncached_with_root_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert "{{" not in body and "{%" not in body
    # The languages of the site, and the pages it keeps, are spelled out for the worker.
    assert "zh-hans" in body and "sportelli/" in body


def test_csp_lets_the_worker_and_manifest_load_from_this_site_only(client, reference):
    policy = client.get("/it/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy


def test_every_public_page_links_the_manifest_of_its_language_and_registers_the_worker(client, reference):
    html = client.get("/ur/").content.decode()
    assert 'rel="manifest" href="/ur/manifest.webmanifest"' in html
    assert "sw-register" in html and 'data-sw="/sw.js"' in html


def test_saved_pages_page_answers_in_every_language(client, reference):
    for code in ("it", "ar", "zh-hans"):
        response = client.get(f"/{code}/offline/")
        assert response.status_code == 200
        assert 'id="saved-pages"' in response.content.decode()


# --- in a real browser ------------------------------------------------------------------------


@pytest.fixture
def phone_context(browser, site_data):
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    yield context
    context.close()


def _open_and_keep(page, url):
    page.goto(url)
    # The worker confirms it kept the page (sw-register.js marks <html>).
    page.wait_for_selector("html[data-offline-kept]", state="attached", timeout=15000)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_desk_page_opened_once_reads_offline_with_the_date_it_was_saved(live_server, phone_context):
    assert Sportello.objects.filter(slug=DESK).exists()
    page = phone_context.new_page()
    url = f"{live_server.url}/ur/sportelli/{DESK}/"
    _open_and_keep(page, url)
    title = page.title()

    phone_context.set_offline(True)
    page.reload()
    assert page.title() == title
    assert page.get_attribute("html", "lang") == "ur"
    banner = page.locator(".offline-banner")
    banner.wait_for(timeout=5000)
    text = banner.inner_text()
    assert "__DATE__" not in text
    # The date in the reader's language (Intl), e.g. the current year in Urdu digits or Latin.
    saved = page.evaluate("document.documentElement.dataset.offlineSaved")
    assert saved
    year = page.evaluate("new Intl.DateTimeFormat('ur', {year: 'numeric'}).format(new Date())")
    assert year in text
    # Styled offline too: the stylesheet came from the worker's copy.
    assert page.evaluate("getComputedStyle(document.querySelector('.offline-banner')).borderInlineStartWidth") == "4px"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_form_pages_and_back_office_are_never_served_from_the_saved_copies(live_server, phone_context):
    page = phone_context.new_page()
    _open_and_keep(page, f"{live_server.url}/it/sportelli/{DESK}/")
    forms = [
        f"/it/segnalazioni/sportello/{DESK}/",
        "/it/segnalazioni/sportello-mancante/",
        "/it/newsletter/",
        "/it/associazioni/proponi/",
        "/admin/login/",
    ]
    for path in forms:
        page.goto(f"{live_server.url}{path}")
    kept = page.evaluate(
        "caches.open('labimpact-pages-v1').then(c => c.keys()).then(ks => ks.map(r => new URL(r.url).pathname))"
    )
    assert f"/it/sportelli/{DESK}/" in kept
    assert not set(forms) & set(kept)

    phone_context.set_offline(True)
    for path in forms:
        # Offline, a form page is never a saved copy: the browser's own offline error (the
        # worker leaves these requests alone), or at most the list of saved pages.
        try:
            page.goto(f"{live_server.url}{path}")
        except PlaywrightError as error:
            assert "ERR_INTERNET_DISCONNECTED" in str(error)
        else:
            assert page.locator("form[method=post]").count() == 0


def _worker_patterns(client):
    """The worker's KEPT and NEVER patterns, read from the script it is served (same syntax in
    Python's re for what they use)."""
    body = client.get("/sw.js").content.decode()
    languages = re.search(r'const LANGUAGES = "([^"]+)"', body).group(1)
    kept = re.search(r'"\^/\(" \+ LANGUAGES \+ "\)/(.+?)\$"', body).group(1).replace("\\\\", "\\")
    never = re.search(r"const NEVER = /(.+)/;", body).group(1).replace("\\/", "/")
    return re.compile(f"^/({languages})/{kept}$"), re.compile(never)


@pytest.mark.parametrize(
    ("path", "kept"),
    [
        (f"/ur/sportelli/{DESK}/", True),
        (f"/ar/sportelli/{DESK}/manifesto/", True),
        ("/zh-hans/guide/rinnovo-permesso-di-soggiorno/", True),
        ("/it/guide/", True),
        ("/it/offline/", True),
        ("/it/sportelli/", False),
        ("/it/", False),
        (f"/it/segnalazioni/sportello/{DESK}/", False),
        ("/it/segnalazioni/sportello-mancante/", False),
        ("/it/valutazione/", False),
        ("/it/newsletter/", False),
        ("/it/associazioni/proponi/", False),
        ("/it/mediazione/richiesta/", False),
        ("/it/consulenza-legale/nuova/", False),
        ("/admin/", False),
        ("/api/v1/services", False),
    ],
)
def test_worker_keeps_desks_posters_and_guides_only(client, path, kept):
    kept_pattern, never = _worker_patterns(client)
    assert bool(kept_pattern.match(path) and not never.search(path)) is kept

"""Materials and news in a real browser: accessibility (axe-core), no JavaScript, RTL on a phone."""

import pathlib

import pytest

from tests.test_accessibility import check_pages, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = pathlib.Path(__file__).resolve().parent.parent / "screenshots"


@pytest.mark.parametrize("language", ["it", "ar"])
def test_content_pages_have_no_wcag_21_aa_violations(live_server, browser, site_data, language):
    pages = [
        ("materials", f"/{language}/materiali/"),
        ("materials filtered", f"/{language}/materiali/?category=corsi-italiano"),
        ("materials bad filter", f"/{language}/materiali/?category=nope"),
        ("news", f"/{language}/notizie/"),
        ("news filtered", f"/{language}/notizie/?ambito=cremonese-casalasco"),
        ("news bad filter", f"/{language}/notizie/?ambito=nope"),
        ("news item", f"/{language}/notizie/lab-impact-35-ambiti-demo/"),
    ]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = check_pages(page, live_server.url, pages, label=language)
    context.close()
    assert not found, "axe-core WCAG 2.1 AA violations:\n" + describe(found)


def test_arabic_reader_filters_and_downloads_a_leaflet_without_javascript(live_server, browser, site_data):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}, accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/ar/materiali/")
    assert page.get_attribute("html", "dir") == "rtl"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the materials page scrolls sideways by {overflow}px at 390px"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "materials-ar-phone.png"), full_page=True)

    page.select_option("#id_category", "permesso-soggiorno")
    page.locator("form.search-form button[type=submit]").click()
    assert "category=permesso-soggiorno" in page.url
    cards = page.locator("#permesso-di-soggiorno-in-breve-demo")
    assert cards.count() == 1
    with page.expect_download() as info:
        cards.locator('a[hreflang="ar"]').first.click()
    download = info.value
    assert download.suggested_filename == "permesso-di-soggiorno-in-breve-demo-ar.pdf"
    assert pathlib.Path(download.path()).read_bytes().startswith(b"%PDF-")
    context.close()


def test_news_pages_work_without_javascript(live_server, browser, site_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/it/notizie/")
    page.select_option("#id_ambito", "sesto-san-giovanni")
    page.locator("form.search-form button[type=submit]").click()
    page.locator(".desk-card h3 a").first.click()
    assert page.url.endswith("/it/notizie/laboratori-italiano-scuole-sesto-demo/")
    assert page.locator("h1 .demo-badge").count() == 1
    context.close()

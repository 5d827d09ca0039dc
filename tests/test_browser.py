"""Smoke tests in a real browser: Debian's headless chromium driven by Playwright."""

import pathlib

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = pathlib.Path(__file__).resolve().parent.parent / "screenshots"
# The `browser` and `site_data` fixtures live in conftest.py (shared with test_accessibility.py).


@pytest.fixture
def phone(browser, site_data):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    yield page
    context.close()


def test_arabic_home_is_right_to_left(live_server, phone):
    phone.goto(f"{live_server.url}/ar/")
    assert phone.get_attribute("html", "dir") == "rtl"
    assert phone.get_attribute("html", "lang") == "ar"
    assert phone.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert phone.locator("h1").first.is_visible()
    assert phone.locator(".macro-azioni li").count() == 4
    # Laid out right to left for real: the first feature's accent border is on the right.
    border = phone.evaluate("getComputedStyle(document.querySelector('.feature-list li')).borderRightWidth")
    assert border == "4px"
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / "home-ar-phone.png"), full_page=True)


def test_italian_home_at_phone_width_has_no_horizontal_scroll(live_server, phone):
    phone.goto(f"{live_server.url}/it/")
    assert phone.get_attribute("html", "dir") == "ltr"
    assert phone.locator(".macro-azioni li").count() == 4
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / "home-it-phone.png"), full_page=True)


def test_language_switcher_works_without_javascript(live_server, browser, site_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/it/il-piano/")
    page.locator(".lang-switcher summary").click()
    page.locator('.lang-switcher a[hreflang="ur"]').click()
    assert page.url == f"{live_server.url}/ur/il-piano/"
    assert page.get_attribute("html", "dir") == "rtl"
    context.close()


def _log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "labimpact-demo")
    page.click("input[type=submit]")


def test_operator_logs_a_week_of_l2_labs_and_coordinator_sees_it(live_server, browser, site_data):
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _log_in(page, live_server.url, "operatore_sesto")

    page.goto(f"{live_server.url}/admin/reports/activity/add/")
    page.select_option("#id_kind", "laboratorio_l2")
    page.fill("#id_title", "Laboratorio L2 settimana 45")
    page.fill("#id_start_date", "2021-11-08")
    page.fill("#id_end_date", "2021-11-12")
    page.fill("#id_hours", "10")
    page.fill("#id_place", "IC di Sesto, aula 4")
    for row, (kind, sex, age, origin, count) in enumerate(
        [("alunno", "F", "6-10", "nord_africa", "6"), ("alunno", "M", "6-10", "asia", "5")]
    ):
        prefix = f"#id_beneficiaries-{row}-"
        page.select_option(prefix + "beneficiary_type", kind)
        page.select_option(prefix + "sex", sex)
        page.select_option(prefix + "age_band", age)
        page.select_option(prefix + "nationality_group", origin)
        page.fill(prefix + "count", count)
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/reports/activity/")
    listing = page.content()
    assert "Laboratorio L2 settimana 45" in listing
    assert "Incontro informativo" not in listing  # Cremona's activity stays invisible

    page.locator("tr", has_text="Laboratorio L2 settimana 45").locator("input.action-select").check()
    page.select_option("select[name=action]", "duplicate_next_week")
    page.click("button[name=index]")
    page.wait_for_load_state()
    assert page.locator("tr", has_text="Laboratorio L2 settimana 45").count() == 2

    context.clear_cookies()
    _log_in(page, live_server.url, "coordinatore")
    page.goto(f"{live_server.url}/admin/reports/activity/cruscotto/")
    table = page.locator("table.dashboard-table").nth(1).inner_text()
    assert "Sesto San Giovanni e Cologno Monzese" in table and "Cremonese e Casalasco" in table
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-dashboard.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_reader_in_sesto_finds_the_permit_desk_on_a_phone_in_every_language(live_server, phone, language):
    phone.goto(f"{live_server.url}/{language}/")
    # On a phone the menu is folded behind its toggler.
    phone.locator(".custom-navbar-toggler").click()
    phone.locator(f'#menu-principale a[href="/{language}/sportelli/"]').click()
    phone.fill("#id_q", "sesto san giovanni")
    phone.select_option("#id_category", "permesso-soggiorno")
    phone.locator(".search-form button[type=submit]").click()
    cards = phone.locator(".desk-card")
    assert cards.count() == 1
    cards.first.locator("h3 a").click()
    assert phone.url.endswith(f"/{language}/sportelli/sportello-stranieri-sesto-demo/")
    assert phone.get_attribute("html", "dir") == ("rtl" if language in ("ar", "ur") else "ltr")
    # What to bring (the matching guides' checklists and the desk's extras), and when it is open.
    assert phone.locator(".checklist li").count() >= 5
    assert phone.locator(".hours-table tr").count() == 7
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_arabic_reader_in_sesto_finds_the_permit_desk_on_a_phone(live_server, phone):
    phone.goto(f"{live_server.url}/ar/")
    phone.locator(".custom-navbar-toggler").click()
    phone.locator('#menu-principale a[href="/ar/sportelli/"]').click()
    # With JavaScript the browser suggests comuni as the reader types (once the page's
    # deferred scripts have run: a loaded machine may still be running them).
    phone.wait_for_load_state("load")
    phone.fill("#id_q", "sesto san")
    # (a locator wait: the CSP forbids the eval behind wait_for_function)
    phone.locator("#id_q-suggestions option").first.wait_for(state="attached")
    assert "Sesto San Giovanni" in phone.locator("#id_q-suggestions").inner_html()
    phone.fill("#id_q", "sesto san giovanni")
    phone.select_option("#id_category", "permesso-soggiorno")
    phone.select_option("#id_language", "ar")
    phone.locator(".search-form button[type=submit]").click()
    cards = phone.locator(".desk-card")
    assert cards.count() == 1
    cards.first.locator("h3 a").click()
    assert phone.url.endswith("/ar/sportelli/sportello-stranieri-sesto-demo/")
    assert phone.get_attribute("html", "dir") == "rtl"
    assert "مكتب المعلومات للأجانب" in phone.locator("h1").inner_text()
    assert phone.locator(".checklist li").count() >= 5  # what to bring (from the guides)
    assert phone.locator(".hours-table tr").count() == 7  # when it is open
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    SHOTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(SHOTS / "desk-ar-phone.png"), full_page=True)


def test_admin_language_switch_covers_the_form_and_its_inlines(live_server, browser, site_data):
    """One switch shows the Italian source and one language: in the form's own fields, in a
    tabular inline (cells and column headers, so columns stay aligned) and in a row added with
    "Add another" after the switch was used."""
    from services.models import Sportello

    desk = Sportello.objects.filter(ambito__slug="sesto-san-giovanni").first()
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _log_in(page, live_server.url, "operatore_sesto")
    page.goto(f"{live_server.url}/admin/services/sportello/{desk.pk}/change/")
    page.locator('.labimpact-lang-switch button[data-lang-target="ar"]').click()

    def visible(selector):
        return page.locator(selector).first.is_visible()

    assert visible("#id_description_it") and visible("#id_description_ar")
    assert not visible("#id_description_en")
    # A closure row added now follows the switch, and so do the column headers.
    page.locator("#closures-group .add-row a").click()
    assert visible("#id_closures-0-reason_it") and visible("#id_closures-0-reason_ar")
    assert not visible("#id_closures-0-reason_en")
    assert visible("#closures-group th.column-reason_ar")
    assert not visible("#closures-group th.column-reason_en")
    page.locator('.labimpact-lang-switch button[data-lang-target="en"]').click()
    assert visible("#id_closures-0-reason_en") and not visible("#id_closures-0-reason_ar")
    assert visible("#closures-group th.column-reason_en")
    page.screenshot(path=str(SHOTS / "admin-language-switch.png"), full_page=True)
    assert errors == []
    context.close()

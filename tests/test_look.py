"""Looks like a Bootstrap Italia site, and says nothing wrong on paper (issue 14).

Fonts from a static stylesheet the Content-Security-Policy allows, the library's header with
a menu that collapses on phones, a favicon, the rating component with 48 px targets,
right-to-left layout by computed style, and the print views (bilingual A4 poster, a
"printed on" line instead of "open now").

The browser tests run Debian's chromium against the live server, which sends the
production CSP header (CSPMiddleware is in the base settings). Screenshots at 390 px go to
/tmp/look-shots (or $LOOK_SHOTS), outside the repository.
"""

import os
import pathlib
import re
import tempfile

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db

FONTS_CSS = "labimpact/css/fonts.css"
SHOTS = pathlib.Path(os.environ.get("LOOK_SHOTS") or pathlib.Path(tempfile.gettempdir()) / "look-shots")
DESK = "sportello-stranieri-sesto-demo"  # labimpact.demo: published, with opening hours
GUIDE = "rinnovo-permesso-di-soggiorno"


def _url(name, language="it", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _font_urls(css: str) -> list[str]:
    return re.findall(r'url\("([^"]+)"\)', css)


# --- Fonts -------------------------------------------------------------------------------


def test_fonts_stylesheet_declares_the_librarys_families_from_the_packaged_files():
    css = pathlib.Path(finders.find(FONTS_CSS)).read_text()
    for family in ("Titillium Web", "Roboto Mono", "Lora"):
        assert f'font-family: "{family}"' in css
    urls = _font_urls(css)
    assert len(urls) == 16
    for url in urls:
        # Relative to static/labimpact/css/: the files design-django-theme ships in static/fonts/.
        target = os.path.normpath(os.path.join("labimpact/css", url))
        assert target.startswith("fonts/")
        assert finders.find(target), target


def test_fonts_stylesheet_points_at_hashed_font_files_under_the_production_manifest(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    hashed_css = staticfiles_storage.stored_name(FONTS_CSS)
    assert hashed_css != FONTS_CSS
    css = (settings.STATIC_ROOT / hashed_css).read_text()
    urls = _font_urls(css)
    assert urls
    for url in urls:
        path = settings.STATIC_ROOT / os.path.normpath(os.path.join(os.path.dirname(hashed_css), url))
        assert re.search(r"\.[0-9a-f]{12}\.woff2$", url), url
        assert path.exists(), url


def test_pages_declare_fonts_by_stylesheet_and_run_no_inline_script(client):
    html = client.get(_url("home")).content.decode()
    assert static(FONTS_CSS) in html
    assert "__PUBLIC_PATH__" not in html and "public-path.js" not in html
    # Every <script> has a src: the CSP forbids inline code and the page needs none.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html and " style=" not in html


# --- Header, menu, favicon -----------------------------------------------------------------


def test_header_follows_the_library_pattern_with_a_menu_reachable_without_javascript(client):
    html = client.get(_url("home", "ar")).content.decode()
    for part in ("it-header-slim-wrapper", "it-header-center-wrapper", "it-header-navbar-wrapper"):
        assert part in html
    assert 'class="custom-navbar-toggler"' in html and 'aria-expanded="false"' in html
    assert 'aria-controls="menu-principale"' in html and 'id="menu-principale"' in html
    assert "Regione Lombardia" in html and "labimpact/img/logo-mark.svg" in html
    # Without JavaScript the <html class="no-js"> shows a link to the same menu in the footer.
    assert '<html lang="ar" dir="rtl" class="no-js">' in html
    assert 'href="#menu-footer"' in html
    footer = html[html.index('id="menu-footer"') :]
    for name in ("services:search", "services:guides", "content:news_list", "territories:ambiti"):
        assert f'href="{_url(name, "ar")}"' in footer


def test_favicon_ico_is_served_from_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("labimpact/img/favicon.ico")
    icon = pathlib.Path(finders.find("labimpact/img/favicon.ico")).read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_favicon_answers_only_get(client):
    assert client.post("/favicon.ico").status_code == 405


# --- Rating --------------------------------------------------------------------------------


def test_rating_block_uses_the_librarys_rating_component_highest_value_first(client):
    html = client.get(_url("about")).content.decode()
    block = html[html.index('<fieldset class="rating rating-scale"') :]
    block = block[: block.index("</fieldset>")]
    values = re.findall(r'<input type="radio" name="rating" value="(\d)"', block)
    assert values == ["5", "4", "3", "2", "1"]
    assert block.count('class="rating-star"') == 5
    assert re.search(r'<label for="id_comment">', html)


def test_rating_error_page_keeps_the_rating_component_and_the_comment(client):
    html = client.get(_url("home")).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post(_url("feedback:page"), {"token": token, "rating": "9", "comment": "testo"})
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<fieldset class="rating rating-scale"\s+aria-describedby="id_rating_error">', page)
    assert 'id="id_rating_error"' in page
    assert "testo</textarea>" in page


# --- Print ---------------------------------------------------------------------------------


def test_poster_is_in_the_readers_language_and_in_italian():
    desk = SportelloFactory(slug="sportello-poster", is_published=True)
    from django.test import Client

    html = Client().get(_url("services:poster", "ar", slug=desk.slug)).content.decode()
    assert 'class="poster is-bilingual"' in html
    assert '<section class="poster-panel" lang="ar" dir="rtl">' in html
    assert '<section class="poster-panel" lang="it" dir="ltr">' in html
    italian = html[html.index('lang="it" dir="ltr">\n') :]
    assert "Ti aiutiamo con" in italian
    with translation.override("ar"):
        from django.utils.translation import gettext

        assert gettext("Ti aiutiamo con") in html
    assert "<svg" in html  # the QR code
    # The poster is dated by nobody: no "printed on" line that would push it onto a second sheet.
    assert "printed-on" not in html


def test_italian_poster_has_one_language():
    desk = SportelloFactory(slug="sportello-poster-it", is_published=True)
    from django.test import Client

    html = Client().get(_url("services:poster", "it", slug=desk.slug)).content.decode()
    assert 'class="poster"' in html
    assert html.count('class="poster-panel"') == 1


def test_printed_pages_carry_the_day_they_were_printed(client):
    html = client.get(_url("about", "en")).content.decode()
    assert '<p class="printed-on container">' in html
    assert re.search(r'Printed on <time datetime="\d{4}-\d{2}-\d{2}">', html)


# --- In a real browser ---------------------------------------------------------------------


def _public_pages(language):
    from associations.models import Association, Event
    from content.models import News

    association = Association.objects.published().first()
    event = Event.objects.published().first()
    news = News.objects.published().first()
    with translation.override(language):
        pages = [
            reverse("home"),
            reverse("services:search") + "?q=Sesto+San+Giovanni",
            reverse("services:sportello", kwargs={"slug": DESK}),
            reverse("services:poster", kwargs={"slug": DESK}),
            reverse("services:guides"),
            reverse("services:guide", kwargs={"slug": GUIDE}),
            reverse("content:materials"),
            reverse("content:news_list"),
            reverse("content:news", kwargs={"slug": news.slug}),
            reverse("associations:list"),
            reverse("associations:detail", kwargs={"slug": association.slug}),
            reverse("associations:events"),
            reverse("associations:event", kwargs={"slug": event.slug}),
            reverse("territories:ambiti"),
            reverse("territories:ambito", kwargs={"slug": "sesto-san-giovanni"}),
            reverse("sitesearch:search") + "?q=permesso",
            reverse("feedback:missing_desk"),
            reverse("feedback:wrong_info", kwargs={"slug": DESK}),
            reverse("about"),
            f"/{language}/questa-pagina-non-esiste/",
        ]
    return pages


# A transparent 1x1 PNG for the map tiles: the test machine has no internet, and a failed
# tile would be a console error that says nothing about our pages.
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def _phone(browser, **options):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, **options)
    context.route(
        re.compile(r"^https://tile\.openstreetmap\.org/"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
    )
    return context


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_pages_raise_no_csp_violation_nor_console_error_and_load_the_fonts(live_server, browser, site_data):
    context = _phone(browser)
    problems = []
    for language in ("it", "ar"):
        for path in _public_pages(language):
            page = context.new_page()
            messages = []
            page.on("console", lambda m, box=messages: box.append(m) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e, box=problems, p=path: box.append(f"{p}: {e}"))
            response = page.goto(live_server.url + path, wait_until="networkidle")
            assert "style-src 'self'" in response.headers["content-security-policy"]
            expected = 404 if "non-esiste" in path else 200
            assert response.status == expected, path
            for message in messages:
                # The 404 page reports its own status; anything else is a fault.
                if expected == 404 and message.location.get("url") == page.url and "404" in message.text:
                    continue
                problems.append(f"{path}: {message.type}: {message.text}")
            page.evaluate("document.fonts.ready")
            loaded = page.evaluate(
                "[...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Titillium Web'"
                " && f.status === 'loaded').length"
            )
            assert loaded >= 1, f"{path}: Titillium Web not loaded"
            assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith('"Titillium Web"')
            assert page.evaluate("document.fonts.check('16px \"Titillium Web\"')")
            page.close()
    favicon = context.request.get(live_server.url + "/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    context.close()
    assert problems == []


def _style(page, selector, prop):
    return page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).{prop}")


def _box(page, selector):
    return page.evaluate(
        f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, width: r.width, height: r.height}; })()"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_layout_menu_rating_and_right_to_left(live_server, browser, site_data):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = _phone(browser)
    page = context.new_page()

    # The menu is collapsed behind the library's toggler: the header is two short rows.
    page.goto(f"{live_server.url}/it/", wait_until="networkidle")
    assert _box(page, "header")["height"] <= 120
    toggler = page.locator(".custom-navbar-toggler")
    assert toggler.is_visible() and toggler.get_attribute("aria-expanded") == "false"
    assert not page.locator("#menu-principale .nav-link").first.is_visible()
    assert not page.locator(".menu-fallback").is_visible()
    # Keyboard: Enter opens it, focus moves into it, Escape closes it and returns to the toggler.
    toggler.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    assert toggler.get_attribute("aria-expanded") == "true"
    assert page.locator("#menu-principale .nav-link").first.is_visible()
    assert page.evaluate("document.querySelector('#menu-principale').contains(document.activeElement)")
    assert _style(page, "#menu-principale .nav-link", "textDecorationLine") == "none"
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    assert toggler.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('custom-navbar-toggler')")

    # One grid edge: brand (after the toggler), hero and footer text start on the container edge.
    edge = _box(page, ".it-header-slim-wrapper .navbar-brand")["left"]
    assert _box(page, ".custom-navbar-toggler")["left"] == pytest.approx(edge, abs=1)
    assert _box(page, ".hero h1")["left"] == pytest.approx(edge, abs=1)
    assert _box(page, ".footer-brand")["left"] == pytest.approx(edge, abs=1)
    assert _box(page, ".page-feedback h2")["left"] == pytest.approx(edge, abs=1)

    # The rating: 48 px targets with readable numbers, the comment label right above its box.
    for star in page.locator(".rating-star").all():
        box = star.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    assert float(_style(page, ".rating-number", "fontSize").rstrip("px")) >= 14
    label, textarea = _box(page, ".rating-comment label"), _box(page, ".rating-comment textarea")
    assert 0 <= textarea["top"] - (label["top"] + label["height"]) <= 12
    assert label["left"] == pytest.approx(textarea["left"], abs=1)
    page.locator(".rating-star").nth(4).click()  # the last in the source is "1"
    assert page.locator("input[name=rating][value='1']").is_checked()

    # Right to left: Italian addresses sit on the page's start (right) edge, ranges stay whole,
    # the breadcrumb reads right to left, ordered steps are numbered "1." not ".1".
    page.goto(f"{live_server.url}/ar/sportelli/{DESK}/", wait_until="networkidle")
    address = page.locator('main p[lang="it"][dir="ltr"]').first
    assert address.evaluate("e => getComputedStyle(e).textAlign") == "right"
    assert address.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
    assert _style(page, ".breadcrumb-nav", "direction") == "rtl"
    crumb_link = _box(page, ".breadcrumb-nav a")
    crumb_place = _box(page, ".breadcrumb-nav span")
    assert crumb_link["left"] > crumb_place["left"]  # first crumb on the right
    page.screenshot(path=str(SHOTS / "desk-ar-390.png"))
    page.emulate_media(media="print")
    assert page.locator(".desk-status").count() == 0 or not page.locator(".desk-status").first.is_visible()
    assert page.locator(".printed-on").is_visible()
    page.emulate_media(media="null")

    page.goto(f"{live_server.url}/ar/", wait_until="networkidle")
    years = page.locator("bdi.range").first
    assert years.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    assert years.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert re.fullmatch(r"\d{4}–\d{4}", years.inner_text().strip())
    assert _style(page, ".custom-navbar-toggler", "direction") == "rtl"
    assert _box(page, ".custom-navbar-toggler")["right"] == pytest.approx(
        _box(page, ".it-header-slim-wrapper .navbar-brand")["right"], abs=1
    )
    page.screenshot(path=str(SHOTS / "home-ar-390.png"))

    page.goto(f"{live_server.url}/ar/guide/{GUIDE}/", wait_until="networkidle")
    marker = page.evaluate("getComputedStyle(document.querySelector('.guide-steps > li'), '::marker').unicodeBidi")
    assert marker == "isolate"
    page.screenshot(path=str(SHOTS / "guide-ar-390.png"))

    for language in ("it", "ar"):
        for name, path in (
            ("home", "/"),
            ("search", "/sportelli/?q=Sesto+San+Giovanni"),
            ("desk", f"/sportelli/{DESK}/"),
            ("guide", f"/guide/{GUIDE}/"),
        ):
            page.goto(f"{live_server.url}/{language}{path}", wait_until="networkidle")
            assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
            page.screenshot(path=str(SHOTS / f"{name}-{language}-390.png"), full_page=True)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_menu_is_reachable_without_javascript(live_server, browser, site_data):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/it/")
    assert not page.locator(".custom-navbar-toggler").is_visible()
    page.locator(".menu-fallback").click()
    assert page.url.endswith("#menu-footer")
    page.locator("#menu-footer a", has_text="Guide").click()
    assert page.url == f"{live_server.url}{_url('services:guides')}"
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_poster_fills_one_a4_sheet_in_two_languages(live_server, browser, site_data):
    page = browser.new_page()
    for language in ("it", "ar", "en", "ur"):
        page.goto(f"{live_server.url}/{language}/sportelli/{DESK}/manifesto/", wait_until="networkidle")
        page.evaluate("document.fonts.ready.then(() => true)")
        pdf = page.pdf(format="A4", print_background=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, language
        page.emulate_media(media="print")
        poster = _box(page, ".poster")
        # 270 mm of the 273 mm inside the page margins, at 96 px per inch.
        assert poster["height"] >= 270 / 25.4 * 96 - 1
        footer = _box(page, ".poster-footer")
        assert footer["top"] + footer["height"] <= poster["top"] + poster["height"]
        assert _box(page, ".poster-qr svg")["width"] >= 50 / 25.4 * 96 - 1  # at least 5 cm
        body_pt = float(_style(page, ".poster-panel li", "fontSize").rstrip("px")) * 72 / 96
        assert body_pt >= 15
        panels = page.locator(".poster-panel").count()
        assert panels == (1 if language == "it" else 2)
        page.emulate_media(media="null")  # page.pdf() would otherwise print the screen styles
    page.close()

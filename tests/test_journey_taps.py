"""Issue 14's journey target, measured in a real browser on a 390 px phone, in every language:
from the home page, a desk's hours, languages and documents in ≤ 4 taps, its guide in ≤ 1 more.

A tap is a click or a form submission; typing the comune is not. After each tap the section
the reader came for must be on screen, not merely somewhere on the page.
"""

import datetime as dt

import pytest
from django.conf import settings

from labimpact.reference import load_reference
from services.models import Language, OpeningSlot, ServiceCategory
from tests.factories import GuideFactory, SportelloFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK_TAPS = 4
GUIDE_TAPS = 1
COMUNE = "Sesto San Giovanni"
TOPIC = "permesso-soggiorno"


@pytest.fixture
def journey_data(browser):
    """The reference data (comuni, services, languages) and one desk with its guide, made by
    factories. The live server empties the database after the test."""
    load_reference()
    desk = SportelloFactory(
        name_it="Sportello stranieri di prova",
        slug="sportello-stranieri-prova",
        what_to_bring_it="Passaporto\nPermesso di soggiorno in scadenza\nQuattro fototessere",
        is_published=True,
    )
    desk.categories.set(ServiceCategory.objects.filter(key=TOPIC))
    desk.languages.set(Language.objects.filter(code__in=["ar", "ur", "en"]))
    OpeningSlot.objects.create(sportello=desk, weekday=0, opens=dt.time(9), closes=dt.time(12, 30))
    guide = GuideFactory(title_it="Rinnovare il permesso di soggiorno (prova)", slug="rinnovo-prova", is_published=True)
    guide.categories.set(ServiceCategory.objects.filter(key=TOPIC))
    return desk, guide


@pytest.fixture
def phone(browser, journey_data):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


class Taps:
    """Clicks that navigate or scroll, counted."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def tap(self, selector: str) -> None:
        locator = self.page.locator(selector).first
        locator.scroll_into_view_if_needed()
        locator.click()
        self.count += 1
        self.page.wait_for_load_state()


def on_screen(page, selector: str) -> bool:
    """Whether the element's box meets the viewport (waits for a smooth scroll to end)."""
    from playwright.sync_api import expect

    try:
        expect(page.locator(selector).first).to_be_in_viewport(timeout=3000)
    except AssertionError:
        return False
    return True


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_a_newcomer_reaches_a_desk_and_its_guide_within_the_tap_budget(live_server, phone, journey_data, language):
    desk, guide = journey_data
    taps = Taps(phone)
    phone.goto(f"{live_server.url}/{language}/")
    phone.fill("#home-q", COMUNE)  # typing: not a tap
    taps.tap(f'button[name="category"][value="{TOPIC}"]')

    assert "#results" in phone.url, language
    assert on_screen(phone, "#results-title"), f"{language}: the results heading is not on screen after the search"
    taps.tap(f'.desk-card a[href$="/sportelli/{desk.slug}/"]')

    assert phone.url.endswith(f"/{language}/sportelli/{desk.slug}/"), phone.url
    assert on_screen(phone, ".desk-status"), f"{language}: open-now status not on the first screen"
    assert on_screen(phone, ".desk-languages"), f"{language}: languages spoken not on the first screen"
    taps.tap('.desk-jump a[href="#s-hours"]')
    assert on_screen(phone, "#s-hours .hours-table"), f"{language}: hours not on screen"
    taps.tap('.desk-jump a[href="#s-bring"]')
    assert on_screen(phone, "#s-bring .checklist"), f"{language}: documents not on screen"
    assert taps.count <= DESK_TAPS, f"{language}: {taps.count} taps to the desk's hours, languages and documents"

    desk_taps = taps.count
    taps.tap(f'#s-guides a[href*="/{guide.slug}/"]')
    assert f"/{language}/guide/{guide.slug}/" in phone.url or guide.slug in phone.url, phone.url
    assert on_screen(phone, "h1"), f"{language}: the guide's title is not on screen"
    assert taps.count - desk_taps <= GUIDE_TAPS, f"{language}: {taps.count - desk_taps} more taps to the guide"

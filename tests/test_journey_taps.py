"""Issue 14's journey target, measured in a real browser on a 390 px phone, in every language:
from the home page, a desk's hours, languages and documents in ≤ 4 taps, its guide in ≤ 1 more.

A tap is a click or a form submission; typing the comune is not. After each tap the section
the reader came for must be on screen, not merely somewhere on the page.
"""

import datetime as dt
import uuid

import pytest
from django.conf import settings

from labimpact.reference import load_reference
from services.models import Language, OpeningSlot, ServiceCategory
from territories.models import Comune
from tests.factories import GuideFactory, SportelloFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK_TAPS = 4
GUIDE_TAPS = 1
COMUNE = "Sesto San Giovanni"
TOPIC = "permesso-soggiorno"


@pytest.fixture
def journey_data(browser):
    """The reference data (comuni, services, languages) and one desk with its guide, made by
    factories. The live server empties the database after each test: reload what is missing."""
    if not Comune.objects.exists():
        load_reference()
    suffix = uuid.uuid4().hex[:8]
    desk = SportelloFactory(
        name_it="Sportello stranieri di prova",
        slug=f"sportello-stranieri-prova-{suffix}",
        what_to_bring_it="Passaporto\nPermesso di soggiorno in scadenza\nQuattro fototessere",
        is_published=True,
    )
    desk.categories.set(ServiceCategory.objects.filter(key=TOPIC))
    desk.languages.set(Language.objects.filter(code__in=["ar", "ur", "en"]))
    OpeningSlot.objects.create(sportello=desk, weekday=0, opens=dt.time(9), closes=dt.time(12, 30))
    guide = GuideFactory(
        title_it="Rinnovare il permesso di soggiorno (prova)", slug=f"rinnovo-prova-{suffix}", is_published=True
    )
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


def journey(page, base: str, language: str, desk, guide) -> tuple[int, int, list[str]]:
    """Taps to the desk's essentials and then to its guide, and what was missing on screen."""
    missing = []
    taps = Taps(page)
    page.goto(f"{base}/{language}/")
    page.fill("#home-q", COMUNE)  # typing: not a tap
    taps.tap(f'button[name="category"][value="{TOPIC}"]')
    if "#results" not in page.url or not on_screen(page, "#results-title"):
        missing.append("results heading after the search")
    taps.tap(f'.desk-card a[href$="/sportelli/{desk.slug}/"]')
    if not page.url.endswith(f"/{language}/sportelli/{desk.slug}/"):
        missing.append(f"desk page (at {page.url})")
    for selector, what in ((".desk-status", "open-now status"), (".desk-languages", "languages spoken")):
        if not on_screen(page, selector):
            missing.append(f"{what} on the desk page's first screen")
    taps.tap('.desk-jump a[href="#s-hours"]')
    if not on_screen(page, "#s-hours .hours-table"):
        missing.append("hours")
    taps.tap('.desk-jump a[href="#s-bring"]')
    if not on_screen(page, "#s-bring .checklist"):
        missing.append("documents")
    desk_taps = taps.count
    taps.tap(f'#s-guides a[href*="/{guide.slug}/"]')
    if guide.slug not in page.url or not on_screen(page, "h1"):
        missing.append(f"guide title (at {page.url})")
    return desk_taps, taps.count - desk_taps, missing


def test_a_newcomer_reaches_a_desk_and_its_guide_within_the_tap_budget_in_every_language(
    live_server, phone, journey_data
):
    desk, guide = journey_data
    results = {code: journey(phone, live_server.url, code, desk, guide) for code, _name in settings.LANGUAGES}
    over = {
        code: (desk_taps, guide_taps, missing)
        for code, (desk_taps, guide_taps, missing) in results.items()
        if desk_taps > DESK_TAPS or guide_taps > GUIDE_TAPS or missing
    }
    assert len(results) == 10
    assert not over, f"over the tap budget ({DESK_TAPS} + {GUIDE_TAPS}) or not on screen: {over}"

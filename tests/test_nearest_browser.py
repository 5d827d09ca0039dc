"""Issue 14 in a real browser: "near me" sends a rounded position, or nothing without JavaScript."""

import re

import pytest

from tests.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Sesto San Giovanni, to seven decimals: the page must only ever see two.
PRECISE = {"latitude": 45.5371234, "longitude": 9.2387654}


def test_near_me_sends_a_rounded_position_and_lists_the_nearest_desks(live_server, browser, site_data):
    context = browser.new_context(geolocation=PRECISE, permissions=["geolocation"], locale="it-IT")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/it/sportelli/")
    button = page.locator("button[data-near-me]")
    assert button.is_visible()
    button.click()
    page.wait_for_url(re.compile(r"lat=45\.54&lon=9\.24"))
    assert "più vicini a te" in page.locator("#results-title").inner_text()
    assert page.locator(".desk-card .desk-distance").count() >= 1
    assert not any("5371234" in url or "2387654" in url for url in requested)
    assert axe_violations(page) == []
    # The nearest desks for a comune outside every ambito, with the distances, are accessible too.
    page.goto(f"{live_server.url}/it/sportelli/?q=Cornate+d%27Adda")
    assert axe_violations(page) == []
    context.close()


def test_near_me_button_stays_hidden_without_javascript(live_server, browser, site_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/it/sportelli/?q=Cornate+d%27Adda")
    assert not page.locator("button[data-near-me]").is_visible()
    # The nearest desks need no script: they come with the page.
    assert "più vicini" in page.locator("#results-title").inner_text()
    assert page.locator(".desk-card .desk-distance").count() >= 1
    context.close()


def test_a_typo_gets_did_you_mean_buttons_that_fill_the_box(live_server, browser, site_data):
    context = browser.new_context(locale="it-IT")
    page = context.new_page()
    page.goto(f"{live_server.url}/it/sportelli/")
    page.locator("#id_q").press_sequentially("Cremna", delay=30)
    choice = page.locator(".comune-hint button", has_text="Cremona")
    choice.wait_for()
    assert "Forse intendevi" in page.locator(".comune-hint").inner_text()
    choice.click()
    assert page.input_value("#id_q") == "Cremona"
    context.close()

"""The API's documentation and the open-data link, in headless chromium under the site's CSP."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("API_SCREENSHOTS")  # a folder: also save what the pages look like


@pytest.fixture
def phone(browser, site_data):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console", lambda message: "Content Security Policy" in message.text and page.csp_errors.append(message.text)
    )
    yield page
    context.close()


def test_swagger_docs_render_every_operation_from_local_assets(live_server, phone):
    requests = []
    phone.on("request", lambda request: requests.append(request.url))
    phone.goto(f"{live_server.url}/api/v1/docs/")
    phone.wait_for_selector(".opblock", timeout=20000)
    assert phone.locator(".opblock").count() >= 8
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests), requests
    assert not phone.csp_errors, phone.csp_errors
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/api-docs.png", full_page=False)


@pytest.mark.parametrize("lang", ["it", "ar"])
def test_desk_search_links_the_data_package_and_the_api(live_server, phone, lang):
    phone.goto(f"{live_server.url}/{lang}/sportelli/")
    link = phone.locator(".open-data a[download]")
    assert link.count() == 1
    with phone.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".zip")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    if SHOTS:
        phone.locator(".open-data").scroll_into_view_if_needed()
        phone.screenshot(path=f"{SHOTS}/desk-search-{lang}.png", full_page=False)

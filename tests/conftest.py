import os
import shutil

import pytest
from django.contrib.auth import get_user_model

from labimpact.demo import load_demo
from labimpact.reference import load_reference


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data and demo personas are loaded once; each test rolls back its own changes."""
    with django_db_blocker.unblock():
        load_reference()
        load_demo()


@pytest.fixture(autouse=True)
def _fresh_celery_pools(request):
    """Tests that start a real Celery worker close the app's broker pools when it stops.

    kombu keeps producer pools in a process-wide registry keyed by connection, so the next
    task queued in this process (eagerly, or to the next test's worker) would be handed a
    closed pool. Drop them around every transactional test, where workers are started.
    """
    db = request.node.get_closest_marker("django_db")
    if not (db and db.kwargs.get("transaction")):
        yield
        return
    from kombu import pools

    from labimpact.celery import app

    def reset():
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    reset()
    yield
    reset()


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Each test reads its own rows: pages cached by an earlier test (or run) are made stale.

    The generation counter only grows, so a shared Redis never serves a page rendered from
    another test's data; clearing the cache instead would flush other xdist workers' keys.
    """
    from django.utils import translation

    from labimpact import caching

    caching.invalidate()
    # A request in another language leaves that language active in the thread; factories
    # would then fill `name_ar` instead of the Italian source field.
    translation.activate("it")


def pytest_collection_modifyitems(config, items):
    # Browser tests need a live server, which flushes the database after each test; run
    # them last so the data loaded once for the session serves every other test first.
    # Transactional tests (real concurrent transactions, a Celery worker) flush it too.
    def flushes(item):
        db = item.get_closest_marker("django_db")
        if any(item.get_closest_marker(name) for name in ("browser", "live_worker", "flushes_db")):
            return True
        return bool(db and db.kwargs.get("transaction"))

    items.sort(key=flushes)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags that keep chromium from calling home on a machine with no network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's headless chromium driven by Playwright, one per browser-test module."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is required for browser tests: apt-get install chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server's database
    # flush at teardown would otherwise be refused as "async" (STACK-NOTES).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site_data(browser):
    """A live-server test flushes the database when it ends: load the data for each one."""
    load_reference()
    load_demo()


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def coordinatore(db):
    return _user("coordinatore")


@pytest.fixture
def operatore_sesto(db):
    return _user("operatore_sesto")


@pytest.fixture
def operatore_cremona(db):
    return _user("operatore_cremona")


@pytest.fixture
def referente_scuola(db):
    return _user("referente_scuola")


@pytest.fixture
def mediatrice(db):
    return _user("mediatrice")


PERSONAS = ["coordinatore", "operatore_sesto", "operatore_cremona", "referente_scuola", "mediatrice", "anonymous"]


@pytest.fixture
def login(client, db):
    """Log a persona in by name ("anonymous" stays logged out) and return the client."""

    def _login(persona):
        if persona != "anonymous":
            client.force_login(_user(persona))
        return client

    return _login

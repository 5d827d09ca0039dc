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


def pytest_collection_modifyitems(config, items):
    # Browser tests need a live server, which flushes the database after each test; run
    # them last so the data loaded once for the session serves every other test first.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


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

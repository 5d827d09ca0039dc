"""Issue 11: the admin home is a desk — the user's queue, their common actions, a clean menu."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access import home, permissions
from feedback.models import PageFeedback, Report
from services.models import Sportello
from territories.models import Ambito
from tests.conftest import _user
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db

ROLE_PERSONAS = ["coordinatore", "operatore_sesto", "operatore_cremona", "referente_scuola", "mediatrice"]

# What each persona's home offers: queue lines and action buttons (by key).
EXPECTED = {
    "coordinatore": (
        {"reports", "ratings", "stale_desks", "mediation", "untranslated"},
        ["dashboard", "export", "activity"],
    ),
    "operatore_sesto": (
        {"reports", "ratings", "stale_desks", "mediation", "untranslated"},
        ["activity", "hours", "export"],
    ),
    "operatore_cremona": (
        {"reports", "ratings", "stale_desks", "mediation", "untranslated"},
        ["activity", "hours", "export"],
    ),
    "referente_scuola": (set(), ["mediation_request", "school"]),
    "mediatrice": (set(), ["my_requests"]),
}


def _home(client, persona):
    client.force_login(_user(persona))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_home_shows_each_role_its_queue_and_actions(client, persona):
    response = _home(client, persona)
    queue_keys = {item.key for item in response.context["labimpact_queue"]}
    action_keys = [action.key for action in response.context["labimpact_actions"]]
    expected_queue, expected_actions = EXPECTED[persona]
    assert queue_keys == expected_queue
    assert action_keys == expected_actions
    html = response.content.decode()
    for action in response.context["labimpact_actions"]:
        assert f'href="{action.url}"' in html
    assert ("labimpact-regional" in html) == (persona == "coordinatore")


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_every_action_button_opens_a_page_the_user_may_use(client, persona):
    response = _home(client, persona)
    for action in response.context["labimpact_actions"]:
        assert client.get(action.url).status_code == 200, action.key


def _counts(response):
    return {item.key: item for item in response.context["labimpact_queue"]}


def test_operator_queue_counts_only_their_ambito_and_links_to_the_same_rows(client):
    user = _user("operatore_sesto")
    ambiti = permissions.grants_for(user).ambito_ids
    own = Ambito.objects.get(pk=min(ambiti))
    other = Ambito.objects.exclude(pk__in=ambiti).first()
    before = _counts(_home(client, "operatore_sesto"))["reports"].count
    for ambito in (own, own, other):
        desk = SportelloFactory(ambito=ambito)
        Report.objects.create(
            kind="wrong_info", sportello=desk, ambito=ambito, message="Orario sbagliato", language="it"
        )
    item = _counts(_home(client, "operatore_sesto"))["reports"]
    assert item.count == before + 2
    changelist = client.get(item.url)
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == item.count


def test_stale_desks_and_low_ratings_are_counted_and_linked(client):
    user = _user("operatore_sesto")
    ambito = Ambito.objects.get(pk=min(permissions.grants_for(user).ambito_ids))
    before = _counts(_home(client, "operatore_sesto"))
    desk = SportelloFactory(ambito=ambito)
    old = timezone.now() - datetime.timedelta(days=400)
    Sportello.objects.filter(pk=desk.pk).update(updated_at=old)
    PageFeedback.objects.create(page="/sportelli/x/", language="it", ambito=ambito, rating=1)
    PageFeedback.objects.create(page="/sportelli/x/", language="it", ambito=ambito, rating=5)
    after = _counts(_home(client, "operatore_sesto"))
    assert after["stale_desks"].count == before["stale_desks"].count + 1
    assert after["ratings"].count == before["ratings"].count + 1
    for key in ("stale_desks", "ratings"):
        changelist = client.get(after[key].url)
        assert changelist.status_code == 200
        assert changelist.context["cl"].result_count == after[key].count


def test_coordinator_regional_view_lists_every_ambito_in_natural_order(client):
    response = _home(client, "coordinatore")
    names = [row["ambito"].name for row in response.context["labimpact_regional"]]
    assert len(names) == Ambito.objects.count()
    from common.text import natural_key

    assert names == sorted(names, key=natural_key)


def _menu_labels(response):
    return {
        f"{app['app_label']}.{model['object_name'].lower()}"
        for app in response.context["available_apps"]
        for model in app["models"]
    }


@pytest.mark.parametrize("persona", ROLE_PERSONAS)
def test_reference_tables_are_in_the_menu_only_of_who_can_change_them(client, persona):
    response = _home(client, persona)
    menu = _menu_labels(response)
    user = _user(persona)
    from django.contrib import admin

    registered = {model._meta.label_lower for model in admin.site._registry}
    for label in home.reference_labels() & registered:
        may_change = permissions.can(user, permissions.CHANGE, label)
        if label in menu or may_change:
            assert (label in menu) == may_change, label


def test_operator_menu_has_no_reference_table_but_coordinator_has_them(client):
    operator_menu = _menu_labels(_home(client, "operatore_sesto"))
    coordinator_menu = _menu_labels(_home(client, "coordinatore"))
    assert not operator_menu & home.reference_labels()
    assert {"territories.provincia", "territories.comune", "services.language", "plan.plan"} <= coordinator_menu
    # Hidden from the menu, still readable (forms need them as choices).
    assert operator_menu  # the operator's own tables are there


def test_operator_can_still_open_a_reference_table_hidden_from_the_menu(client):
    client.force_login(_user("operatore_sesto"))
    assert client.get(reverse("admin:territories_provincia_changelist")).status_code == 200

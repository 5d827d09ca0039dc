"""Issue 11: two saves of the same admin form at once answer a form error, never a 500.

Real concurrent transactions on PostgreSQL: two threads, each with its own connection and
its own logged-in client, post the same desk form adding the same opening slot. Both forms
validate before either saves (a barrier holds them); one save wins, the other comes back
as the form with the reason and what its user typed.
"""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from access import permissions
from labimpact.demo import load_demo
from labimpact.reference import load_reference
from services import admin as services_admin
from services.models import OpeningSlot, ServiceCategory
from territories.models import Ambito
from tests.admin_forms import add_inline_row, change_form_data
from tests.conftest import _user
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk_form():
    # A transactional test starts from an empty database (and leaves it empty).
    load_reference()
    load_demo()
    user = _user("operatore_sesto")
    ambito = Ambito.objects.get(pk=min(permissions.grants_for(user).ambito_ids))
    desk = SportelloFactory(ambito=ambito)
    desk.categories.add(ServiceCategory.objects.first())
    OpeningSlot.objects.create(sportello=desk, weekday=0, opens=dt.time(9), closes=dt.time(12))
    client = Client()
    client.force_login(user)
    url = reverse("admin:services_sportello_change", args=[desk.pk])
    data = change_form_data(client.get(url))
    add_inline_row(data, "slots", weekday="2", opens="14:00", closes="16:00")
    return desk, url, data


def _race(url, data, monkeypatch, save):
    """Post `data` twice at once; both pass validation, then `save` writes each new slot."""
    barrier = threading.Barrier(2)
    save_desk = services_admin.sportello_save

    def held(*, sportello, by):
        # Both forms and formsets are valid by now; the first write locks the desk's row.
        barrier.wait(timeout=20)
        return save_desk(sportello=sportello, by=by)

    monkeypatch.setattr(services_admin, "sportello_save", held)
    monkeypatch.setattr(services_admin, "opening_slot_save", save)
    responses = []

    def post():
        try:
            client = Client()
            client.force_login(_user("operatore_sesto"))
            responses.append(client.post(url, data))
        except Exception as error:  # the test reports it rather than hanging
            responses.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_two_concurrent_saves_adding_the_same_slot_end_with_one_slot_and_one_form_error(desk_form, monkeypatch):
    desk, url, data = desk_form
    responses = _race(url, data, monkeypatch, services_admin.opening_slot_save)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    codes = sorted(response.status_code for response in responses)
    assert codes == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert "si sovrappone" in refused.content.decode()
    assert desk.slots.filter(weekday=2).count() == 1


def test_a_unique_constraint_hit_by_a_concurrent_save_becomes_a_form_error(desk_form, monkeypatch):
    """A write path with no check of its own: only the database sees the duplicate."""
    desk, url, data = desk_form
    responses = _race(url, data, monkeypatch, lambda *, slot, by: slot.save())
    assert not [r for r in responses if isinstance(r, Exception)], responses
    codes = sorted(response.status_code for response in responses)
    assert codes == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    page = refused.content.decode()
    assert "Qualcuno ha modificato questo record nel frattempo" in page
    assert 'value="14:00"' in page  # what the user typed is still there
    assert desk.slots.filter(weekday=2).count() == 1

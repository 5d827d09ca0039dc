"""Issue 11: an identical or overlapping opening slot of a desk is refused, never shown twice."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from access import permissions
from services.models import OpeningSlot, ServiceCategory
from services.services import opening_slot_save
from territories.models import Ambito
from tests.admin_forms import add_inline_row, change_form_data
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(operatore_sesto):
    ambito = Ambito.objects.get(pk=min(permissions.grants_for(operatore_sesto).ambito_ids))
    desk = SportelloFactory(ambito=ambito, is_published=True)
    desk.categories.add(ServiceCategory.objects.first())
    OpeningSlot.objects.create(sportello=desk, weekday=1, opens=dt.time(14), closes=dt.time(16))
    return desk


def _change(client, desk):
    url = reverse("admin:services_sportello_change", args=[desk.pk])
    page = client.get(url)
    assert page.status_code == 200
    return url, change_form_data(page)


@pytest.mark.parametrize(
    ("opens", "closes"),
    [("14:00", "16:00"), ("15:00", "17:00"), ("13:00", "14:30"), ("14:30", "15:30")],
    ids=["identical", "overlaps-end", "overlaps-start", "inside"],
)
def test_admin_refuses_a_slot_that_repeats_or_overlaps_a_saved_one(client, operatore_sesto, desk, opens, closes):
    client.force_login(operatore_sesto)
    url, data = _change(client, desk)
    add_inline_row(data, "slots", weekday="1", opens=opens, closes=closes)
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error: no 500, no redirect
    html = response.content.decode()
    assert "si sovrappone" in html or "c&#x27;è già" in html
    assert desk.slots.count() == 1


def test_admin_refuses_two_identical_new_slots_in_the_same_form(client, operatore_sesto, desk):
    client.force_login(operatore_sesto)
    url, data = _change(client, desk)
    add_inline_row(data, "slots", weekday="3", opens="09:00", closes="12:00")
    add_inline_row(data, "slots", weekday="3", opens="09:00", closes="12:00")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "si sovrappone" in response.content.decode()
    assert desk.slots.count() == 1


def test_adjacent_slots_and_other_days_are_accepted(client, operatore_sesto, desk):
    client.force_login(operatore_sesto)
    url, data = _change(client, desk)
    add_inline_row(data, "slots", weekday="1", opens="16:00", closes="18:00")
    add_inline_row(data, "slots", weekday="2", opens="14:00", closes="16:00")
    response = client.post(url, data)
    assert response.status_code == 302, response.context and (
        response.context["adminform"].form.errors,
        [f.formset.errors for f in response.context["inline_admin_formsets"]],
    )
    assert desk.slots.count() == 3


def test_service_refuses_an_overlap_with_a_clear_message(operatore_sesto, desk):
    with pytest.raises(ValidationError, match="si sovrappone"):
        opening_slot_save(
            slot=OpeningSlot(sportello=desk, weekday=1, opens=dt.time(15), closes=dt.time(18)), by=operatore_sesto
        )
    assert desk.slots.count() == 1


def test_database_refuses_an_identical_slot_whatever_the_caller(desk):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningSlot.objects.create(sportello=desk, weekday=1, opens=dt.time(14), closes=dt.time(16))


def test_dedupe_migration_keeps_one_of_identical_slots(desk):
    constraint = "slot_unique_per_desk_day"
    from django.db import connection

    migration = importlib.import_module("services.migrations.0006_opening_slot_unique")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'ALTER TABLE services_openingslot DROP CONSTRAINT "{constraint}"')
    OpeningSlot.objects.bulk_create(
        [OpeningSlot(sportello=desk, weekday=1, opens=dt.time(14), closes=dt.time(16)) for _ in range(2)]
    )
    assert desk.slots.count() == 3
    migration.drop_duplicate_slots(django_apps, None)
    assert list(desk.slots.values_list("weekday", "opens", "closes")) == [(1, dt.time(14), dt.time(16))]


def test_public_page_shows_each_slot_once(client, desk):
    OpeningSlot.objects.create(sportello=desk, weekday=1, opens=dt.time(9), closes=dt.time(12))
    html = client.get(desk.get_absolute_url()).content.decode()
    assert html.count("14:00") == html.count("16:00")
    assert "14:00–16:00, 14:00–16:00" not in html

"""Issue 11: ambiti sort naturally ("Ambito 2" before "Ambito 10") in every list and choice."""

import re

import pytest
from django.urls import reverse

from common.text import natural_key
from territories.models import Ambito

pytestmark = pytest.mark.django_db


def _numbered(names):
    """The "Ambito N ..." names in the order shown."""
    return [name for name in names if re.match(r"Ambito \d+", name)]


def _in_natural_order(names):
    return names == sorted(names, key=natural_key)


def test_default_ordering_puts_ambito_2_before_ambito_10_within_a_provincia():
    by_provincia = {}
    for ambito in Ambito.objects.select_related("provincia"):
        by_provincia.setdefault(ambito.provincia_id, []).append(ambito.name)
    assert any(len(_numbered(names)) > 2 for names in by_provincia.values())
    for names in by_provincia.values():
        assert _in_natural_order(names), names


def test_changelist_filter_is_in_natural_order(client, coordinatore):
    client.force_login(coordinatore)
    response = client.get(reverse("admin:services_sportello_changelist"))
    html = response.content.decode()
    shown = _numbered(re.findall(r"ambito__id__exact=\d+[^>]*>\s*([^<]+?)\s*</a>", html))
    assert _in_natural_order([name for name in shown if "Bresc" in name])


def test_autocomplete_answers_in_natural_order(client, coordinatore):
    client.force_login(coordinatore)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "services", "model_name": "sportello", "field_name": "ambito", "term": "Ambito"},
    )
    names = [row["text"] for row in response.json()["results"]]
    brescia = [name for name in _numbered(names) if name.split(" ", 2)[1] in {"2", "7", "9", "10", "11", "12"}]
    assert len(brescia) >= 3
    assert _in_natural_order(brescia)


def test_form_dropdown_is_in_natural_order(client, coordinatore):
    client.force_login(coordinatore)
    response = client.get(reverse("admin:reports_activity_add"))
    field = response.context["adminform"].form.fields["ambito"]
    names = [ambito.name for ambito in field.queryset if ambito.provincia.name == "Brescia"]
    assert _in_natural_order(names)

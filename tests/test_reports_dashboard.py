"""Dashboard: every ambito (also at zero), named bars, natural order, province narrows ambiti."""

import pytest
from django.urls import reverse

from common.text import natural_key
from territories.models import Ambito, Provincia
from tests.factories import ActivityFactory, BeneficiaryGroupFactory

pytestmark = pytest.mark.django_db


def test_natural_key_puts_2_before_10():
    names = ["Ambito 10 Bergamo", "Ambito 2 Bergamo", "ambito 1 Bergamo", "Àmbito 3"]
    assert sorted(names, key=natural_key) == ["ambito 1 Bergamo", "Ambito 2 Bergamo", "Àmbito 3", "Ambito 10 Bergamo"]


def test_dashboard_lists_all_35_ambiti_including_zeros_in_natural_order(login):
    BeneficiaryGroupFactory(activity=ActivityFactory(), count=4)
    context = login("coordinatore").get(reverse("admin:reports_dashboard")).context
    names = [row["ambito"].name for row in context["ambito_rows"]]
    assert len(names) == 35
    assert names == sorted(names, key=natural_key)
    zero = [row for row in context["ambito_rows"] if row["activities"] == 0]
    assert zero and all(row["per_macro"] == [0, 0, 0, 0] for row in zero)
    choices = [label for value, label in context["form"].fields["ambito"].choices if value]
    assert choices == sorted(choices, key=natural_key)


def test_operator_dashboard_has_only_their_ambito(login):
    context = login("operatore_sesto").get(reverse("admin:reports_dashboard")).context
    assert [row["ambito"].slug for row in context["ambito_rows"]] == ["sesto-san-giovanni"]


def test_province_narrows_the_ambito_choices_and_rows(login):
    cremona = Provincia.objects.get(name__icontains="Cremona")
    response = login("coordinatore").get(reverse("admin:reports_dashboard"), {"provincia": cremona.pk})
    expected = set(Ambito.objects.filter(provincia=cremona).values_list("name", flat=True))
    choices = {label for value, label in response.context["form"].fields["ambito"].choices if value}
    assert choices == expected
    assert {row["ambito"].name for row in response.context["ambito_rows"]} == expected


def test_bars_are_labelled_with_the_macro_azione_names(login):
    html = login("coordinatore").get(reverse("admin:reports_dashboard")).content.decode()
    assert "1. Scuole in contesti multiculturali" in html
    assert 'class="table-scroll"' in html

"""Issue 11: translating in the admin — one language switch per form, names, RTL, counters."""

import re

import pytest
from django.urls import reverse

from access import permissions
from labimpact.translation_status import done_languages
from services.models import ServiceCategory, Sportello
from territories.models import Ambito
from tests.admin_forms import change_form_data
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(operatore_sesto):
    ambito = Ambito.objects.get(pk=min(permissions.grants_for(operatore_sesto).ambito_ids))
    desk = SportelloFactory(ambito=ambito, description="Sportello per chi arriva in Italia.")
    desk.categories.add(ServiceCategory.objects.first())
    return desk


@pytest.fixture
def page(client, operatore_sesto, desk):
    client.force_login(operatore_sesto)
    return client.get(reverse("admin:services_sportello_change", args=[desk.pk])).content.decode()


def _tag(html, name):
    match = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_one_switch_with_language_names_replaces_the_tabs(page):
    assert page.count('class="labimpact-lang-switch"') == 1
    assert "admin-language-switch.js" in page
    assert "tabbed_translation_fields.js" not in page
    buttons = re.findall(r'data-lang-target="([^"]+)"[^>]*>\s*([^<]+?)\s*<', page)
    names = dict(buttons)
    assert names["uk"] == "Ucraino"
    assert names["ar"] == "Arabo"
    assert all(name.upper() != code.upper() for code, name in buttons)


@pytest.mark.parametrize(("code", "direction"), [("ar", "rtl"), ("ur", "rtl"), ("it", "ltr"), ("uk", "ltr")])
def test_inputs_carry_their_language_and_direction(page, code, direction):
    tag = _tag(page, f"description_{code}")
    assert f'lang="{code}"' in tag
    assert f'dir="{direction}"' in tag
    assert f'data-lang="{code}"' in tag


def test_labels_name_the_language_not_the_code(page):
    assert re.search(r'<label[^>]*for="id_description_uk"[^>]*>[^<]*\(Ucraino\)', page)
    assert "[uk]" not in page


def test_no_inline_script_on_the_form(page):
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_counter_shows_the_saved_state_after_a_save(client, operatore_sesto, desk):
    client.force_login(operatore_sesto)
    url = reverse("admin:services_sportello_change", args=[desk.pk])
    before = done_languages(Sportello.objects.get(pk=desk.pk))
    data = change_form_data(client.get(url))
    for field in ("name", "description", "audience", "how_to_access", "what_to_bring", "what_you_get"):
        source = data.get(f"{field}_it", "")
        if source:
            data[f"{field}_en"] = f"{source} (EN)"
    data["_continue"] = "Salva e continua le modifiche"
    response = client.post(url, data, follow=True)
    after = done_languages(Sportello.objects.get(pk=desk.pk))
    assert after == before + 1
    html = response.content.decode()
    counter = re.search(r'<output class="labimpact-lang-count"[^>]*>\s*([^<]+?)\s*</output>', html).group(1)
    assert counter == f"{after}/10 lingue"


def test_untranslated_page_links_each_count_to_the_same_rows(client, coordinatore, desk):
    from services.models import Guide

    Guide.objects.create(title="Guida regionale da tradurre", slug="guida-regionale-da-tradurre", summary="Testo")
    client.force_login(coordinatore)
    response = client.get(reverse("admin:reports_translations"))
    rows = response.context["rows"]
    codes = [code for code, _name in response.context["languages"]]
    regional = [row for row in rows if row["ambito"] is None]
    assert regional, "the Regione's own content is counted too"
    desk_row = next(
        row for row in rows if row["ambito"] == desk.ambito and row["kind"] == Sportello._meta.verbose_name_plural
    )
    checked = 0
    for row in (regional[0], desk_row):
        for code in ("ar", "uk"):
            cell = row["cells"][codes.index(code)]
            assert cell["count"] >= 1
            assert f'href="{cell["url"]}"'.replace("&", "&amp;") in response.content.decode()
            changelist = client.get(cell["url"])
            assert changelist.status_code == 200
            assert changelist.context["cl"].result_count == cell["count"]
            checked += 1
    assert checked == 4

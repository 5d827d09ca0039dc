"""Role × page matrix for the back office, and the row-level rules behind it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mediation.models import Mediator
from schools.models import School
from services.models import Sportello
from services.services import sportello_save
from territories import permissions
from territories.models import Ambito, Partner
from tests.conftest import PERSONAS
from tests.factories import SportelloFactory

pytestmark = pytest.mark.django_db

OK, DENIED, LOGIN = 200, 403, 302

# What each persona gets on each changelist, written out by hand (not derived from the
# permission table, so that a change to the table has to be confirmed here).
MATRIX = {
    #                                 coord  op_sesto op_crem referente mediatrice anonymous
    "territories_provincia": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "territories_comune": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "territories_partnertype": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "territories_partner": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "territories_ambito": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "territories_membership": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "auth_user": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "auth_group": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "plan_plan": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "plan_macroazione": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "services_servicecategory": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "services_language": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "services_sportello": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "schools_school": (OK, OK, OK, OK, DENIED, LOGIN),
    "mediation_mediator": (OK, OK, OK, DENIED, OK, LOGIN),
    "services_guide": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "reports_activity": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "feedback_report": (OK, OK, OK, DENIED, DENIED, LOGIN),
    "feedback_pagefeedback": (OK, OK, OK, DENIED, DENIED, LOGIN),
    # Login lock-outs (django-axes): the Regione unlocks accounts, nobody else sees them.
    "axes_accessattempt": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "axes_accessfailurelog": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "axes_accesslog": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    # Background tasks that failed or wait for the broker (ops): the Regione only.
    "ops_failedjob": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "ops_outboxmessage": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    # Second-step devices (twofactor): the Regione resets a lost phone.
    "otp_totp_totpdevice": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
    "otp_static_staticdevice": (OK, DENIED, DENIED, DENIED, DENIED, LOGIN),
}


def test_every_admin_changelist_is_in_the_matrix():
    from django.contrib import admin

    registered = {f"{model._meta.app_label}_{model._meta.model_name}" for model in admin.site._registry}
    missing = registered - set(MATRIX) - MATRIX_ELSEWHERE
    assert not missing, f"add these changelists to MATRIX: {sorted(missing)}"


# Changelists whose matrix lives with their own app's tests.
MATRIX_ELSEWHERE = {"content_material", "content_news"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", sorted(MATRIX))
def test_changelist_matrix(login, persona, page):
    expected = MATRIX[page][PERSONAS.index(persona)]
    response = login(persona).get(reverse(f"admin:{page}_changelist"))
    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_index_is_for_staff_only(login, persona):
    response = login(persona).get(reverse("admin:index"))
    assert response.status_code == (LOGIN if persona == "anonymous" else OK)


# Object pages: who reaches the change page of a record of Sesto, and of Cremona.
OBJECT_MATRIX = {
    #               coord  op_sesto op_crem referente mediatrice
    "sportello_sesto": (OK, OK, 404, 403, 403),
    "sportello_cremona": (OK, 404, OK, 403, 403),
    "school_sesto": (OK, OK, 404, OK, 403),
    "school_cremona": (OK, 404, OK, 404, 403),
    "ambito_sesto": (OK, OK, 404, 403, 403),
    "ambito_cremona": (OK, 404, OK, 403, 403),
    "mediator_samira": (OK, OK, 404, 403, OK),
    "mediator_olena": (OK, 404, OK, 403, 404),
}


def _object_url(name):
    targets = {
        "sportello_sesto": Sportello.objects.get(slug="sportello-stranieri-sesto-demo"),
        "sportello_cremona": Sportello.objects.get(slug="sportello-stranieri-cremona-demo"),
        "school_sesto": School.objects.get(code="MIIC00001D"),
        "school_cremona": School.objects.get(code="CRIC00001D"),
        "ambito_sesto": Ambito.objects.get(slug="sesto-san-giovanni"),
        "ambito_cremona": Ambito.objects.get(slug="cremonese-casalasco"),
        "mediator_samira": Mediator.objects.get(first_name="Samira"),
        "mediator_olena": Mediator.objects.get(first_name="Olena"),
    }
    obj = targets[name]
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("persona", PERSONAS[:-1])
@pytest.mark.parametrize("target", sorted(OBJECT_MATRIX))
def test_change_page_matrix(login, persona, target):
    expected = OBJECT_MATRIX[target][PERSONAS.index(persona)]
    assert login(persona).get(_object_url(target)).status_code == expected


def test_operator_sees_only_own_ambito_desks(login):
    response = login("operatore_sesto").get(reverse("admin:services_sportello_changelist"))
    shown = {obj.slug for obj in response.context["cl"].result_list}
    assert shown == set(Sportello.objects.filter(ambito__slug="sesto-san-giovanni").values_list("slug", flat=True))
    assert "sportello-stranieri-cremona-demo" not in shown


def test_operator_cannot_change_other_ambito_desk_by_post(login):
    desk = Sportello.objects.get(slug="sportello-stranieri-cremona-demo")
    url = reverse("admin:services_sportello_change", args=[desk.pk])
    response = login("operatore_sesto").post(url, {"name_it": "Preso!"})
    assert response.status_code == 404
    desk.refresh_from_db()
    assert desk.name_it != "Preso!"


def test_operator_cannot_delete_other_ambito_desk(login):
    desk = Sportello.objects.get(slug="sportello-stranieri-cremona-demo")
    url = reverse("admin:services_sportello_delete", args=[desk.pk])
    assert login("operatore_sesto").post(url, {"post": "yes"}).status_code == 404
    assert Sportello.objects.filter(pk=desk.pk).exists()


def test_operator_bulk_delete_touches_only_own_rows(login):
    own = SportelloFactory()
    other = Sportello.objects.get(slug="sportello-stranieri-cremona-demo")
    client = login("operatore_sesto")
    client.post(
        reverse("admin:services_sportello_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk, other.pk], "post": "yes"},
    )
    assert not Sportello.objects.filter(pk=own.pk).exists()
    assert Sportello.objects.filter(pk=other.pk).exists()


def test_operator_history_of_other_ambito_desk_is_refused(login):
    desk = Sportello.objects.get(slug="sportello-stranieri-cremona-demo")
    url = reverse("admin:services_sportello_history", args=[desk.pk])
    assert login("operatore_sesto").get(url).status_code in (403, 404)
    assert login("operatore_cremona").get(url).status_code == 200


def test_foreign_key_choices_are_narrowed_to_own_ambito(login):
    response = login("operatore_sesto").get(reverse("admin:services_sportello_add"))
    ambiti = response.context["adminform"].form.fields["ambito"].queryset
    assert list(ambiti.values_list("slug", flat=True)) == ["sesto-san-giovanni"]


def test_autocomplete_offers_only_visible_partners(login):
    url = reverse("admin:autocomplete")
    params = {"app_label": "services", "model_name": "sportello", "field_name": "partner", "term": "Azienda Sociale"}
    results = login("operatore_sesto").get(url, params).json()["results"]
    assert "Azienda Sociale Cremonese" not in {r["text"] for r in results}
    results = login("operatore_cremona").get(url, params).json()["results"]
    assert "Azienda Sociale Cremonese" in {r["text"] for r in results}


def test_operator_edit_keeps_a_shared_mediators_other_ambiti(login):
    li = Mediator.objects.get(first_name="Li")
    url = reverse("admin:mediation_mediator_change", args=[li.pk])
    client = login("operatore_sesto")
    form = client.get(url).context["adminform"].form
    data = {
        "first_name": "Li",
        "last_name": li.last_name,
        "email": "li.wei@demo.labimpact.invalid",
        "phone": "",
        "languages": [lang.pk for lang in li.languages.all()],
        "ambiti": [a.pk for a in form.fields["ambiti"].queryset],
        "is_available": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    li.refresh_from_db()
    assert li.email == "li.wei@demo.labimpact.invalid"
    assert set(li.ambiti.values_list("slug", flat=True)) == {"sesto-san-giovanni", "cremonese-casalasco"}


def test_operator_cannot_change_ambito_budget(login):
    sesto = Ambito.objects.get(slug="sesto-san-giovanni")
    client = login("operatore_sesto")
    form = client.get(reverse("admin:territories_ambito_change", args=[sesto.pk])).context["adminform"].form
    assert "budget" not in form.fields and "capofila" not in form.fields
    assert "email" in form.fields


def test_school_referent_reads_but_cannot_change_own_school(login):
    school = School.objects.get(code="MIIC00001D")
    url = reverse("admin:schools_school_change", args=[school.pk])
    client = login("referente_scuola")
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Rinominata"}).status_code == 403
    school.refresh_from_db()
    assert school.name != "Rinominata"


def test_mediator_updates_own_availability_only(login):
    samira = Mediator.objects.get(first_name="Samira")
    url = reverse("admin:mediation_mediator_change", args=[samira.pk])
    client = login("mediatrice")
    form = client.get(url).context["adminform"].form
    assert "ambiti" not in form.fields and "last_name" not in form.fields
    data = {
        "email": "samira@demo.labimpact.invalid",
        "phone": "",
        "languages": [lang.pk for lang in samira.languages.all()],
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    samira.refresh_from_db()
    assert samira.is_available is False  # unchecked box
    assert samira.email == "samira@demo.labimpact.invalid"


def test_service_refuses_desk_in_another_ambito(operatore_sesto):
    desk = SportelloFactory.build(ambito=Ambito.objects.get(slug="cremonese-casalasco"))
    with pytest.raises(ValidationError) as info:
        sportello_save(sportello=desk, by=operatore_sesto)
    assert "ambito" in info.value.message_dict
    assert not Sportello.objects.filter(slug=desk.slug).exists()


def test_service_refuses_writes_from_read_only_roles(referente_scuola):
    desk = SportelloFactory.build()
    with pytest.raises(PermissionDenied):
        sportello_save(sportello=desk, by=referente_scuola)


def test_service_refuses_moving_another_ambitos_desk_into_own(operatore_sesto):
    desk = Sportello.objects.get(slug="sportello-stranieri-cremona-demo")
    desk.ambito = Ambito.objects.get(slug="sesto-san-giovanni")
    with pytest.raises(PermissionDenied):
        sportello_save(sportello=desk, by=operatore_sesto)


def test_partner_registered_by_operator_joins_their_network(operatore_sesto):
    from territories.models import PartnerType
    from territories.services import partner_save

    partner = Partner(name="Associazione Donne del Mondo (demo)", type=PartnerType.objects.get(key="associazione"))
    partner_save(partner=partner, by=operatore_sesto)
    assert partner.ambito.slug == "sesto-san-giovanni"
    assert partner.memberships.filter(ambito__slug="sesto-san-giovanni").exists()
    assert permissions.can_access_object(operatore_sesto, permissions.CHANGE, partner)


def test_anonymous_and_inactive_users_have_no_grants(operatore_sesto):
    from django.contrib.auth.models import AnonymousUser

    assert permissions.visible(AnonymousUser(), Sportello.objects.all()).count() == 0
    operatore_sesto.is_active = False
    assert permissions.visible(operatore_sesto, Sportello.objects.all()).count() == 0


def test_changelist_query_count_does_not_grow_with_rows(login, django_assert_max_num_queries):
    client = login("operatore_sesto")
    url = reverse("admin:services_sportello_changelist")
    client.get(url)
    SportelloFactory.create_batch(30)
    with django_assert_max_num_queries(15):
        client.get(url)

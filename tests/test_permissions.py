"""Role × page matrix for the back office, and the row-level rules behind it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse

from access import permissions
from access.roles import (
    ASSOCIATION_REP,
    COORDINATOR,
    LEGAL_CONSULTANT,
    MEDIATOR,
    OPERATOR,
    ROLES,
    SCHOOL_REFERENT,
    SOCIAL_WORKER,
)
from mediation.models import Mediator
from schools.models import School
from services.models import Sportello
from services.services import sportello_save
from territories.models import Ambito, Partner
from tests.conftest import PERSONAS
from tests.factories import SportelloFactory
from tests.mediation_helpers import admin_form_data

pytestmark = pytest.mark.django_db

OK, DENIED, LOGIN = 200, 403, 302

CO, OP, SR, ME, AR = COORDINATOR, OPERATOR, SCHOOL_REFERENT, MEDIATOR, ASSOCIATION_REP
SW, LC = SOCIAL_WORKER, LEGAL_CONSULTANT
EVERY_ROLE = {CO, OP, SR, ME, SW, LC, AR}

# The persona that plays each declared role in these tables (a new role adds one here).
PERSONA = {
    CO: "coordinatore",
    OP: "operatore_sesto",
    SR: "referente_scuola",
    ME: "mediatrice",
    SW: "assistente_sociale",
    LC: "consulente_legale",
    AR: "associazione_demo",
}

# Every back-office page without an object: (URL name, roles that open it). Written out by
# hand, not derived from the permission table, so that a change to the table has to be
# confirmed here. Other roles get 403, anonymous visitors the login page.
PAGES = [
    ("admin:index", EVERY_ROLE),
    ("admin:territories_provincia_changelist", {CO, OP}),
    ("admin:territories_provincia_add", set()),
    ("admin:territories_comune_changelist", {CO, OP}),
    ("admin:territories_comune_add", set()),
    ("admin:territories_partnertype_changelist", {CO, OP}),
    ("admin:territories_partnertype_add", {CO}),
    ("admin:territories_partner_changelist", {CO, OP}),
    ("admin:territories_partner_add", {CO, OP}),
    ("admin:territories_ambito_changelist", {CO, OP}),
    ("admin:territories_ambito_add", {CO}),
    ("admin:access_membership_changelist", {CO}),
    ("admin:access_membership_add", {CO}),
    ("admin:auth_user_changelist", {CO}),
    ("admin:auth_user_add", {CO}),
    ("admin:auth_group_changelist", {CO}),
    ("admin:auth_group_add", {CO}),
    ("admin:plan_plan_changelist", {CO, OP}),
    ("admin:plan_plan_add", {CO}),
    ("admin:plan_macroazione_changelist", {CO, OP}),
    ("admin:plan_macroazione_add", {CO}),
    ("admin:services_servicecategory_changelist", {CO, OP}),
    ("admin:services_servicecategory_add", {CO}),
    ("admin:services_language_changelist", {CO, OP}),
    ("admin:services_language_add", {CO}),
    ("admin:services_sportello_changelist", {CO, OP}),
    ("admin:services_sportello_add", {CO, OP}),
    ("admin:services_guide_changelist", {CO, OP}),
    ("admin:services_guide_add", {CO, OP}),
    ("admin:schools_school_changelist", {CO, OP, SR}),
    ("admin:schools_school_add", {CO, OP}),
    ("admin:mediation_mediator_changelist", {CO, OP, ME}),
    ("admin:mediation_mediator_add", {CO, OP}),
    ("admin:reports_activity_changelist", {CO, OP}),
    ("admin:reports_activity_add", {CO, OP}),
    ("admin:reports_exportjob_changelist", {CO, OP}),
    ("admin:reports_exportjob_choose", {CO, OP}),
    ("admin:reports_exportjob_add", set()),
    ("admin:reports_importjob_changelist", {CO, OP}),
    ("admin:reports_importjob_add", set()),
    ("admin:reports_dashboard", {CO, OP}),
    ("admin:reports_translations", {CO, OP}),
    ("admin:content_material_changelist", {CO, OP}),
    ("admin:content_material_add", {CO, OP}),
    ("admin:content_news_changelist", {CO, OP}),
    ("admin:content_news_add", {CO, OP}),
    # What the public sends: read and moderated, never written in the back office.
    ("admin:feedback_report_changelist", {CO, OP}),
    ("admin:feedback_report_add", set()),
    ("admin:feedback_pagefeedback_changelist", {CO, OP}),
    ("admin:feedback_pagefeedback_add", set()),
    # Login lock-outs (django-axes): the Regione unlocks accounts, nobody else sees them.
    ("admin:axes_accessattempt_changelist", {CO}),
    ("admin:axes_accessattempt_add", set()),
    ("admin:axes_accessfailurelog_changelist", {CO}),
    ("admin:axes_accessfailurelog_add", set()),
    ("admin:axes_accesslog_changelist", {CO}),
    ("admin:axes_accesslog_add", set()),
    # Mediation and legal consultancy (issue 10); object pages in test_mediation_pages.py.
    ("admin:mediation_mediationrequest_changelist", {CO, OP, SR, ME, SW}),
    ("admin:mediation_mediationrequest_add", set()),
    ("admin:mediation_socialworker_changelist", {CO, OP}),
    ("admin:mediation_socialworker_add", {CO, OP}),
    ("admin:legal_legalconsultant_changelist", {CO, OP, LC}),
    ("admin:legal_legalconsultant_add", {CO}),
    ("mediation:new", {SR, SW}),
    ("mediation:mine", {SR, SW}),
    ("mediation:queue", {CO, OP}),
    ("mediation:mediator", {ME}),
    ("mediation:measures", {CO, OP}),
    ("legal:list", {CO, OP, LC}),
    ("legal:new", {OP}),
    ("legal:faq", {CO, OP, LC}),
    # Associations: the ambito moderates; a representative keeps its page and events.
    ("admin:associations_association_changelist", {CO, OP, AR}),
    ("admin:associations_association_add", {CO, OP}),
    ("admin:associations_representative_changelist", {CO, OP}),
    ("admin:associations_representative_add", set()),
    ("admin:associations_event_changelist", {CO, OP, AR}),
    ("admin:associations_event_add", {CO, OP, AR}),
    # Newsletter addresses: the Regione only (and only it exports them).
    ("admin:newsletter_subscriber_changelist", {CO}),
    ("admin:newsletter_subscriber_add", set()),
    ("admin:newsletter_subscriber_export", {CO}),
    ("admin:newsletter_issue_changelist", {CO, OP}),
    ("admin:newsletter_issue_add", {CO, OP}),
    # Background tasks that failed or wait for the broker (ops), second-step devices
    # (twofactor): the Regione only; nobody adds them by hand.
    ("admin:ops_failedjob_changelist", {CO}),
    ("admin:ops_failedjob_add", set()),
    ("admin:ops_outboxmessage_changelist", {CO}),
    ("admin:ops_outboxmessage_add", set()),
    ("admin:otp_totp_totpdevice_changelist", {CO}),
    ("admin:otp_totp_totpdevice_add", set()),
    ("admin:otp_static_staticdevice_changelist", {CO}),
    ("admin:otp_static_staticdevice_add", set()),
]
# Login-only URLs that are not pages of the table: the session itself, and autocomplete
# (which needs a field to answer for; tested with its scope below).
NOT_PAGES = {
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    "admin:autocomplete",
    # The second login step (twofactor): every logged-in user's own, tested in test_twofactor.py.
    "twofactor:setup",
    "twofactor:verify",
    "twofactor:recovery_codes",
}


def test_every_role_has_a_persona():
    assert set(PERSONA) == set(ROLES)


def _no_argument_urls():
    from django.urls import URLResolver, get_resolver

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                )
            elif pattern.name:
                yield namespace + pattern.name

    for name in sorted(set(walk(get_resolver().url_patterns))):
        try:
            yield name, reverse(name)
        except NoReverseMatch:
            continue


def test_every_registered_admin_is_in_the_matrix():
    from django.contrib import admin

    pages = {name for name, _ in PAGES}
    missing = set()
    for model in admin.site._registry:
        opts = model._meta
        for page in ("changelist", "add"):
            if f"admin:{opts.app_label}_{opts.model_name}_{page}" not in pages:
                missing.add(f"admin:{opts.app_label}_{opts.model_name}_{page}")
    assert not missing, f"add these pages to PAGES: {sorted(missing)}"


def test_every_login_only_url_is_in_the_matrix(client):
    pages = {name for name, _ in PAGES} | NOT_PAGES
    login_only = []
    for name, url in _no_argument_urls():
        response = client.get(url)
        if response.status_code == 302 and reverse("admin:login") in response["Location"]:
            login_only.append(name)
    missing = set(login_only) - pages
    assert not missing, f"add these login-only pages to PAGES: {sorted(missing)}"
    assert {name for name, _ in PAGES} <= set(login_only), "PAGES names a page anyone can open"


@pytest.mark.parametrize("role", sorted(PERSONA))
@pytest.mark.parametrize(("page", "roles"), PAGES, ids=[name for name, _ in PAGES])
def test_page_matrix(login, role, page, roles):
    response = login(PERSONA[role]).get(reverse(page))
    assert response.status_code == (OK if role in roles else DENIED)


@pytest.mark.parametrize(("page", "roles"), PAGES, ids=[name for name, _ in PAGES])
def test_pages_send_anonymous_visitors_to_login(client, page, roles):
    response = client.get(reverse(page))
    assert response.status_code == LOGIN and reverse("admin:login") in response["Location"]


# Object pages: (record, personas that open its change page, personas told it does not
# exist). Every other persona gets 403 (their role has no page for such records).
OBJECT_PAGES = [
    ("sportello_sesto", {"coordinatore", "operatore_sesto"}, {"operatore_cremona"}),
    ("sportello_cremona", {"coordinatore", "operatore_cremona"}, {"operatore_sesto"}),
    ("school_sesto", {"coordinatore", "operatore_sesto", "referente_scuola"}, {"operatore_cremona"}),
    ("school_cremona", {"coordinatore", "operatore_cremona"}, {"operatore_sesto", "referente_scuola"}),
    ("ambito_sesto", {"coordinatore", "operatore_sesto"}, {"operatore_cremona"}),
    ("ambito_cremona", {"coordinatore", "operatore_cremona"}, {"operatore_sesto"}),
    ("mediator_samira", {"coordinatore", "operatore_sesto", "mediatrice"}, {"operatore_cremona"}),
    ("mediator_olena", {"coordinatore", "operatore_cremona"}, {"operatore_sesto", "mediatrice"}),
]


def _object_url(name):
    targets = {
        "sportello_sesto": lambda: Sportello.objects.get(slug="sportello-stranieri-sesto-demo"),
        "sportello_cremona": lambda: Sportello.objects.get(slug="sportello-stranieri-cremona-demo"),
        "school_sesto": lambda: School.objects.get(code="MIIC00001D"),
        "school_cremona": lambda: School.objects.get(code="CRIC00001D"),
        "ambito_sesto": lambda: Ambito.objects.get(slug="sesto-san-giovanni"),
        "ambito_cremona": lambda: Ambito.objects.get(slug="cremonese-casalasco"),
        "mediator_samira": lambda: Mediator.objects.get(first_name="Samira"),
        "mediator_olena": lambda: Mediator.objects.get(first_name="Olena"),
    }
    obj = targets[name]()
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("persona", PERSONAS[:-1])
@pytest.mark.parametrize(("target", "opens", "hidden"), OBJECT_PAGES, ids=[t for t, _, _ in OBJECT_PAGES])
def test_change_page_matrix(login, persona, target, opens, hidden):
    expected = OK if persona in opens else 404 if persona in hidden else DENIED
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
    page = client.get(url)
    form = page.context["adminform"].form
    data = admin_form_data(page)  # with the inlines (languages, availability…) as they are
    data.update(
        {
            "email": "li.wei@demo.labimpact.invalid",
            "ambiti": [a.pk for a in form.fields["ambiti"].queryset],
        }
    )
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
    page = client.get(url)
    form = page.context["adminform"].form
    assert "ambiti" not in form.fields and "last_name" not in form.fields
    data = admin_form_data(page)
    data["email"] = "samira@demo.labimpact.invalid"
    data.pop("is_available")
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

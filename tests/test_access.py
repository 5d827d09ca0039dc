"""The access layer checks itself: the table resolves, the backend agrees with the admin,
roles derive Membership's rules, and the routes found by the review of issue 9 are closed."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse

from access import permissions
from access.models import Membership
from access.roles import BINDING_FIELDS, MEMBERSHIP_ROLES, ROLES
from access.scope import get_scoped_or_404, require
from content.models import News
from mediation.models import Mediator
from schools.models import School
from services.models import Guide
from territories.models import Ambito, NetworkMembership, Partner
from territories.services import partner_save
from tests.conftest import PERSONAS
from tests.factories import AmbitoFactory, MediatorFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

USERS = PERSONAS[:-1]


def _sesto():
    return Ambito.objects.get(slug="sesto-san-giovanni")


def _cremona():
    return Ambito.objects.get(slug="cremonese-casalasco")


# --- the table resolves ------------------------------------------------------------------
def _model(label):
    return apps.get_model(label)


@pytest.mark.parametrize("label", sorted(permissions.ACTIONS))
def test_every_label_of_the_table_is_a_model_or_a_declared_page(label):
    if label in permissions.PAGES:
        with pytest.raises(LookupError):
            _model(label)
        return
    assert _model(label) is not None
    assert label in permissions.SCOPES, f"{label}: declare how its rows are scoped in SCOPES"


@pytest.mark.parametrize("label", sorted(permissions.ACTIONS))
def test_every_role_of_the_table_is_declared(label):
    assert set(permissions.ACTIONS[label]) <= set(ROLES)
    for actions in permissions.ACTIONS[label].values():
        assert actions <= permissions.ALL


@pytest.mark.parametrize("label", sorted(permissions.SCOPES))
def test_every_scope_path_resolves(label):
    model = _model(label)
    scope = permissions.SCOPES[label]
    kinds = {role.binds for role in ROLES.values() if role.binds}
    for kind, path in scope.all_paths():
        assert kind in kinds, f"{label}: no role binds {kind!r}"
        model._default_manager.filter(**{f"{path}__in": [0]})  # FieldError if the path is wrong
    for path in scope.exclusive:
        assert model._meta.get_field(path).many_to_many


@pytest.mark.parametrize("label", sorted(permissions.FIELDS))
def test_every_field_rule_names_a_field(label):
    model = _model(label)
    for role, fields in permissions.FIELDS[label].items():
        assert role in ROLES
        assert role in permissions.ACTIONS[label], f"{label}: {role} has field rules but no actions"
        for name in fields:
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                pytest.fail(f"{label}: FIELDS names {name!r}, which the model does not have")


def test_every_registered_admin_is_in_the_table():
    missing = {m._meta.label_lower for m in admin.site._registry} - set(permissions.ACTIONS)
    assert not missing


# --- roles drive Membership ----------------------------------------------------------------
def test_membership_choices_are_the_declared_roles():
    assert [key for key, _ in Membership._meta.get_field("role").choices] == [r.key for r in MEMBERSHIP_ROLES]


@pytest.mark.parametrize("role", [r.key for r in MEMBERSHIP_ROLES])
def test_membership_requires_exactly_the_roles_binding(role):
    user = UserFactory()
    school = School.objects.get(code="MIIC00001D")
    values = {"ambito": _sesto(), "school": school}
    declared = ROLES[role]
    # Every binding field set: refused (only one, the role's, may be set).
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=role, **values)
    # Its own binding alone: accepted.
    own = {name: values[name] for name in declared.fields[:1]}
    Membership.objects.create(user=user, role=role, **own)
    if declared.fields:
        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.create(user=UserFactory(), role=role)
    assert set(BINDING_FIELDS) >= set(declared.fields)


def test_grants_follow_memberships_and_the_mediator_register(operatore_sesto, mediatrice, referente_scuola):
    assert permissions.grants_for(operatore_sesto).roles == {"operator"}
    assert permissions.grants_for(operatore_sesto).ambito_ids == {_sesto().pk}
    assert permissions.grants_for(mediatrice).mediator_id == Mediator.objects.get(user=mediatrice).pk
    assert permissions.grants_for(referente_scuola).school_ids == {School.objects.get(code="MIIC00001D").pk}
    assert permissions.grants_for(AnonymousUser()).roles == set()


# --- has_perm agrees with the admin --------------------------------------------------------
def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.parametrize("persona", USERS)
def test_has_perm_agrees_with_every_admin_for_every_action(persona):
    user = apps.get_model("auth.User").objects.get(username=persona)
    request = _request(user)
    disagreements = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        checks = {
            "view": model_admin.has_view_permission(request),
            "add": model_admin.has_add_permission(request),
            "change": model_admin.has_change_permission(request),
            "delete": model_admin.has_delete_permission(request),
        }
        for action, admin_says in checks.items():
            if user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") != admin_says:
                disagreements.append((opts.label_lower, action))
        if user.has_module_perms(opts.app_label) != any(
            admin.site._registry[m].has_module_permission(request)
            for m in admin.site._registry
            if m._meta.app_label == opts.app_label
        ):
            disagreements.append((opts.app_label, "module"))
    assert not disagreements


@pytest.mark.parametrize("persona", USERS)
def test_has_perm_agrees_with_the_admin_on_rows(persona):
    user = apps.get_model("auth.User").objects.get(username=persona)
    request = _request(user)
    rows = [
        _sesto(),
        _cremona(),
        School.objects.get(code="MIIC00001D"),
        School.objects.get(code="CRIC00001D"),
        *Mediator.objects.filter(first_name__in=["Samira", "Olena", "Li"]),
    ]
    for obj in rows:
        model_admin = admin.site._registry[type(obj)]
        opts = obj._meta
        for action in ("view", "change", "delete"):
            admin_says = getattr(model_admin, f"has_{action}_permission")(request, obj)
            assert user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}", obj) == admin_says, (obj, action)


@pytest.mark.parametrize("persona", USERS)
def test_has_perm_agrees_with_the_admin_on_rows_of_every_registered_model(persona):
    user = apps.get_model("auth.User").objects.get(username=persona)
    request = _request(user)
    disagreements = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        for obj in model._default_manager.order_by("-pk")[:3]:
            for action in ("view", "change", "delete"):
                admin_says = getattr(model_admin, f"has_{action}_permission")(request, obj)
                if user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}", obj) != admin_says:
                    disagreements.append((opts.label_lower, obj.pk, action))
    assert not disagreements


def test_pages_are_permissions_too(operatore_sesto, referente_scuola):
    assert operatore_sesto.has_perm("reports.view_dashboard")
    assert not referente_scuola.has_perm("reports.view_dashboard")
    assert not operatore_sesto.has_perm("reports.change_dashboard")
    assert not operatore_sesto.has_perm("nonsense")


def test_django_permissions_grant_nothing_beyond_the_table(operatore_sesto):
    from django.contrib.auth.models import Permission

    operatore_sesto.user_permissions.add(Permission.objects.get(codename="change_user"))
    operatore_sesto = apps.get_model("auth.User").objects.get(pk=operatore_sesto.pk)
    assert not operatore_sesto.has_perm("auth.change_user")


def test_admin_index_shows_tools_by_permission(login):
    assert "labimpact-tools" in login("operatore_sesto").get(reverse("admin:index")).content.decode()
    assert "labimpact-tools" not in login("referente_scuola").get(reverse("admin:index")).content.decode()


# --- helpers for views that are not admin views ----------------------------------------------
def test_get_scoped_or_404_and_require(operatore_sesto):
    from django.http import Http404

    own = get_scoped_or_404(operatore_sesto, permissions.CHANGE, Ambito, slug="sesto-san-giovanni")
    assert own == _sesto()
    with pytest.raises(Http404):
        get_scoped_or_404(operatore_sesto, permissions.VIEW, Ambito.objects.all(), slug="cremonese-casalasco")
    require(operatore_sesto, permissions.CHANGE, own)
    with pytest.raises(PermissionDenied):
        require(operatore_sesto, permissions.CHANGE, _cremona())
    with pytest.raises(PermissionDenied):
        require(operatore_sesto, permissions.DELETE, own)


# --- form data from a rendered admin page ----------------------------------------------------
class _FormFields(HTMLParser):
    """The values a browser would post for the first form of an admin page with a CSRF token."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(attrs.get("value") or default)
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def form_data(response, **overrides):
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {name: values if len(values) != 1 else values[0] for name, values in parser.data.items()}
    data.pop("csrfmiddlewaretoken", None)
    data.update(overrides)
    return data


# --- the six routes of issue 9 ---------------------------------------------------------------
def test_revert_cannot_restore_regione_only_fields(login, coordinatore):
    """Route 1: an operator reverting their ambito to an old version with another budget."""
    from territories.services import ambito_save

    sesto = _sesto()
    old_budget, old_name = sesto.budget, sesto.name
    ambito_save(ambito=sesto, by=coordinatore)  # a version with today's values
    version = sesto.history.latest().history_id
    sesto.budget = (old_budget or 0) + 1000
    sesto.name = old_name + " (rinominato)"
    ambito_save(ambito=sesto, by=coordinatore)

    client = login("operatore_sesto")
    url = reverse("admin:territories_ambito_simple_history", args=[sesto.pk, version])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, form_data(page))
    assert response.status_code == 200
    assert "budget Lab'Impact" in response.content.decode() or "nome" in response.content.decode()
    assert response.context["adminform"].form.errors
    sesto.refresh_from_db()
    assert sesto.budget == (old_budget or 0) + 1000
    assert sesto.name == old_name + " (rinominato)"


def test_revert_needs_change_permission(login):
    school = School.objects.get(code="MIIC00001D")
    version = school.history.latest().history_id
    client = login("referente_scuola")
    url = reverse("admin:schools_school_simple_history", args=[school.pk, version])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Rinominata"}).status_code == 403


def test_revert_of_editable_fields_still_works(login):
    sesto = _sesto()
    client = login("operatore_sesto")
    url = reverse("admin:territories_ambito_change", args=[sesto.pk])
    response = client.post(url, form_data(client.get(url), email="prima@demo.labimpact.invalid"))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    version = sesto.history.latest().history_id
    response = client.post(url, form_data(client.get(url), email="dopo@demo.labimpact.invalid"))
    assert response.status_code == 302
    history = reverse("admin:territories_ambito_simple_history", args=[sesto.pk, version])
    response = client.post(history, form_data(client.get(history)))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    sesto.refresh_from_db()
    assert sesto.email == "prima@demo.labimpact.invalid"


def test_operator_cannot_delete_a_mediator_shared_with_another_ambito(login):
    """Route 2: delete would remove the mediator for the other ambito too: refused."""
    shared = MediatorFactory(ambiti=[_sesto(), _cremona()])
    own = MediatorFactory(ambiti=[_sesto()])
    client = login("operatore_sesto")
    shared_url = reverse("admin:mediation_mediator_delete", args=[shared.pk])
    assert client.get(shared_url).status_code == 403
    assert client.post(shared_url, {"post": "yes"}).status_code == 403
    assert Mediator.objects.filter(pk=shared.pk).exists()
    response = client.post(
        reverse("admin:mediation_mediator_changelist"),
        {"action": "delete_selected", "_selected_action": [shared.pk, own.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Mediator.objects.filter(pk=shared.pk).exists()
    own_url = reverse("admin:mediation_mediator_delete", args=[own.pk])
    assert client.post(own_url, {"post": "yes"}).status_code == 302
    assert not Mediator.objects.filter(pk=own.pk).exists()
    # The Regione deletes shared ones.
    assert login("coordinatore").post(shared_url, {"post": "yes"}).status_code == 302


def test_regional_partner_in_an_operators_network_is_read_only_for_them(login, operatore_sesto):
    """Route 3: regional partners (no ambito) are the Regione's even inside a network."""
    regional = PartnerFactory(ambito=None)
    NetworkMembership.objects.create(ambito=_sesto(), partner=regional)
    assert permissions.can_access_object(operatore_sesto, permissions.VIEW, regional)
    assert not permissions.can_access_object(operatore_sesto, permissions.CHANGE, regional)
    regional.website = "https://example.invalid/"
    with pytest.raises(PermissionDenied):
        partner_save(partner=regional, by=operatore_sesto)
    regional.refresh_from_db()
    assert regional.ambito_id is None and regional.website == ""
    url = reverse("admin:territories_partner_change", args=[regional.pk])
    client = login("operatore_sesto")
    page = client.get(url)
    assert page.status_code == 200  # shown read-only
    assert client.post(url, {"name": regional.name, "type": regional.type_id}).status_code == 403
    regional.refresh_from_db()
    assert regional.ambito_id is None


def test_view_on_site_answers_404_outside_the_scope(login):
    """Route 4: /admin/r/<ct>/<id>/ must not reveal another ambito's draft."""
    draft = News.objects.create(slug="bozza-cremona-demo", title_it="Bozza (demo)", ambito=_cremona(), is_demo=True)
    url = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(News).pk, draft.pk])
    assert login("operatore_sesto").get(url).status_code == 404
    response = login("operatore_cremona").get(url)
    assert response.status_code == 302 and draft.slug in response["Location"]
    assert login("operatore_sesto").get(url.replace(f"/{draft.pk}/", "/abc/")).status_code == 404


def test_view_on_site_of_a_model_outside_the_table_is_404(login):
    url = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Membership).pk, 1])
    assert login("operatore_sesto").get(url).status_code == 404


def test_operator_opens_an_old_version_of_their_ambito(login):
    """Route 5: the history form prepopulated the slug, which is read-only for operators (500)."""
    sesto = _sesto()
    version = sesto.history.earliest().history_id
    url = reverse("admin:territories_ambito_simple_history", args=[sesto.pk, version])
    assert login("operatore_sesto").get(url).status_code == 200
    assert login("coordinatore").get(url).status_code == 200


def test_service_validation_error_is_a_form_error_not_a_403(login):
    """Route 6: an operator leaving a news item without ambito gets the service's message."""
    client = login("operatore_sesto")
    url = reverse("admin:content_news_add")
    data = form_data(client.get(url), ambito="", title_it="Notizia senza ambito (demo)", slug="senza-ambito-demo")
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "ambito" in errors
    assert "Regione Lombardia" in str(errors["ambito"])
    assert not News.objects.filter(slug="senza-ambito-demo").exists()
    data["ambito"] = str(_sesto().pk)
    assert client.post(url, data).status_code == 302
    assert News.objects.get(slug="senza-ambito-demo").ambito == _sesto()


def test_guide_without_ambito_is_a_form_error_for_an_operator(login):
    client = login("operatore_sesto")
    url = reverse("admin:services_guide_add")
    data = form_data(client.get(url), ambito="", title_it="Guida senza ambito", slug="guida-senza-ambito-demo")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ambito" in response.context["adminform"].form.errors
    assert not Guide.objects.filter(slug="guida-senza-ambito-demo").exists()


def test_ambito_factory_rows_are_outside_operators_scope(operatore_sesto):
    other = AmbitoFactory()
    assert not permissions.can_access_object(operatore_sesto, permissions.VIEW, other)
    assert not permissions.can_access_object(operatore_sesto, permissions.VIEW, Partner(pk=None))


# --- demo data through the same doors --------------------------------------------------------
def test_demo_is_written_through_the_services_and_reloading_writes_nothing(monkeypatch):
    from labimpact import demo
    from services.models import Sportello

    calls = []
    real = demo.sportello_save
    monkeypatch.setattr(demo, "sportello_save", lambda **kw: calls.append(kw["sportello"].slug) or real(**kw))
    history = Sportello.history.count()
    demo.load_demo()
    assert calls == [] and Sportello.history.count() == history
    Sportello.objects.filter(slug="sportello-stranieri-cremona-demo").delete()
    demo.load_demo()
    assert calls == ["sportello-stranieri-cremona-demo"]
    desk = Sportello.objects.get(slug="sportello-stranieri-cremona-demo")
    assert desk.is_demo and desk.slots.count() and desk.categories.count()


def test_demo_logins_are_declared_in_the_fixture():
    from labimpact.demo import demo_data

    declared = {user["username"] for user in demo_data()["users"]}
    assert declared == set(PERSONAS[:-1])


def test_the_regione_restores_a_deleted_row_from_its_history(login):
    from tests.factories import SportelloFactory

    desk = SportelloFactory()
    pk = desk.pk
    desk.delete()
    version = type(desk).history.filter(id=pk).order_by("history_id").first().history_id
    url = reverse("admin:services_sportello_simple_history", args=[pk, version])
    assert login("operatore_sesto").get(url).status_code == 403
    client = login("coordinatore")
    page = client.get(url)
    assert page.status_code == 200
    from services.models import ServiceCategory

    response = client.post(url, form_data(page, categories=[str(ServiceCategory.objects.first().pk)]))
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert type(desk).objects.filter(pk=pk).exists()

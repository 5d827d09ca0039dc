"""Every field rule of the permission table, enforced by the services (not the admin form).

For each model × role × locked field: a user of that role, a row they may change, the field
given another value, the model's service called directly → ValidationError naming the
field, and nothing written. Saving the row unchanged (and changing a free field) still works.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from access import permissions
from access.roles import MEDIATOR, OPERATOR
from content.services import material_save, news_save
from mediation.services import mediator_save
from reports.services import activity_save
from schools.services import school_save
from services.services import guide_save, sportello_save
from territories.models import Ambito, Provincia
from territories.services import ambito_save, partner_save
from tests.factories import (
    ActivityFactory,
    AmbitoFactory,
    GuideFactory,
    MaterialFactory,
    MediatorFactory,
    NewsFactory,
    PartnerFactory,
    SchoolFactory,
    SportelloFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

# How each model with field rules is saved, and how a row of it is made for an ambito.
SAVE = {
    "territories.ambito": lambda obj, by, **kw: ambito_save(ambito=obj, by=by),
    "territories.partner": lambda obj, by, **kw: partner_save(partner=obj, by=by),
    "services.sportello": lambda obj, by, **kw: sportello_save(sportello=obj, by=by),
    "services.guide": lambda obj, by, **kw: guide_save(guide=obj, by=by),
    "content.material": lambda obj, by, **kw: material_save(material=obj, by=by),
    "content.news": lambda obj, by, **kw: news_save(news=obj, by=by),
    "schools.school": lambda obj, by, **kw: school_save(school=obj, by=by),
    "mediation.mediator": lambda obj, by, **kw: mediator_save(mediator=obj, by=by, **kw),
    "reports.activity": lambda obj, by, **kw: activity_save(activity=obj, by=by),
}
MAKE = {
    "territories.ambito": lambda ambito: ambito,
    "territories.partner": lambda ambito: PartnerFactory(ambito=ambito),
    "services.sportello": lambda ambito: SportelloFactory(ambito=ambito),
    "services.guide": lambda ambito: GuideFactory(ambito=ambito),
    "content.material": lambda ambito: MaterialFactory(ambito=ambito),
    "content.news": lambda ambito: NewsFactory(ambito=ambito),
    "schools.school": lambda ambito: SchoolFactory(ambito=ambito),
    "mediation.mediator": lambda ambito: MediatorFactory(ambiti=[ambito]),
    "reports.activity": lambda ambito: ActivityFactory(ambito=ambito),
}
# A field each role may change on the row, to show the rules leave the rest free.
FREE = {
    "territories.ambito": ("email", "ambito@demo.labimpact.invalid"),
    "territories.partner": ("website", "https://example.invalid/"),
    "services.sportello": ("address", "Via Nuova 2"),
    "services.guide": ("source", "https://example.invalid/fonte"),
    "content.material": ("is_published", True),
    "content.news": ("is_published", True),
    "schools.school": ("address", "Via Nuova 2"),
    "mediation.mediator": ("phone", "02 0000 0000"),
    "reports.activity": ("place", "Biblioteca (demo)"),
}

RULES = [
    (label, role, field)
    for label, roles in sorted(permissions.FIELDS.items())
    for role, fields in sorted(roles.items())
    for field in fields
]


def test_every_model_with_field_rules_has_a_service_here():
    assert set(permissions.FIELDS) <= set(SAVE)


def _setup(label, role):
    """(user of `role`, a row of `label` that user may change)."""
    ambito = AmbitoFactory()
    row = MAKE[label](ambito)
    if role == OPERATOR:
        user = user_with_role(OPERATOR, ambito=ambito)
    elif role == MEDIATOR:
        user = user_with_role(MEDIATOR, mediator=row)
    else:  # pragma: no cover - a new role with field rules needs a case here
        pytest.fail(f"add a setup for {role}")
    assert permissions.can_access_object(user, permissions.CHANGE, row), (label, role)
    return user, row


def _another_value(row, name):
    field = row._meta.get_field(name)
    current = getattr(row, name)
    if field.many_to_many:
        return [AmbitoFactory()]
    if field.is_relation:
        model = field.related_model
        if model is Ambito:
            return AmbitoFactory()
        if model is Provincia:
            return Provincia.objects.exclude(pk=getattr(current, "pk", None)).first()
        if model._meta.label_lower == "territories.partner":
            return PartnerFactory()
        if model._meta.label_lower == "auth.user":
            return UserFactory()
        pytest.fail(f"no other value for {name}")
    if isinstance(current, bool):
        return not current
    if field.get_internal_type() == "DecimalField":
        return (current or Decimal(0)) + 1
    return f"{current or ''}-altro"[: field.max_length or 50]


@pytest.mark.parametrize(("label", "role", "name"), RULES)
def test_service_refuses_a_change_to_a_locked_field(label, role, name):
    user, row = _setup(label, role)
    value = _another_value(row, name)
    extra = {}
    if row._meta.get_field(name).many_to_many:
        extra[name] = value
    else:
        setattr(row, name, value)
    stored = type(row)._default_manager.filter(pk=row.pk).values().get()
    with pytest.raises(ValidationError) as info:
        SAVE[label](row, user, **extra)
    assert name in info.value.message_dict, info.value.message_dict
    assert type(row)._default_manager.filter(pk=row.pk).values().get() == stored


@pytest.mark.parametrize(("label", "role"), sorted({(label, role) for label, role, _ in RULES}))
def test_service_accepts_changes_to_free_fields(label, role):
    user, row = _setup(label, role)
    name, value = FREE[label]
    setattr(row, name, value)
    SAVE[label](row, user)
    row.refresh_from_db()
    assert getattr(row, name) == value


def test_field_rule_message_names_the_field():
    user, row = _setup("territories.ambito", OPERATOR)
    row.budget = Decimal("123456")
    with pytest.raises(ValidationError) as info:
        ambito_save(ambito=row, by=user)
    assert "budget Lab'Impact (€)" in info.value.message_dict["budget"][0]


def test_a_new_row_may_be_filed_under_the_operators_ambito_but_not_flagged_demo():
    ambito = AmbitoFactory()
    user = user_with_role(OPERATOR, ambito=ambito)
    desk = SportelloFactory.build(ambito=ambito, is_demo=False)
    sportello_save(sportello=desk, by=user)
    flagged = SportelloFactory.build(ambito=ambito, is_demo=True)
    with pytest.raises(ValidationError) as info:
        sportello_save(sportello=flagged, by=user)
    assert "is_demo" in info.value.message_dict


def test_the_regione_changes_every_field():
    regione = user_with_role("coordinator")
    ambito = AmbitoFactory()
    ambito.budget = Decimal("1000")
    ambito.name = "Ambito rinominato (demo)"
    ambito_save(ambito=ambito, by=regione)
    ambito.refresh_from_db()
    assert ambito.budget == Decimal("1000")


def test_operator_keeps_other_ambitos_links_of_a_shared_mediator():
    own, other = AmbitoFactory(), AmbitoFactory()
    user = user_with_role(OPERATOR, ambito=own)
    mediator = MediatorFactory(ambiti=[own, other])
    mediator_save(mediator=mediator, by=user, ambiti=[own])
    assert set(mediator.ambiti.all()) == {own, other}
    with pytest.raises(ValidationError):
        mediator_save(mediator=mediator, by=user, ambiti=[own, AmbitoFactory()])

"""Demo data for `make run` and the tests, written through the services like any other data.

The records are declared in `labimpact/data/demo.json` (users and their roles, desks with
hours and closures, schools, mediators, activities with beneficiaries, guides, materials,
news); this module only reads them and hands each one to its service (`sportello_save`,
`school_save`, `membership_save`...), acting as the Regione (`access.permissions.system_user`),
so demo rows obey every rule real rows obey. Everything is flagged `is_demo` and carries
"(demo)" in its name. Idempotent: a record is found by its natural key and saved only when
something differs, so running it twice changes nothing (and writes no history).
It needs the reference data (ambiti, comuni, lists) loaded first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import models, transaction

from access.models import Membership
from access.permissions import system_user
from access.services import membership_save, record_save
from content.demo import load_content_demo
from mediation.models import Mediator
from mediation.services import mediator_save
from reports.models import Activity, BeneficiaryGroup
from reports.services import activity_record, default_macro_azione
from schools.models import School
from schools.services import school_save
from services.models import Guide, Language, ServiceCategory, Sportello
from services.services import closure_save, guide_save, guide_step_save, opening_slot_save, sportello_save
from territories.models import Ambito, Comune

DEMO_PASSWORD = "labimpact-demo"  # noqa: S105 — printed by `make run`, refused outside DEBUG
DATA = Path(__file__).resolve().parent / "data" / "demo.json"
ROME = ZoneInfo("Europe/Rome")


@dataclass(frozen=True)
class DemoUser:
    username: str
    description: str


@cache
def demo_data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


DEMO_USERS = [DemoUser(u["username"], u["description"]) for u in demo_data()["users"]]


def _value(field: models.Field, value):
    """A JSON value as the model field holds it ("09:00" → time, "2021-03-01" → date...)."""
    if value is None or isinstance(value, models.Model):
        return value
    kind = field.get_internal_type()
    if kind == "DecimalField":
        return Decimal(str(value))
    if kind == "DateField":
        return date.fromisoformat(value)
    if kind == "TimeField":
        return time.fromisoformat(value)
    if kind == "DateTimeField":
        return datetime.fromisoformat(value).replace(tzinfo=ROME)
    return value


def upsert(model, save, *, lookup: dict, values: dict, m2m: dict | None = None):
    """Find the row by `lookup` (or start one), set `values`, save it through `save` when
    anything differs; then set many-to-many links that differ."""
    obj = model._default_manager.filter(**lookup).first() or model(**lookup)
    changed = obj.pk is None
    for name, raw in values.items():
        field = model._meta.get_field(name)
        value = _value(field, raw)
        current = getattr(obj, field.attname)
        new = value.pk if field.is_relation and isinstance(value, models.Model) else value
        if current != new:
            setattr(obj, field.attname, new)
            changed = True
    if changed:
        save(obj)
    for name, rows in (m2m or {}).items():
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != {row.pk for row in rows}:
            manager.set(rows)
    return obj


def replace_children(manager, save, rows: list[dict]) -> None:
    """Make the children of a row (hours, closures, steps) exactly `rows`, through `save`."""
    model = manager.model
    names = list(rows[0]) if rows else []
    wanted = [{name: _value(model._meta.get_field(name), value) for name, value in row.items()} for row in rows]
    current = [{name: getattr(child, name) for name in names} for child in manager.all()]
    if sorted(map(repr, current)) == sorted(map(repr, wanted)) and len(current) == manager.count():
        return
    manager.all().delete()
    for row in wanted:
        save(model(**{manager.field.name: manager.instance}, **row))


@transaction.atomic
def load_demo() -> list[DemoUser]:
    data = demo_data()
    by = system_user()
    ambiti = {a.slug: a for a in Ambito.objects.all()}
    comuni = {}
    for item in [*data["desks"], *data["schools"], *data["activities"]]:
        comuni.setdefault(item["comune"], Comune.objects.get(name=item["comune"]))
    categories = {c.key: c for c in ServiceCategory.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}

    for item in data["desks"]:
        ambito = ambiti[item["ambito"]]
        desk = upsert(
            Sportello,
            lambda obj: sportello_save(sportello=obj, by=by),
            lookup={"slug": item["slug"]},
            values={
                "ambito": ambito,
                "partner": ambito.capofila,
                "comune": comuni[item["comune"]],
                "is_published": True,
                "is_demo": True,
                "reopening_date": None,
                **item["fields"],
            },
            m2m={
                "categories": [categories[k] for k in item["categories"]],
                "languages": [languages[k] for k in item["languages"]],
            },
        )
        replace_children(
            desk.slots,
            lambda obj: opening_slot_save(slot=obj, by=by),
            [{"weekday": day, "opens": opens, "closes": closes} for day, opens, closes in item["slots"]],
        )
        replace_children(desk.closures, lambda obj: closure_save(closure=obj, by=by), item["closures"])

    schools = {}
    for item in data["schools"]:
        schools[item["code"]] = upsert(
            School,
            lambda obj: school_save(school=obj, by=by),
            lookup={"code": item["code"]},
            values={
                "name": item["name"],
                "kind": item["kind"],
                "ambito": ambiti[item["ambito"]],
                "comune": comuni[item["comune"]],
                "is_demo": True,
            },
        )

    users = {}
    User = get_user_model()
    for item in data["users"]:
        user = User.objects.filter(username=item["username"]).first()
        if user is None:
            user = User(username=item["username"], is_staff=True, email=f"{item['username']}@demo.labimpact.invalid")
            user.set_password(DEMO_PASSWORD)
            record_save(instance=user, by=by)
        users[user.username] = user
        for role in item["roles"]:
            binding = {}
            if "ambito" in role:
                binding["ambito"] = ambiti[role["ambito"]]
            if "school" in role:
                binding["school"] = schools[role["school"]]
            if not Membership.objects.filter(user=user, role=role["role"], **binding).exists():
                membership_save(membership=Membership(user=user, role=role["role"], **binding), by=by)

    for item in data["mediators"]:
        wanted_ambiti = [ambiti[k] for k in item["ambiti"]]
        wanted_languages = [languages[k] for k in item["languages"]]
        upsert(
            Mediator,
            lambda obj, a=wanted_ambiti, la=wanted_languages: mediator_save(
                mediator=obj, by=by, ambiti=a, languages=la
            ),
            lookup={"first_name": item["first_name"], "last_name": item["last_name"]},
            values={"user": users.get(item["user"]), "is_demo": True, "is_available": True},
            m2m={"ambiti": wanted_ambiti, "languages": wanted_languages},
        )

    for item in data["activities"]:
        activity = Activity.objects.filter(ambito=ambiti[item["ambito"]], title=item["title"]).first() or Activity(
            ambito=ambiti[item["ambito"]], title=item["title"]
        )
        values = {
            "kind": item["kind"],
            "macro_azione": default_macro_azione(item["kind"]),
            "start_date": date.fromisoformat(item["start"]),
            "end_date": date.fromisoformat(item["end"]),
            "hours": Decimal(item["hours"]),
            "school": schools.get(item["school"]),
            "comune": comuni[item["comune"]],
        }
        rows = [BeneficiaryGroup(**row) for row in item["rows"]]
        stored_rows = sorted(
            activity.beneficiaries.values_list("beneficiary_type", "sex", "age_band", "nationality_group", "count")
            if activity.pk
            else []
        )
        wanted_rows = sorted(tuple(row.values()) for row in item["rows"])
        if (
            activity.pk is None
            or stored_rows != wanted_rows
            or any(getattr(activity, k) != v for k, v in values.items())
        ):
            for name, value in values.items():
                setattr(activity, name, value)
            activity_record(activity=activity, rows=rows, by=by)

    for item in data["guides"]:
        guide = upsert(
            Guide,
            lambda obj: guide_save(guide=obj, by=by),
            lookup={"slug": item["slug"]},
            values={
                "ambito": ambiti[item["ambito"]] if item["ambito"] else None,
                "is_published": True,
                "is_demo": True,
                **item["fields"],
            },
            m2m={"categories": [categories[k] for k in item["categories"]]},
        )
        steps = [{"order": order, **step} for order, step in enumerate(item["steps"])]
        replace_children(guide.steps, lambda obj: guide_step_save(step=obj, by=by), steps)

    # Materials (with generated PDF and PNG files) and news: content/demo.py.
    load_content_demo(data=data, by=by, ambiti=ambiti, categories=categories, upsert=upsert)
    return DEMO_USERS

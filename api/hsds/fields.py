"""The HSDS 3 objects this API emits, as one hand-written table, and the JSON Schemas built from it.

Written by us from the HSDS 3.2 specification (https://docs.openreferral.org/en/latest/hsds/):
the object names, property names, types, formats, enumerations and required properties follow
the standard; the structure, the code and the one-line notes are ours (see README.md beside this
file). Only what this portal emits is listed, so a response carrying anything else (a typo, a
field we never fill) fails the schema: every built object is closed (`additionalProperties: false`).

A property is a kind: a scalar name from `SCALARS`, `Choice(...)` (a string from a fixed list),
`One("object")` (one nested record), `Many("object")` (a list of nested records), `ListOf(kind)`
(a list of scalars) or `Inline(...)` (a small anonymous object).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SCALARS: dict[str, dict] = {
    "uuid": {"type": "string", "format": "uuid"},
    "text": {"type": "string"},
    "uri": {"type": "string", "format": "uri"},
    "email": {"type": "string", "format": "email"},
    "datetime": {"type": "string", "format": "date-time"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "flag": {"type": "boolean"},
    "list": {"type": "array"},
}


@dataclass(frozen=True)
class Choice:
    values: tuple[str, ...]


@dataclass(frozen=True)
class One:
    target: str


@dataclass(frozen=True)
class Many:
    target: str


@dataclass(frozen=True)
class ListOf:
    kind: str


@dataclass(frozen=True)
class Inline:
    props: dict
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entity:
    about: str
    props: dict
    required: tuple[str, ...] = ("id",)


def entity(about: str, /, required: tuple[str, ...] = ("id",), **props) -> Entity:
    return Entity(about=about, props=props, required=required)


LOCATION_KINDS = Choice(("physical", "postal", "virtual"))
WEEKDAYS = Choice(("MO", "TU", "WE", "TH", "FR", "SA", "SU"))
TAGS = Many("attribute")

OBJECTS: dict[str, Entity] = {
    "service": entity(
        "A desk, as the help it offers.",
        required=("id", "name", "status"),
        id="uuid",
        organization_id="uuid",
        program_id="uuid",
        name="text",
        alternate_name="text",
        description="text",
        url="uri",
        email="email",
        status=Choice(("active", "inactive", "defunct", "temporarily closed")),
        interpretation_services="text",
        application_process="text",
        fees_description="text",
        wait_time="text",
        fees="text",
        accreditations="text",
        eligibility_description="text",
        minimum_age="number",
        maximum_age="number",
        assured_date="text",
        assurer_email="email",
        licenses="text",
        alert="text",
        last_modified="datetime",
        phones=Many("phone"),
        schedules=Many("schedule"),
        service_areas=Many("service_area"),
        service_at_locations=Many("service_at_location"),
        languages=Many("language"),
        organization=One("organization"),
        required_documents=Many("required_document"),
        contacts=Many("contact"),
        attributes=TAGS,
    ),
    "organization": entity(
        "The partner that runs a desk (or the ambito's lead body).",
        required=("id", "name", "description"),
        id="uuid",
        name="text",
        alternate_name="text",
        description="text",
        email="email",
        website="uri",
        tax_status="text",
        tax_id="text",
        year_incorporated="number",
        legal_status="text",
        logo="text",
        uri="uri",
        parent_organization_id="uuid",
        contacts=Many("contact"),
        phones=Many("phone"),
        locations=Many("location"),
        attributes=TAGS,
    ),
    "location": entity(
        "Where a desk is: its premises.",
        required=("id", "location_type"),
        id="uuid",
        location_type=LOCATION_KINDS,
        url="uri",
        organization_id="uuid",
        name="text",
        alternate_name="text",
        description="text",
        transportation="text",
        latitude="number",
        longitude="number",
        external_identifier="text",
        external_identifier_type="text",
        languages=Many("language"),
        addresses=Many("address"),
        contacts=Many("contact"),
        accessibility=Many("accessibility"),
        phones=Many("phone"),
        schedules=Many("schedule"),
        attributes=TAGS,
    ),
    "service_at_location": entity(
        "A desk's service at its premises: what a directory lists and searches.",
        id="uuid",
        service_id="uuid",
        location_id="uuid",
        description="text",
        service_areas=Many("service_area"),
        contacts=Many("contact"),
        phones=Many("phone"),
        schedules=Many("schedule"),
        location=One("location"),
        attributes=TAGS,
    ),
    "address": entity(
        "A postal or street address of a location.",
        required=("id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
        id="uuid",
        location_id="uuid",
        attention="text",
        address_1="text",
        address_2="text",
        city="text",
        region="text",
        state_province="text",
        postal_code="text",
        country="text",
        address_type=LOCATION_KINDS,
        attributes=TAGS,
    ),
    "phone": entity(
        "A telephone number, with what it reaches.",
        required=("id", "number"),
        id="uuid",
        location_id="uuid",
        service_id="uuid",
        organization_id="uuid",
        contact_id="uuid",
        service_at_location_id="uuid",
        number="text",
        extension="number",
        type="text",
        description="text",
        languages=Many("language"),
        attributes=TAGS,
    ),
    "contact": entity(
        "A way to write to an office (never a named person here).",
        id="uuid",
        organization_id="uuid",
        service_id="uuid",
        service_at_location_id="uuid",
        location_id="uuid",
        name="text",
        title="text",
        department="text",
        email="email",
        phones=Many("phone"),
        attributes=TAGS,
    ),
    "schedule": entity(
        "Opening time, as iCalendar-style recurrence fields, or a dated closure.",
        id="uuid",
        service_id="uuid",
        location_id="uuid",
        service_at_location_id="uuid",
        valid_from="text",
        valid_to="text",
        dtstart="text",
        timezone="number",
        until="text",
        count="number",
        wkst=WEEKDAYS,
        freq=Choice(("WEEKLY", "MONTHLY")),
        interval="number",
        byday="text",
        byweekno="text",
        bymonthday="text",
        byyearday="text",
        description="text",
        opens_at="text",
        closes_at="text",
        schedule_link="uri",
        attending_type="text",
        notes="text",
        attributes=TAGS,
    ),
    "language": entity(
        "A language spoken at a desk or on a phone line.",
        id="uuid",
        service_id="uuid",
        location_id="uuid",
        phone_id="uuid",
        name="text",
        code="text",
        note="text",
        attributes=TAGS,
    ),
    "taxonomy": entity(
        "A vocabulary the terms come from (ours: the desks' service categories).",
        required=("id", "name", "description"),
        id="uuid",
        name="text",
        description="text",
        uri="uri",
        version="text",
    ),
    "taxonomy_term": entity(
        "One term of a vocabulary.",
        required=("id", "name", "description"),
        id="uuid",
        code="text",
        name="text",
        description="text",
        parent_id="uuid",
        taxonomy="text",
        taxonomy_detail=One("taxonomy"),
        language="text",
        taxonomy_id="uuid",
        term_uri="uri",
    ),
    "attribute": entity(
        "Tags a record with a taxonomy term.",
        id="uuid",
        link_id="uuid",
        taxonomy_term_id="uuid",
        link_type="text",
        link_entity="text",
        value="text",
        taxonomy_term=One("taxonomy_term"),
        label="text",
    ),
    "accessibility": entity(
        "How accessible a location is.",
        id="uuid",
        location_id="uuid",
        description="text",
        details="text",
        url="uri",
        attributes=TAGS,
    ),
    "required_document": entity(
        "A document to bring to the desk.",
        id="uuid",
        service_id="uuid",
        document="text",
        uri="uri",
        attributes=TAGS,
    ),
    "service_area": entity(
        "The territory a service covers.",
        id="uuid",
        service_id="uuid",
        service_at_location_id="uuid",
        name="text",
        description="text",
        extent="text",
        extent_type="text",
        uri="text",
        attributes=TAGS,
    ),
    "page": entity(
        "One page of a list answer; `contents` holds the records.",
        required=("empty",),
        total_items="integer",
        total_pages="integer",
        page_number="integer",
        size="integer",
        first_page="flag",
        last_page="flag",
        empty="flag",
        contents="list",
    ),
    "api_meta": entity(
        "What `GET /` answers: the HSDS version, profile, OpenAPI address and publisher.",
        required=(),
        version="text",
        profile="uri",
        openapi_url="uri",
        description="text",
        publisher=Inline(
            {
                "name": "text",
                "identifier": "text",
                "email": "email",
                "website": "uri",
                "additional_websites": ListOf("uri"),
            }
        ),
    ),
}


def _closed(properties: dict, required: tuple[str, ...]) -> dict:
    out = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def property_schema(kind, link: Callable[[str], dict]) -> dict:
    """One property's JSON Schema; `link(name)` says how to point at another object."""
    if isinstance(kind, str):
        return dict(SCALARS[kind])
    if isinstance(kind, Choice):
        return {"type": "string", "enum": list(kind.values)}
    if isinstance(kind, One):
        return link(kind.target)
    if isinstance(kind, Many):
        return {"type": "array", "items": link(kind.target)}
    if isinstance(kind, ListOf):
        return {"type": "array", "items": property_schema(kind.kind, link)}
    if isinstance(kind, Inline):
        return _closed({key: property_schema(sub, link) for key, sub in kind.props.items()}, kind.required)
    raise TypeError(f"unknown property kind {kind!r}")


def build(name: str, link: Callable[[str], dict]) -> dict:
    """The JSON Schema of object `name`, closed to properties the table does not list."""
    obj = OBJECTS[name]
    schema = {"title": name, "description": obj.about}
    schema.update(_closed({key: property_schema(kind, link) for key, kind in obj.props.items()}, obj.required))
    return schema


def _check_table() -> None:
    for name, obj in OBJECTS.items():
        missing = set(obj.required) - set(obj.props)
        assert not missing, f"{name}: required but not listed: {missing}"
        for kind in obj.props.values():
            if isinstance(kind, One | Many):
                assert kind.target in OBJECTS, f"{name}: unknown object {kind.target}"


_check_table()

"""The HSDS 3 objects this API emits, as one hand-written table, and the JSON Schemas built from it.

Written by us from the HSDS 3.2 specification (https://docs.openreferral.org/en/latest/hsds/):
the object names, property names, types, formats, enumerations and required properties follow
the standard; the structure, the code and the one-line notes are ours (see README.md beside this
file). Only what this portal emits is listed, so a response carrying anything else (a typo, a
field we never fill) fails the schema: every built object is closed (`additionalProperties: false`).

A property is a kind: a scalar name from `SCALARS`, `Choice(...)` (a string from a fixed list),
`One("object")` (one nested record), `Many("object")` (a list of nested records), `ListOf(kind)`
(a list of scalars) or `Inline(...)` (a small anonymous object). `ids(...)` and `texts(...)` list
runs of identifier and free-text properties in one line each.
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


def ids(*names: str) -> dict[str, str]:
    """Properties that are all identifiers (`ids("id", "service_id")`), in this order."""
    return dict.fromkeys(names, "uuid")


def texts(*names: str) -> dict[str, str]:
    """Properties that are all free text, in this order."""
    return dict.fromkeys(names, "text")


LOCATION_KINDS = Choice(("physical", "postal", "virtual"))
WEEKDAYS = Choice(("MO", "TU", "WE", "TH", "FR", "SA", "SU"))
TAGS = Many("attribute")

OBJECTS: dict[str, Entity] = {
    "service": entity(
        "A desk, as the help it offers.",
        required=("id", "name", "status"),
        **ids("id", "organization_id", "program_id"),
        **texts("name", "alternate_name", "description"),
        url="uri",
        email="email",
        status=Choice(("active", "inactive", "defunct", "temporarily closed")),
        **texts(
            "interpretation_services",
            "application_process",
            "fees_description",
            "wait_time",
            "fees",
            "accreditations",
            "eligibility_description",
        ),
        minimum_age="number",
        maximum_age="number",
        assured_date="text",
        assurer_email="email",
        **texts("licenses", "alert"),
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
        **texts("name", "alternate_name", "description"),
        email="email",
        website="uri",
        **texts("tax_status", "tax_id"),
        year_incorporated="number",
        **texts("legal_status", "logo"),
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
        **texts("name", "alternate_name", "description", "transportation"),
        latitude="number",
        longitude="number",
        **texts("external_identifier", "external_identifier_type"),
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
        **ids("id", "service_id", "location_id"),
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
        **ids("id", "location_id"),
        **texts("attention", "address_1", "address_2", "city", "region", "state_province", "postal_code", "country"),
        address_type=LOCATION_KINDS,
        attributes=TAGS,
    ),
    "phone": entity(
        "A telephone number, with what it reaches.",
        required=("id", "number"),
        **ids("id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id"),
        number="text",
        extension="number",
        **texts("type", "description"),
        languages=Many("language"),
        attributes=TAGS,
    ),
    "contact": entity(
        "A way to write to an office (never a named person here).",
        **ids("id", "organization_id", "service_id", "service_at_location_id", "location_id"),
        **texts("name", "title", "department"),
        email="email",
        phones=Many("phone"),
        attributes=TAGS,
    ),
    "schedule": entity(
        "Opening time, as iCalendar-style recurrence fields, or a dated closure.",
        **ids("id", "service_id", "location_id", "service_at_location_id"),
        **texts("valid_from", "valid_to", "dtstart"),
        timezone="number",
        until="text",
        count="number",
        wkst=WEEKDAYS,
        freq=Choice(("WEEKLY", "MONTHLY")),
        interval="number",
        **texts("byday", "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at"),
        schedule_link="uri",
        **texts("attending_type", "notes"),
        attributes=TAGS,
    ),
    "language": entity(
        "A language spoken at a desk or on a phone line.",
        **ids("id", "service_id", "location_id", "phone_id"),
        **texts("name", "code", "note"),
        attributes=TAGS,
    ),
    "taxonomy": entity(
        "A vocabulary the terms come from (ours: the desks' service categories).",
        required=("id", "name", "description"),
        id="uuid",
        **texts("name", "description"),
        uri="uri",
        version="text",
    ),
    "taxonomy_term": entity(
        "One term of a vocabulary.",
        required=("id", "name", "description"),
        id="uuid",
        **texts("code", "name", "description"),
        parent_id="uuid",
        taxonomy="text",
        taxonomy_detail=One("taxonomy"),
        language="text",
        taxonomy_id="uuid",
        term_uri="uri",
    ),
    "attribute": entity(
        "Tags a record with a taxonomy term.",
        **ids("id", "link_id", "taxonomy_term_id"),
        **texts("link_type", "link_entity", "value"),
        taxonomy_term=One("taxonomy_term"),
        label="text",
    ),
    "accessibility": entity(
        "How accessible a location is.",
        **ids("id", "location_id"),
        **texts("description", "details"),
        url="uri",
        attributes=TAGS,
    ),
    "required_document": entity(
        "A document to bring to the desk.",
        **ids("id", "service_id"),
        document="text",
        uri="uri",
        attributes=TAGS,
    ),
    "service_area": entity(
        "The territory a service covers.",
        **ids("id", "service_id", "service_at_location_id"),
        **texts("name", "description", "extent", "extent_type", "uri"),
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

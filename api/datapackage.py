"""The directory as an HSDS tabular data package: one CSV per HSDS table + datapackage.json, zipped.

Built from the same representations as the API (api.serializers), in Italian, from published
desks only (and no demo rows when API_INCLUDE_DEMO is off): a table's columns are the scalar
fields of its HSDS object in api.hsds, in table order. Nested records are flattened into their
own tables and linked by id, as HSDS's tabular format wants.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation

from api import hsds, selectors
from api import serializers as hsds_out
from labimpact.site_url import offline_origin

PATH = "opendata/labimpact-sportelli-hsds.zip"
FILENAME = "labimpact-sportelli-hsds.zip"
TABLES = [
    ("organization", "organizations.csv"),
    ("service", "services.csv"),
    ("location", "locations.csv"),
    ("service_at_location", "service_at_locations.csv"),
    ("address", "addresses.csv"),
    ("phone", "phones.csv"),
    ("contact", "contacts.csv"),
    ("schedule", "schedules.csv"),
    ("service_area", "service_areas.csv"),
    ("language", "languages.csv"),
    ("required_document", "required_documents.csv"),
    ("accessibility", "accessibility.csv"),
    ("attribute", "attributes.csv"),
    ("taxonomy", "taxonomies.csv"),
    ("taxonomy_term", "taxonomy_terms.csv"),
]
_TYPES = {("string", "date-time"): "datetime", ("string", "uri"): "string", ("number", None): "number"}


def columns(table: str) -> list[tuple[str, str]]:
    """(name, Table Schema type) of the scalar fields of an HSDS table."""
    out = []
    for name, spec in hsds.schemas()[table]["properties"].items():
        if spec.get("type") in ("string", "number"):
            out.append((name, _TYPES.get((spec["type"], spec.get("format")), spec["type"])))
    return out


def _collect(ctx) -> dict[str, list[dict]]:
    rows: dict[str, dict[str, dict]] = {table: {} for table, _path in TABLES}

    def put(table, record, **links):
        rows[table].setdefault(record["id"], {**record, **links})

    for partner in selectors.organizations():
        org = hsds_out.organization(partner, ctx, full=True)
        put("organization", org)
        for phone in org.get("phones", []):
            put("phone", phone)
    for desk in selectors.for_full(selectors.desks()).prefetch_related("slots"):
        service = hsds_out.service_full(desk, ctx)
        put("service", service)
        for sal in service.get("service_at_locations", []):
            loc = sal["location"]
            put("service_at_location", sal)
            put("location", loc)
            for key, table in (("addresses", "address"), ("accessibility", "accessibility"), ("languages", "language")):
                for record in loc.get(key, []):
                    put(table, record)
        for key, table in (
            ("phones", "phone"),
            ("contacts", "contact"),
            ("schedules", "schedule"),
            ("service_areas", "service_area"),
            ("languages", "language"),
            ("required_documents", "required_document"),
        ):
            for record in service.get(key, []):
                put(table, record)
        for attribute in service.get("attributes", []):
            put("attribute", attribute)
    put("taxonomy", hsds_out.taxonomy(ctx))
    for category in selectors.categories():
        put("taxonomy_term", hsds_out.taxonomy_term(category, ctx))
    return {table: list(records.values()) for table, records in rows.items()}


def _csv(table: str, records: list[dict]) -> bytes:
    buffer = io.StringIO()
    names = [name for name, _type in columns(table)]
    writer = csv.DictWriter(buffer, fieldnames=names, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


def build() -> bytes:
    """The zipped package, as bytes."""
    with translation.override(settings.LANGUAGE_CODE):
        ctx = hsds_out.Context(base_url=offline_origin(), today=timezone.localdate())
        tables = _collect(ctx)
        descriptor = {
            "profile": "tabular-data-package",
            "name": "labimpact-sportelli-hsds",
            "title": "Lab'Impact — sportelli informativi per cittadini stranieri in Lombardia (HSDS 3)",
            "description": (
                "Gli sportelli pubblicati sul portale Lab'Impact di Regione Lombardia nel formato tabellare "
                "Open Referral HSDS 3 (testi in italiano). Nessun dato personale."
            ),
            "homepage": ctx.absolute("/"),
            "created": timezone.now().isoformat(),
            "version": hsds.HSDS_VERSION,
            "sources": [{"title": "Lab'Impact", "path": ctx.absolute("/api/v1/")}],
            "resources": [
                {
                    "name": table,
                    "path": path,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {
                        "fields": [{"name": name, "type": kind} for name, kind in columns(table)],
                        "primaryKey": "id",
                    },
                }
                for table, path in TABLES
            ],
        }
        if settings.OPEN_DATA_LICENSE:
            descriptor["licenses"] = [{"name": settings.OPEN_DATA_LICENSE}]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2))
        for table, path in TABLES:
            archive.writestr(path, _csv(table, tables[table]))
    return buffer.getvalue()


def build_and_store() -> str:
    """Rebuild the package and replace the stored one (idempotent)."""
    with transaction.atomic():
        content = build()
    if default_storage.exists(PATH):
        default_storage.delete(PATH)
    return default_storage.save(PATH, ContentFile(content))

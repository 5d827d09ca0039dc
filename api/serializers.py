"""Desks as HSDS 3 records: plain functions from prefetched rows to JSON-ready dicts.

Why functions rather than DRF serializer classes: a page of 50 desks holds some 2,000 values,
and DRF's field machinery would cost more than the queries (the benchmark's target is a tenth of
a bare view's throughput). The shapes are documented once, by the HSDS schemas in
the OpenAPI document (api.hsds), and the tests validate every response against them.

Mapping (docs/architecture.md, "Open-data API"):
- the desk's managing partner, or else its ambito's capofila → organization;
- the desk → service + location + service_at_location; address → address; phone → phone;
  e-mail → contact (an office, never a person);
- weekly slots → WEEKLY schedules (iCal fields, Europe/Rome wall time); closures → dated
  schedules; opening mode and closures → status (active / temporarily closed) and alert;
- languages spoken → language; categories → taxonomy terms, linked through attributes;
- accessibility notes → accessibility; documents to bring → required_document: the checklist
  of each published guide for the desk's services (the one source, as on the desk page), then
  the desk's own extras ("what to bring", a line each);
- the ambito's comuni and the other comuni served → service_area.

Translated fields come in the active language, Italian where a translation is missing
(modeltranslation's fallback). Empty values are left out: HSDS types them as strings with a
format (uri, email) that an empty string would break.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from api.ids import part_id, record_id
from services.models import OpeningMode

ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
CAP = re.compile(r"\b(\d{5})\b")


@dataclass(frozen=True)
class Context:
    """What a representation needs besides the rows: where the site lives, what day it is."""

    base_url: str  # "https://host", no trailing slash
    today: dt.date

    def absolute(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def desk_url(self, slug: str) -> str:
        # One reverse() per answer rather than per desk (the language prefix is the same).
        prefix = self.__dict__.get("_desk_prefix")
        if prefix is None:
            prefix = reverse("services:sportello", args=["-"])[:-2]
            object.__setattr__(self, "_desk_prefix", prefix)
        return f"{self.base_url}{prefix}{slug}/"

    def guides(self) -> list:
        """Published guides with their categories and steps, read once per answer."""
        guides = self.__dict__.get("_guides")
        if guides is None:
            from django.db.models import Prefetch

            from services.models import Guide, GuideStep

            guides = list(
                Guide.objects.published()
                .order_by("title", "pk")
                .prefetch_related("categories", Prefetch("steps", queryset=GuideStep.objects.order_by("order", "pk")))
            )
            object.__setattr__(self, "_guides", guides)
        return guides


def _clean(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


# --- taxonomy ---------------------------------------------------------------------------------

TAXONOMY_ID = part_id("taxonomy", "service-categories")


def taxonomy(ctx: Context) -> dict:
    return {
        "id": TAXONOMY_ID,
        "name": _("Servizi degli sportelli Lab'Impact"),
        "description": _(
            "Le categorie di servizio con cui il portale Lab'Impact classifica gli sportelli informativi."
        ),
        "uri": ctx.absolute(reverse("api:taxonomies")),
        "version": "1",
    }


def taxonomy_term(category, ctx: Context) -> dict:
    return {
        "id": record_id("taxonomy_term", category.pk),
        "code": category.key,
        "name": category.name,
        "description": category.name,
        "taxonomy": _("Servizi degli sportelli Lab'Impact"),
        "taxonomy_id": TAXONOMY_ID,
        "language": get_language(),
    }


# --- organization -----------------------------------------------------------------------------


def provider(desk):
    """The organisation behind a desk: its managing partner, or else its ambito's capofila
    (set on the desk by api.selectors.attach_providers for lists)."""
    attached = getattr(desk, "provider", None)
    if attached is not None:
        return attached
    return desk.partner if desk.partner_id else desk.ambito.capofila


def organization(partner, ctx: Context, *, full: bool = False) -> dict:
    org_id = record_id("organization", partner.pk)
    data = {
        "id": org_id,
        "name": partner.name,
        "description": partner.type.name,
        "email": partner.email,
        "website": partner.website,
    }
    if full and partner.phone:
        data["phones"] = [
            {"id": part_id("phone", "organization", partner.pk), "organization_id": org_id, "number": partner.phone}
        ]
    return _clean(data)


# --- service ----------------------------------------------------------------------------------


def _current_closure(desk, ctx: Context):
    closures = getattr(desk, "current_closures", None)
    for closure in desk.closures.all() if closures is None else closures:
        if closure.start_date <= ctx.today <= closure.end_date:
            return closure
    return None


def status_and_alert(desk, ctx: Context) -> tuple[str, str]:
    if desk.opening_mode == OpeningMode.TEMPORARILY_CLOSED:
        if desk.reopening_date:
            return "temporarily closed", _("Temporaneamente chiuso: riapre il %(date)s.") % {
                "date": date_format(desk.reopening_date, "DATE_FORMAT")
            }
        return "temporarily closed", _("Temporaneamente chiuso.")
    closure = _current_closure(desk, ctx)
    if closure is not None:
        alert = _("Chiuso fino al %(date)s compreso.") % {"date": date_format(closure.end_date, "DATE_FORMAT")}
        if closure.reason:
            alert = f"{alert} {closure.reason}"
        return "temporarily closed", alert
    return "active", ""


def service_summary(desk, ctx: Context) -> dict:
    """A service's one-to-one fields and its organization (the HSDS list shape)."""
    status, alert = status_and_alert(desk, ctx)
    org = provider(desk)
    return _clean(
        {
            "id": record_id("service", desk.pk),
            "organization_id": record_id("organization", org.pk),
            "name": desk.name,
            "description": desk.description,
            "url": ctx.desk_url(desk.slug),
            "email": desk.email,
            "status": status,
            "application_process": desk.how_to_access,
            "eligibility_description": desk.audience,
            "alert": alert,
            "last_modified": desk.updated_at.isoformat(),
            "organization": organization(org, ctx),
        }
    )


def schedules(desk, ctx: Context) -> list[dict]:
    service_id = record_id("service", desk.pk)
    rows = []
    mode = desk.get_opening_mode_display()
    for slot in desk.slots.all():
        opens, closes = slot.opens.strftime("%H:%M"), slot.closes.strftime("%H:%M")
        rows.append(
            _clean(
                {
                    "id": record_id("schedule", slot.pk),
                    "service_id": service_id,
                    "freq": "WEEKLY",
                    "wkst": "MO",
                    "interval": 1,
                    "byday": ICAL_DAYS[slot.weekday],
                    "opens_at": opens,
                    "closes_at": closes,
                    "description": f"{slot.get_weekday_display()} {opens}–{closes}",
                    "attending_type": mode,
                    "schedule_link": desk.booking_url,
                    "notes": _("Orari nell'ora di Roma (Europe/Rome)."),
                }
            )
        )
    for closure in desk.closures.all():
        if closure.end_date < ctx.today:
            continue
        text = _("Chiuso dal %(start)s al %(end)s.") % {
            "start": date_format(closure.start_date, "DATE_FORMAT"),
            "end": date_format(closure.end_date, "DATE_FORMAT"),
        }
        rows.append(
            _clean(
                {
                    "id": record_id("closure", closure.pk),
                    "service_id": service_id,
                    "valid_from": closure.start_date.isoformat(),
                    "valid_to": closure.end_date.isoformat(),
                    "description": text,
                    "notes": closure.reason,
                }
            )
        )
    return rows


def postcode(desk) -> str:
    """The desk's CAP: written in its address, or the comune's only one (never a guess)."""
    codes = desk.comune.postcode_list
    match = CAP.search(desk.address)
    if match and (not codes or match.group(1) in codes):
        return match.group(1)
    return codes[0] if len(codes) == 1 else ""


def location(desk, ctx: Context) -> dict:
    location_id = record_id("location", desk.pk)
    address = {
        "id": record_id("address", desk.pk),
        "location_id": location_id,
        "address_1": desk.address,
        "city": desk.comune.name,
        "region": "Lombardia",
        "state_province": desk.comune.provincia.code,
        "postal_code": postcode(desk),
        "country": "IT",
        "address_type": "physical",
    }
    data = {
        "id": location_id,
        "location_type": "physical",
        "organization_id": record_id("organization", provider(desk).pk),
        "name": desk.name,
        "latitude": float(desk.latitude) if desk.latitude is not None else None,
        "longitude": float(desk.longitude) if desk.longitude is not None else None,
        "external_identifier": desk.comune.istat_code,
        "external_identifier_type": "ISTAT",
        "addresses": [address],
        "languages": languages(desk, location_id=location_id),
    }
    if desk.accessibility_notes:
        data["accessibility"] = [
            {
                "id": record_id("accessibility", desk.pk),
                "location_id": location_id,
                "description": desk.accessibility_notes,
            }
        ]
    return _clean(data)


def languages(desk, *, service_id: str | None = None, location_id: str | None = None) -> list[dict]:
    owner = service_id or location_id
    return [
        _clean(
            {
                "id": part_id("language", owner, lang.pk),
                "service_id": service_id,
                "location_id": location_id,
                "name": lang.name,
                "code": lang.code,
            }
        )
        for lang in desk.languages.all()
    ]


def service_at_location(desk, ctx: Context, *, nested_location: bool = True) -> dict:
    data = {
        "id": record_id("service_at_location", desk.pk),
        "service_id": record_id("service", desk.pk),
        "location_id": record_id("location", desk.pk),
    }
    if nested_location:
        data["location"] = location(desk, ctx)
    return data


def service_areas(desk, ctx: Context) -> list[dict]:
    service_id = record_id("service", desk.pk)
    ambito = desk.ambito
    comuni = ", ".join(comune.name for comune in ambito.comuni.all())
    areas = [
        _clean(
            {
                "id": part_id("service_area", desk.pk, "ambito", ambito.pk),
                "service_id": service_id,
                "name": ambito.name,
                "description": _("Comuni dell'ambito territoriale: %(comuni)s.") % {"comuni": comuni} if comuni else "",
                "uri": ctx.absolute(ambito.get_absolute_url()),
            }
        )
    ]
    for comune in desk.served_comuni.all():
        areas.append(
            {
                "id": part_id("service_area", desk.pk, "comune", comune.pk),
                "service_id": service_id,
                "name": comune.name,
                "description": _("Comune (codice ISTAT %(code)s).") % {"code": comune.istat_code},
            }
        )
    return areas


def _lines(text: str) -> list[str]:
    return [line for line in (raw.strip(" -•\t") for raw in (text or "").splitlines()) if line]


def required_documents(desk, ctx: Context) -> list[dict]:
    """The matching guides' checklists (as services.selectors.guides_for_desk picks them),
    then the desk's own extras."""
    service_id = record_id("service", desk.pk)
    categories = {category.pk for category in desk.categories.all()}
    documents = []
    for guide in ctx.guides():
        if guide.ambito_id not in (None, desk.ambito_id):
            continue
        if not categories & {category.pk for category in guide.categories.all()}:
            continue
        for step in guide.steps.all():
            for index, line in enumerate(_lines(step.checklist)):
                record = part_id("required_document", desk.pk, "guide", step.pk, index)
                documents.append({"id": record, "service_id": service_id, "document": line})
    for index, line in enumerate(_lines(desk.what_to_bring)):
        record = part_id("required_document", desk.pk, index)
        documents.append({"id": record, "service_id": service_id, "document": line})
    return documents


def service_full(desk, ctx: Context) -> dict:
    """The fully nested service (HSDS `GET /services/{id}`)."""
    data = service_summary(desk, ctx)
    service_id = data["id"]
    data["organization"] = organization(provider(desk), ctx, full=True)
    if desk.phone:
        data["phones"] = [{"id": part_id("phone", "service", desk.pk), "service_id": service_id, "number": desk.phone}]
    if desk.email:
        data["contacts"] = [
            {"id": part_id("contact", desk.pk), "service_id": service_id, "name": desk.name, "email": desk.email}
        ]
    data["schedules"] = schedules(desk, ctx)
    data["service_areas"] = service_areas(desk, ctx)
    data["service_at_locations"] = [service_at_location(desk, ctx)]
    data["languages"] = languages(desk, service_id=service_id)
    data["required_documents"] = required_documents(desk, ctx)
    data["attributes"] = [
        {
            "id": part_id("attribute", desk.pk, category.pk),
            "link_id": service_id,
            "link_entity": "service",
            "link_type": "service_category",
            "taxonomy_term_id": record_id("taxonomy_term", category.pk),
            "taxonomy_term": taxonomy_term(category, ctx),
        }
        for category in desk.categories.all()
    ]
    return _clean(data)

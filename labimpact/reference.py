"""Load the portal's reference data: territory, plan, ambiti and translated lists.

Every step matches rows on a natural key (ISTAT code, slug, key, name) and updates them in
place, so running it again, or on a database a previous run left half-loaded, completes the
data without duplicates. The whole load is one transaction: it lands entirely or not at all.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from common.text import fold
from plan.models import MacroAzione, Plan, PlanExtension
from services.models import Language, ServiceCategory
from territories import matching as comune_index
from territories.models import Ambito, Comune, NetworkMembership, NetworkRole, Partner, PartnerType, Provincia

BASE = Path(settings.BASE_DIR)
COMUNI_CSV = BASE / "territories" / "data" / "comuni_lombardia.csv"
COORDINATES_CSV = BASE / "territories" / "data" / "comuni_lombardia_coordinates.csv"
AMBITI_JSON = BASE / "territories" / "data" / "ambiti.json"
REFERENCE_JSON = BASE / "labimpact" / "data" / "reference.json"

# ISTAT province codes of Lombardy (region 03) with their official names. The comuni CSV
# gives the code and the sigla of each comune; the names are fixed here once.
PROVINCES = {
    "012": ("VA", "Varese", False),
    "013": ("CO", "Como", False),
    "014": ("SO", "Sondrio", False),
    "015": ("MI", "Città metropolitana di Milano", True),
    "016": ("BG", "Bergamo", False),
    "017": ("BS", "Brescia", False),
    "018": ("PV", "Pavia", False),
    "019": ("CR", "Cremona", False),
    "020": ("MN", "Mantova", False),
    "097": ("LC", "Lecco", False),
    "098": ("LO", "Lodi", False),
    "108": ("MB", "Monza e della Brianza", False),
}


@dataclass
class LoadReport:
    provinces: int = 0
    comuni: int = 0
    ambiti: int = 0
    demo_ambiti: int = 0
    partners: int = 0
    macro_azioni: int = 0
    guides: str = ""

    def __str__(self) -> str:
        return (
            f"{self.provinces} province, {self.comuni} comuni, {self.ambiti} ambiti "
            f"({self.demo_ambiti} demo), {self.partners} partner, {self.macro_azioni} macro-azioni, "
            f"{self.guides}"
        )


def _translations(field: str, values: dict[str, str]) -> dict[str, str]:
    """{"title": {"it": .., "en": ..}} -> {"title_it": .., "title_en": ..} for every site language."""
    result = {}
    for code, _name in settings.LANGUAGES:
        result[f"{field}_{code.replace('-', '_')}"] = values.get(code, "")
    return result


def load_provinces_and_comuni(path: Path | None = None, coordinates: Path | None = None) -> tuple[int, int]:
    path = path or COMUNI_CSV
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with (coordinates or COORDINATES_CSV).open(encoding="utf-8", newline="") as fh:
        points = {r["istat_code"]: (Decimal(r["latitude"]), Decimal(r["longitude"])) for r in csv.DictReader(fh)}
    provinces = {}
    for istat, (code, name, metro) in PROVINCES.items():
        provinces[istat], _ = Provincia.objects.update_or_create(
            istat_code=istat, defaults={"code": code, "name": name, "is_metropolitan_city": metro}
        )
    comuni = []
    for row in rows:
        province = provinces.get(row["province_istat"])
        if province is None or province.code != row["province_code"]:
            raise ValidationError(f"{path.name}: province {row['province_istat']} of {row['name']} is not in Lombardy")
        latitude, longitude = points.get(row["istat_code"], (None, None))
        comuni.append(
            Comune(
                istat_code=row["istat_code"],
                name=row["name"],
                search_name=fold(row["name"]),
                provincia=province,
                cadastral_code=row["cadastral_code"],
                postcodes=row["postcodes"],
                latitude=latitude,
                longitude=longitude,
            )
        )
    Comune.objects.bulk_create(
        comuni,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["istat_code"],
        update_fields=["name", "search_name", "provincia", "cadastral_code", "postcodes", "latitude", "longitude"],
    )
    # bulk_create sends no signals: the in-process name index learns the new list here.
    comune_index.forget()
    return len(provinces), len(comuni)


def load_lists(data: dict) -> None:
    for order, item in enumerate(data["partner_types"]):
        PartnerType.objects.update_or_create(
            key=item["key"], defaults={"order": order, **_translations("name", item["name"])}
        )
    for order, item in enumerate(data["service_categories"]):
        ServiceCategory.objects.update_or_create(
            key=item["key"], defaults={"order": order, **_translations("name", item["name"])}
        )
    for item in data["languages"]:
        Language.objects.update_or_create(code=item["code"], defaults=_translations("name", item["name"]))
    for item in data["regional_partners"]:
        Partner.objects.update_or_create(
            name=item["name"],
            defaults={"type": PartnerType.objects.get(key=item["type"]), "website": item["website"], "ambito": None},
        )


def load_plan(data: dict) -> int:
    item = data["plan"]
    plan, _ = Plan.objects.update_or_create(
        code=item["code"],
        defaults={
            **_translations("title", item["title"]),
            **_translations("summary", item["summary"]),
            "fund": item["fund"],
            "specific_objective": item["specific_objective"],
            "national_objective": item["national_objective"],
            "act": item["act"],
            "act_date": date.fromisoformat(item["act_date"]),
            "start": date.fromisoformat(item["start"]),
            "end": date.fromisoformat(item["end"]),
            "comuni_covered": item["comuni_covered"],
            "budget_first_phase": Decimal(item["budget_first_phase"]),
            "budget_total": Decimal(item["budget_total"]),
        },
    )
    for macro in data["macro_azioni"]:
        MacroAzione.objects.update_or_create(
            plan=plan,
            number=macro["number"],
            defaults={
                "slug": macro["slug"],
                **_translations("title", macro["title"]),
                **_translations("description", macro["description"]),
            },
        )
    return plan.macro_azioni.count()


def load_plan_extensions(data: dict) -> int:
    """Per-ambito extensions of the plan's end (after the ambiti, which they name)."""
    plan = Plan.objects.get(code=data["plan"]["code"])
    for item in data["plan"].get("extensions", []):
        PlanExtension.objects.update_or_create(
            plan=plan,
            ambito=Ambito.objects.get(slug=item["ambito"]),
            defaults={"end": date.fromisoformat(item["end"]), "source": item["source"]},
        )
    return plan.extensions.count()


def _partner(name: str, type_key: str, **extra) -> Partner:
    partner_type = PartnerType.objects.get(key=type_key)
    partner, _ = Partner.objects.update_or_create(name=name, defaults={"type": partner_type, **extra})
    return partner


def load_ambiti(path: Path | None = None) -> tuple[int, int]:
    path = path or AMBITI_JSON
    entries = json.loads(path.read_text(encoding="utf-8"))["ambiti"]
    provinces = {p.code: p for p in Provincia.objects.all()}
    # Names are unique among Lombardy's comuni, and an ambito may cross a provincial border
    # (Trezzo sull'Adda, MI, is in the Vimercate-Trezzo ambito of MB).
    comuni_by_name = {c.name: c for c in Comune.objects.all()}
    errors = []
    for entry in entries:
        for name in entry["comuni"]:
            if name not in comuni_by_name:
                errors.append(f"{entry['slug']}: comune {name!r} not found in Lombardy")
    if errors:
        raise ValidationError(errors)

    ambiti = {}
    for entry in entries:
        capofila = _partner(
            entry["capofila"]["name"],
            entry["capofila"]["type"],
            website=entry["capofila"].get("website", ""),
            is_demo=entry["is_demo"],
        )
        ambito, _ = Ambito.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "provincia": provinces[entry["province"]],
                "capofila": capofila,
                "project_title": entry.get("project_title", ""),
                "budget": Decimal(entry["budget_eur"]) if entry.get("budget_eur") else None,
                "budget_extra": Decimal(entry["budget_extra_eur"]) if entry.get("budget_extra_eur") else None,
                "email": entry.get("email", ""),
                "phone": entry.get("phone", ""),
                "website": entry.get("website", ""),
                "foreign_residents": entry.get("foreign_residents"),
                "notes": entry.get("notes", ""),
                "source": entry.get("source", "")[:500],
                "is_demo": entry["is_demo"],
            },
        )
        if capofila.ambito_id is None and not capofila.name.startswith(("Regione", "ANCI", "Fondazione ISMU")):
            Partner.objects.filter(pk=capofila.pk).update(ambito=ambito)
        ambiti[entry["slug"]] = ambito
        Comune.objects.filter(pk__in=[comuni_by_name[name].pk for name in entry["comuni"]]).update(ambito=ambito)
        NetworkMembership.objects.update_or_create(
            ambito=ambito, partner=capofila, defaults={"role": NetworkRole.CAPOFILA}
        )
        for member in entry.get("network", []):
            partner = _partner(member["name"], member["type"], is_demo=entry["is_demo"])
            if partner.ambito_id is None:
                Partner.objects.filter(pk=partner.pk).update(ambito=ambito)
            NetworkMembership.objects.update_or_create(
                ambito=ambito, partner=partner, defaults={"role": member["role"]}
            )
    for entry in entries:
        coordinator = ambiti.get(entry.get("coordinated_by") or "")
        Ambito.objects.filter(pk=ambiti[entry["slug"]].pk).update(coordinated_by=coordinator)
    return len(entries), sum(1 for e in entries if e["is_demo"])


@transaction.atomic
def load_reference() -> LoadReport:
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    report = LoadReport()
    report.provinces, report.comuni = load_provinces_and_comuni()
    load_lists(data)
    report.macro_azioni = load_plan(data)
    report.ambiti, report.demo_ambiti = load_ambiti()
    load_plan_extensions(data)
    report.partners = Partner.objects.count()
    from schools.reference import load_schools  # issue 10: real schools of the networks

    load_schools()
    from services.reference import load_guides  # issue 14: the guides a newcomer acts on

    report.guides = str(load_guides())
    return report

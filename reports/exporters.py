"""Exporters: one class per report, registered in one place (the shape of pretix's exporters).

Each exporter declares who may run it (a page label of the permission table), the formats
it writes and the filters it takes, and renders into a file object while reporting
progress. It narrows every queryset through `permissions.visible()` for the user who asked,
so a job run by a worker sees exactly what that user sees in the admin.

Tables stream: rows come from a server-side cursor (`iterator(chunk_size=…)`) and go
straight to the file (CSV, or openpyxl's write-only workbook), so memory stays flat
however many activities there are.

The FAMI workbook takes extra sheets from `WORKBOOK_SECTIONS`: another app (mediation, for
activation times) registers a section there and its sheet appears when it has data.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.db import connection
from django.db.models import Case, CharField, DateField, F, Func, Q, Sum, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from access import permissions
from common.text import natural_key
from plan.models import Plan
from reports.models import Activity, ActivityKind, AgeBand, BeneficiaryType, NationalityGroup, Sex
from reports.selectors import macro_azioni_labels
from services.models import Sportello
from territories.models import Ambito, Provincia

CHUNK = 2000
# Rows formatted by the query are small tuples of text: larger fetches, fewer round trips.
SQL_TEXT_CHUNK = 10000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

REGISTRY: dict[str, type[Exporter]] = {}


def register(cls: type[Exporter]) -> type[Exporter]:
    REGISTRY[cls.identifier] = cls
    return cls


def available(user) -> list[type[Exporter]]:
    """The exporters this user may run, in registration order."""
    return [cls for cls in REGISTRY.values() if permissions.can(user, permissions.VIEW, cls.permission)]


# --- filters ------------------------------------------------------------------------


class ExportForm(forms.Form):
    """Filters every exporter understands; validation only."""

    format = forms.ChoiceField(label=gettext_lazy("Formato"), choices=[])
    provincia = forms.ModelChoiceField(
        label=gettext_lazy("Provincia"),
        queryset=Provincia.objects.all(),
        required=False,
        empty_label=gettext_lazy("Tutte"),
    )
    ambito = forms.ModelChoiceField(
        label=gettext_lazy("Ambito"), queryset=Ambito.objects.none(), required=False, empty_label=gettext_lazy("Tutti")
    )
    start = forms.DateField(label=gettext_lazy("Dal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Al"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, exporter: type[Exporter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [(f, FORMAT_LABELS[f]) for f in exporter.formats]
        self.fields["format"].initial = exporter.formats[0]
        ambiti = permissions.visible(user, Ambito.objects.select_related("provincia"))
        self.fields["ambito"].queryset = ambiti
        self.fields["ambito"].choices = [("", _("Tutti"))] + [
            (a.pk, a.name) for a in sorted(ambiti, key=lambda a: natural_key(a.name))
        ]
        if not exporter.dated:
            del self.fields["start"], self.fields["end"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("La fine del periodo non può precedere l'inizio."))
        return data

    def params(self) -> dict:
        """The cleaned filters as JSON for the job (ids and ISO dates)."""
        out = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            out[name] = value.pk if hasattr(value, "pk") else value.isoformat() if isinstance(value, date) else value
        return out


FORMAT_LABELS = {
    "xlsx": gettext_lazy("Excel (.xlsx)"),
    "csv": gettext_lazy("CSV per Excel italiano (separatore ;)"),
}


@dataclass
class Filters:
    provincia: int | None = None
    ambito: int | None = None
    start: date | None = None
    end: date | None = None

    @classmethod
    def from_params(cls, params: dict) -> Filters:
        return cls(
            provincia=params.get("provincia"),
            ambito=params.get("ambito"),
            start=date.fromisoformat(params["start"]) if params.get("start") else None,
            end=date.fromisoformat(params["end"]) if params.get("end") else None,
        )


# --- writers ------------------------------------------------------------------------


def italian_number(value) -> str:
    """2.5 → "2,5", 10.0 → "10" (what Italian Excel reads as a number)."""
    if value is None:
        return ""
    text = str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, (Decimal, float)):
        return italian_number(value)
    return str(value)


class CsvTable:
    """Semicolon-separated, BOM-marked UTF-8: Italian Excel opens it in columns, accents intact."""

    def __init__(self, out):
        self.text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.text, delimiter=";")

    def sheet(self, title: str) -> None:
        # A CSV holds one table: later sheets are not written.
        pass

    def row(self, values: Iterable, bold: bool = False) -> None:
        self.writer.writerow([_csv_cell(v) for v in values])

    def rows(self, rows: Iterable[Iterable]) -> None:
        cell = _csv_cell
        self.writer.writerows([cell(v) for v in row] for row in rows)

    def raw_rows(self, rows: Iterable[Iterable]) -> None:
        """Rows already formatted as text (numbers and None are written as they are)."""
        self.writer.writerows(rows)

    def close(self) -> None:
        self.text.flush()
        self.text.detach()


class XlsxTable:
    """openpyxl's write-only workbook: rows go to disk as they come."""

    def __init__(self, out):
        self.out = out
        self.book = Workbook(write_only=True)
        self.ws = None

    def sheet(self, title: str) -> None:
        # Excel allows 31 characters and no []:*?/\ in a sheet name.
        clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
        self.ws = self.book.create_sheet(clean)

    def _cell(self, value, bold=False):
        if isinstance(value, date) or bold:
            cell = WriteOnlyCell(self.ws, value=value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            if bold:
                cell.font = Font(bold=True)
            return cell
        return value

    def row(self, values: Iterable, bold: bool = False) -> None:
        self.ws.append([self._cell(v, bold) for v in values])

    def rows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.ws.append([self._cell(v) for v in row])

    def close(self) -> None:
        self.book.save(self.out)


WRITERS = {"csv": CsvTable, "xlsx": XlsxTable}


# --- exporters ----------------------------------------------------------------------


class Exporter:
    identifier: str = ""
    verbose_name = ""
    description = ""
    permission = "reports.export"
    formats: tuple[str, ...] = ("xlsx", "csv")
    dated = False  # takes a period (start/end)
    do_not_call_in_templates = True  # templates list the classes themselves

    def __init__(self, user, params: dict, progress: Callable[[int], None] | None = None):
        self.user = user
        self.params = params
        self.filters = Filters.from_params(params)
        self.format = params.get("format") if params.get("format") in self.formats else self.formats[0]
        self.progress = progress or (lambda percent: None)

    def filename(self) -> str:
        return f"{self.identifier}-{timezone.localdate():%Y%m%d}.{self.format}"

    @property
    def content_type(self) -> str:
        return XLSX if self.format == "xlsx" else CSV

    def ambiti(self):
        """The ambiti in scope for this user and these filters, in natural order."""
        qs = permissions.visible(self.user, Ambito.objects.select_related("provincia", "capofila"))
        if self.filters.provincia:
            qs = qs.filter(provincia_id=self.filters.provincia)
        if self.filters.ambito:
            qs = qs.filter(pk=self.filters.ambito)
        return sorted(qs, key=lambda a: natural_key(a.name))

    def narrow(self, qs, ambito_path: str = "ambito"):
        qs = permissions.visible(self.user, qs)
        if self.filters.provincia:
            qs = qs.filter(**{f"{ambito_path}__provincia_id": self.filters.provincia})
        if self.filters.ambito:
            qs = qs.filter(**{f"{ambito_path}_id" if ambito_path == "ambito" else ambito_path: self.filters.ambito})
        return qs

    def render(self, out) -> None:
        table = WRITERS[self.format](out)
        self.write(table)
        table.close()

    def write(self, table) -> None:
        raise NotImplementedError


def activities_for(user, filters: Filters):
    """The activities an export covers: the user's scope, the filters, the period overlap."""
    qs = permissions.visible(user, Activity.objects.all()).between(filters.start, filters.end)
    if filters.provincia:
        qs = qs.filter(ambito__provincia_id=filters.provincia)
    if filters.ambito:
        qs = qs.filter(ambito_id=filters.ambito)
    return qs


def _count(**condition):
    return Coalesce(Sum("beneficiaries__count", filter=Q(**condition) if condition else None), 0)


@register
class ActivitiesExporter(Exporter):
    identifier = "attivita"
    verbose_name = gettext_lazy("Attività registrate")
    description = gettext_lazy("Una riga per attività, con i beneficiari per sesso e per tipo.")
    dated = True

    def headers(self) -> list[str]:
        return [
            _("ID"),
            _("Ambito"),
            _("Provincia"),
            _("Macro-azione"),
            _("Tipo di attività"),
            _("Titolo"),
            _("Data di inizio"),
            _("Data di fine"),
            _("Ore"),
            _("Luogo"),
            _("Comune"),
            _("Scuola"),
            _("Beneficiari"),
            *[str(label) for _value, label in Sex.choices],
            *[str(label) for _value, label in BeneficiaryType.choices],
        ]

    def _sql_text(self) -> bool:
        """CSV on PostgreSQL: dates, decimals and labels are formatted by the query itself."""
        return self.format == "csv" and connection.vendor == "postgresql"

    def queryset(self):
        sexes = {f"sex_{value}": _count(beneficiaries__sex=value) for value in Sex.values}
        types = {f"type_{value}": _count(beneficiaries__beneficiary_type=value) for value in BeneficiaryType.values}
        qs = (
            activities_for(self.user, self.filters)
            .annotate(total=_count(), **sexes, **types)
            .order_by("ambito__name", "start_date", "pk")
        )
        if self._sql_text():
            # The rows leave PostgreSQL as the text the CSV holds (what `rows()` does in Python
            # otherwise): the export then costs little more than the query, like COPY.
            qs = qs.annotate(
                macro_label=Case(
                    *[
                        When(macro_azione__number=m.number, then=Value(f"{m.number}. {m.title}"))
                        for m in macro_azioni_labels()
                    ],
                    default=Cast("macro_azione__number", CharField()),
                    output_field=CharField(),
                ),
                kind_label=Case(
                    *[When(kind=code, then=Value(str(label))) for code, label in ActivityKind.choices],
                    default=F("kind"),
                    output_field=CharField(),
                ),
                start_text=_sql_date("start_date"),
                end_text=_sql_date("end_date"),
                hours_text=_sql_italian_number("hours"),
            )
            columns = ("macro_label", "kind_label", "title", "start_text", "end_text", "hours_text")
        else:
            columns = ("macro_azione__number", "kind", "title", "start_date", "end_date", "hours")
        return qs.values_list(
            "pk",
            "ambito__name",
            "ambito__provincia__name",
            *columns,
            "place",
            "comune__name",
            "school__name",
            "total",
            *sexes,
            *types,
        )

    def rows(self, qs, count: int) -> Iterator[tuple]:
        step = max(count // 20, CHUNK)
        if self._sql_text():
            rows = qs.iterator(chunk_size=SQL_TEXT_CHUNK)
            for done in range(0, max(count, 1), step):
                yield from itertools.islice(rows, step)
                self.progress(min(99, (done + step) * 100 // max(count, 1)))
            yield from rows  # rows added since the count
            return
        kinds = {k: str(v) for k, v in ActivityKind.choices}
        macros = {m.number: f"{m.number}. {m.title}" for m in macro_azioni_labels()}
        csv_text = self.format == "csv"
        for i, row in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
            if i % step == 0:
                self.progress(min(99, i * 100 // max(count, 1)))
            if csv_text:
                # Formatted here, column by column, rather than by type-testing every cell.
                start, end, hours = row[6], row[7], row[8]
                yield (
                    row[0],
                    row[1],
                    row[2],
                    macros.get(row[3], row[3]),
                    kinds.get(row[4], row[4]),
                    row[5],
                    f"{start.day:02d}/{start.month:02d}/{start.year}",
                    f"{end.day:02d}/{end.month:02d}/{end.year}",
                    italian_number(hours),
                    row[9],
                    row[10] or "",
                    row[11] or "",
                    *row[12:],
                )
            else:
                yield (*row[:3], macros.get(row[3], row[3]), kinds.get(row[4], row[4]), *row[5:])

    def write(self, table) -> None:
        qs = self.queryset()
        count = activities_for(self.user, self.filters).count()
        table.sheet(_("Attività"))
        table.row(self.headers(), bold=True)
        if isinstance(table, CsvTable):
            table.raw_rows(self.rows(qs, count))
        else:
            table.rows(self.rows(qs, count))


def _sql_date(name: str):
    return Func(F(name), Value("DD/MM/YYYY"), function="to_char", output_field=CharField())


def _sql_italian_number(name: str):
    """2.5 → "2,5", 10.0 → "10" (as `italian_number`), in PostgreSQL."""
    text = Cast(name, TextField())
    trimmed = Func(Func(text, Value("0"), function="rtrim"), Value("."), function="rtrim", output_field=TextField())
    return Func(trimmed, Value("."), Value(","), function="replace", output_field=CharField())


@register
class DesksExporter(Exporter):
    identifier = "sportelli"
    verbose_name = gettext_lazy("Elenco degli sportelli")
    description = gettext_lazy("Sportelli con indirizzo, contatti, servizi e lingue parlate.")

    def write(self, table) -> None:
        qs = (
            self.narrow(Sportello.objects.all())
            .select_related("ambito", "comune")
            .prefetch_related("languages", "categories")
            .order_by("ambito__name", "name")
        )
        table.sheet(_("Sportelli"))
        table.row(
            [
                _("Ambito"),
                _("Sportello"),
                _("Comune"),
                _("Indirizzo"),
                _("Telefono"),
                _("Email"),
                _("Servizi"),
                _("Lingue parlate"),
                _("Pubblicato"),
                _("Ultimo aggiornamento"),
            ],
            bold=True,
        )
        yes, no = _("sì"), _("no")
        table.rows(
            (
                desk.ambito.name,
                desk.name,
                desk.comune.name,
                desk.address,
                desk.phone,
                desk.email,
                ", ".join(c.name for c in desk.categories.all()),
                ", ".join(lang.name for lang in desk.languages.all()),
                yes if desk.is_published else no,
                timezone.localtime(desk.updated_at).date(),
            )
            for desk in qs.iterator(chunk_size=CHUNK)
        )


@register
class MediatorsExporter(Exporter):
    identifier = "mediatori"
    verbose_name = gettext_lazy("Registro dei mediatori")
    description = gettext_lazy("Mediatori con lingue, ambiti e disponibilità (solo Regione).")
    permission = "reports.export_mediators"

    def write(self, table) -> None:
        from mediation.models import Mediator

        qs = permissions.visible(self.user, Mediator.objects.all()).prefetch_related("languages", "ambiti")
        if self.filters.ambito:
            qs = qs.filter(ambiti=self.filters.ambito)
        if self.filters.provincia:
            qs = qs.filter(ambiti__provincia=self.filters.provincia)
        table.sheet(_("Mediatori"))
        table.row(
            [_("Cognome"), _("Nome"), _("Email"), _("Telefono"), _("Lingue"), _("Ambiti"), _("Disponibile")], bold=True
        )
        yes, no = _("sì"), _("no")
        table.rows(
            (
                m.last_name,
                m.first_name,
                m.email,
                m.phone,
                ", ".join(lang.name for lang in m.languages.all()),
                ", ".join(a.name for a in sorted(m.ambiti.all(), key=lambda a: natural_key(a.name))),
                yes if m.is_available else no,
            )
            for m in qs.distinct().order_by("last_name", "first_name")
        )


@register
class BudgetsExporter(Exporter):
    identifier = "budget"
    verbose_name = gettext_lazy("Budget per ambito")
    description = gettext_lazy("Ente capofila, budget e proroghe di ciascun ambito.")

    def write(self, table) -> None:
        table.sheet(_("Budget"))
        table.row(
            [
                _("Ambito"),
                _("Provincia"),
                _("Ente capofila"),
                _("Budget (€)"),
                _("Budget proroghe (€)"),
                _("Totale (€)"),
            ],
            bold=True,
        )
        for a in self.ambiti():
            total = (a.budget or 0) + (a.budget_extra or 0) if (a.budget or a.budget_extra) else None
            table.row(
                [a.name, a.provincia.name, a.capofila.name if a.capofila_id else "", a.budget, a.budget_extra, total]
            )


# --- the FAMI workbook --------------------------------------------------------------


@dataclass
class WorkbookSection:
    """An extra sheet of the FAMI workbook contributed by another app (e.g. mediation)."""

    title: Callable[[], str]
    has_data: Callable[[Exporter], bool]
    write: Callable[[Exporter, object], None]


WORKBOOK_SECTIONS: list[WorkbookSection] = []


def register_workbook_section(section: WorkbookSection) -> WorkbookSection:
    WORKBOOK_SECTIONS.append(section)
    return section


BREAKDOWNS = [
    ("sex", Sex),
    ("age_band", AgeBand),
    ("nationality_group", NationalityGroup),
    ("beneficiary_type", BeneficiaryType),
]


@register
class FamiWorkbookExporter(Exporter):
    """The indicators the Regione reports to the Ministry, per ambito × macro-azione × period.

    Periods are calendar years; an activity counts in the year it starts (or the first year
    of the requested period, if it started before). The summary equals the dashboard for
    the same filters: both read `ActivityQuerySet.indicators()`.
    """

    identifier = "fami"
    verbose_name = gettext_lazy("Cartella degli indicatori FAMI")
    description = gettext_lazy(
        "Un foglio per macro-azione (ambito × anno: attività, ore, beneficiari per sesso, età, "
        "provenienza e tipo) più riepilogo e sportelli."
    )
    formats = ("xlsx",)
    dated = True

    def years(self, activities) -> list[int]:
        start = self.filters.start
        end = self.filters.end
        if start is None:
            first = activities.order_by("start_date").values_list("start_date", flat=True).first()
            plan = Plan.objects.official().order_by("start").first()
            start = first or (plan.start if plan else timezone.localdate())
        if end is None:
            last = activities.order_by("-start_date").values_list("start_date", flat=True).first()
            end = max(last or start, start)
        return list(range(start.year, end.year + 1))

    def write(self, table) -> None:
        activities = activities_for(self.user, self.filters)
        ambiti = self.ambiti()
        macros = macro_azioni_labels()
        years = self.years(activities)
        floor = self.filters.start or date(years[0], 1, 1)
        dated = activities.annotate(period=ExtractYear(Greatest("start_date", Value(floor, output_field=DateField()))))
        steps = len(years) + 2
        per_year = {}
        for i, year in enumerate(years):
            in_year = dated.filter(period=year)
            per_year[year] = {
                "rows": {(r["ambito_id"], r["macro_azione__number"]): r for r in in_year.indicators()},
                **{field: in_year.beneficiaries_by(field) for field, _choices in BREAKDOWNS},
            }
            self.progress(100 * (i + 1) // steps)

        self._summary(table, activities, ambiti, macros, years)
        breakdown_headers = [str(label) for _field, choices in BREAKDOWNS for _value, label in choices.choices]
        for macro in macros:
            table.sheet(_("Macro-azione %(number)s") % {"number": macro.number})
            table.row([f"{macro.number}. {macro.title}"], bold=True)
            table.row(
                [_("Ambito"), _("Provincia"), _("Anno"), _("Attività"), _("Ore"), _("Beneficiari"), *breakdown_headers],
                bold=True,
            )
            for ambito in ambiti:
                for year in years:
                    data = per_year[year]
                    row = data["rows"].get((ambito.pk, macro.number), {})
                    counts = [
                        data[field].get((ambito.pk, macro.number, value), 0)
                        for field, choices in BREAKDOWNS
                        for value in choices.values
                    ]
                    table.row(
                        [
                            ambito.name,
                            ambito.provincia.name,
                            year,
                            row.get("activities", 0),
                            row.get("hours", Decimal(0)),
                            row.get("beneficiaries", 0),
                            *counts,
                        ]
                    )
        self._desks(table)
        for section in WORKBOOK_SECTIONS:
            if section.has_data(self):
                table.sheet(section.title())
                section.write(self, table)
        self.progress(99)

    def _summary(self, table, activities, ambiti, macros, years) -> None:
        table.sheet(_("Riepilogo"))
        table.row([_("Cartella degli indicatori FAMI — Lab'Impact")], bold=True)
        period = f"{years[0]}–{years[-1]}" if years else ""
        table.row([_("Periodo"), period])
        table.row([_("Generata il"), timezone.localdate()])
        table.row([])
        table.row([_("Macro-azione"), _("Attività"), _("Ore"), _("Beneficiari")], bold=True)
        rows = activities.indicators()
        totals = {m.number: [0, Decimal(0), 0] for m in macros}
        per_ambito = {}
        for r in rows:
            bucket = totals.setdefault(r["macro_azione__number"], [0, Decimal(0), 0])
            bucket[0] += r["activities"]
            bucket[1] += r["hours"]
            bucket[2] += r["beneficiaries"]
            a = per_ambito.setdefault(r["ambito_id"], [0, Decimal(0), 0])
            a[0] += r["activities"]
            a[1] += r["hours"]
            a[2] += r["beneficiaries"]
        for macro in macros:
            table.row([f"{macro.number}. {macro.title}", *totals[macro.number]])
        table.row(
            [
                _("Totale"),
                sum(t[0] for t in totals.values()),
                sum((t[1] for t in totals.values()), Decimal(0)),
                sum(t[2] for t in totals.values()),
            ],
            bold=True,
        )
        table.row([])
        table.row([_("Ambito"), _("Provincia"), _("Attività"), _("Ore"), _("Beneficiari")], bold=True)
        for ambito in ambiti:
            table.row([ambito.name, ambito.provincia.name, *per_ambito.get(ambito.pk, [0, Decimal(0), 0])])

    def _desks(self, table) -> None:
        desks = (
            self.narrow(Sportello.objects.all())
            .select_related("ambito", "comune")
            .prefetch_related("languages")
            .order_by("ambito__name", "name")
        )
        table.sheet(_("Sportelli"))
        table.row([_("Ambito"), _("Sportello"), _("Comune"), _("Lingue parlate"), _("Numero di lingue")], bold=True)
        for desk in desks:
            names = [lang.name for lang in desk.languages.all()]
            table.row([desk.ambito.name, desk.name, desk.comune.name, ", ".join(names), len(names)])

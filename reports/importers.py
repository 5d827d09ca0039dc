"""Imports with a dry run: spreadsheets as ambiti really keep them, validated whole before a write.

1. `read_table()` turns an upload into rows: XLSX (recognised by its bytes, not its name) or
   CSV in UTF-8 with or without BOM or Windows-1252, separated by `;`, `,` or tab; headers
   matched without regard to case, accents, apostrophes or spaces; cells stripped.
2. An importer maps the Italian headers to fields and runs django-import-export's own dry
   run (inside a transaction that is rolled back), saving each row through our services, so
   scope and model rules apply exactly as in the admin.
3. Every problem comes back as (spreadsheet row, column, Italian message). Only a clean file
   can be confirmed; the confirmed import re-runs the checks and writes in one transaction.

Rows are matched on natural keys (activity: ambito + title + start date; school: codice
meccanografico): importing the same file again updates, never duplicates.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields as ie_fields
from import_export import resources, widgets
from openpyxl import load_workbook

from access import permissions
from common.text import fold
from reports import services
from reports.models import Activity, ActivityKind
from schools.models import School, SchoolKind
from schools.services import school_save
from territories.models import Ambito, Comune

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000


class ImportFileError(Exception):
    """The file as a whole cannot be read (empty, binary, too large, wrong columns)."""


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass
class Report:
    """What a dry run or a write found: errors by row and column, and the counts."""

    errors: list[RowError] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading ------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page: Windows-1252 in Italy.
        return data.decode("cp1252", errors="replace")


def _sniff_delimiter(text: str) -> str:
    head = "\n".join(text.splitlines()[:5])
    try:
        return csv.Sniffer().sniff(head, delimiters=";,\t").delimiter
    except csv.Error:
        return max(";,\t", key=head.count)


def read_table(upload) -> list[list[str]]:
    """The rows of an uploaded CSV or XLSX file, header first, cells as stripped text or values."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImportFileError(_("Il file supera i 10 MB: dividilo in più file."))
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Il file supera i 10 MB: dividilo in più file."))
    if not data.strip():
        raise ImportFileError(_("Il file è vuoto."))
    if data.startswith(b"PK\x03\x04"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        except Exception as exc:
            raise ImportFileError(_("Il foglio Excel non si legge: salvalo di nuovo come .xlsx o .csv.")) from exc
    else:
        if b"\x00" in data[:8192]:
            raise ImportFileError(_("Il file non è un CSV né un foglio Excel (.xlsx)."))
        text = _decode(data)
        rows = list(csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text)))
    cleaned = []
    for row in rows:
        cells = [c.strip() if isinstance(c, str) else ("" if c is None else c) for c in row]
        if any(c != "" for c in cells):
            cleaned.append(cells)
    if len(cleaned) < 2:
        raise ImportFileError(_("Il file non contiene righe di dati sotto l'intestazione."))
    if len(cleaned) > MAX_ROWS + 1:
        raise ImportFileError(_("Il file ha più di %(max)s righe: dividilo in più file.") % {"max": MAX_ROWS})
    return cleaned


# --- widgets: Italian spreadsheets ------------------------------------------------------


class ItalianDateWidget(widgets.Widget):
    """dd/mm/yyyy (also d/m/yy, dd-mm-yyyy, dd.mm.yyyy), ISO dates, or Excel dates."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen = {}  # a file repeats its dates: each spelling is parsed once

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        if text in self._seen:
            return self._seen[text]
        for fmt in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
            try:
                self._seen[text] = datetime.strptime(text, fmt).date()
                return self._seen[text]
            except ValueError:
                continue
        raise ValueError(_("«%(value)s» non è una data: scrivila come gg/mm/aaaa.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class ItalianDecimalWidget(widgets.Widget):
    """2,5 and 1.234,5 (Italian), 2.5, or an Excel number."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, (int, float, Decimal)):
            return Decimal(str(value))
        text = str(value).strip().replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(_("«%(value)s» non è un numero (esempio: 2,5).") % {"value": value}) from exc


class ChoiceWidget(widgets.Widget):
    """A choice written as its Italian label or its code, in any case, with or without accents."""

    def __init__(self, choices, default="", **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.default = default
        self._index = None

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return self.default
        if self._index is None:
            # Built on first use, in the active language (labels are translated).
            self._index = {}
            for code, label in self.choices.choices:
                self._index.setdefault(fold(code), code)
                self._index.setdefault(fold(str(label)), code)
        code = self._index.get(fold(str(value)))
        if code is not None:
            return code
        raise ValueError(
            _("«%(value)s» non è tra i valori ammessi: %(choices)s.")
            % {"value": value, "choices": ", ".join(str(label) for _code, label in self.choices.choices)}
        )


class NamedWidget(widgets.ForeignKeyWidget):
    """A row found by its folded name ("Cornate d'Adda" = "cornate dadda", trailing spaces ignored)."""

    def __init__(self, model, message, **kwargs):
        super().__init__(model, **kwargs)
        self.message = message
        self._cache = None
        self._seen = {}

    def _index(self):
        if self._cache is None:
            index = {}
            for obj in self.model.objects.all():
                index.setdefault(fold(obj.name), []).append(obj)
                if getattr(obj, "slug", None):
                    index.setdefault(fold(obj.slug), []).append(obj)
            self._cache = index
        return self._cache

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if value in self._seen:  # the same spelling again (most rows of a file name one ambito)
            return self._seen[value]
        found = self._index().get(fold(str(value)), [])
        if len({o.pk for o in found}) == 1:
            self._seen[value] = found[0]
            return found[0]
        if found:
            raise ValueError(
                _("«%(value)s» è ambiguo: più voci hanno questo nome (%(where)s).")
                % {"value": value, "where": ", ".join(sorted({str(getattr(o, "provincia", o)) for o in found}))}
            )
        raise ValueError(self.message % {"value": value})


class SchoolCodeWidget(widgets.ForeignKeyWidget):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._cache = {}

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        code = str(value).strip().upper()
        if code not in self._cache:
            self._cache[code] = School.objects.filter(code=code).first()
        if self._cache[code] is None:
            raise ValueError(_("Nessuna scuola con codice meccanografico «%(value)s».") % {"value": value})
        return self._cache[code]


# --- resources: rows saved through the services --------------------------------------


class ScopedResource(resources.ModelResource):
    """A resource that reads rows the user may see and saves through a service as the user."""

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._macro_cache = {}
        self.progress = lambda number: None
        self._rows_done = 0

    def after_import_row(self, row, row_result, **kwargs):
        self._rows_done += 1
        self.progress(self._rows_done)

    def get_queryset(self):
        return permissions.visible(self.user, super().get_queryset(), permissions.CHANGE)

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ValidationError):
            # A key column that does not parse: the row is reported on that column when
            # its fields are read, rather than as an unexpected error of the whole row.
            return None

    def do_instance_save(self, instance, is_create):
        try:
            self.save_through_service(instance)
        except PermissionDenied as exc:
            raise ValidationError({"ambito": str(exc) or _("Non hai i permessi per modificare questo dato.")}) from exc

    def save_through_service(self, instance):
        raise NotImplementedError


def ambito_field() -> ie_fields.Field:
    """The «ambito» column of every import: an ambito by its name."""
    return ie_fields.Field(
        attribute="ambito",
        column_name="ambito",
        widget=NamedWidget(Ambito, gettext_lazy("Nessun ambito si chiama «%(value)s».")),
    )


def comune_field() -> ie_fields.Field:
    """The «comune» column of every import: a Lombard comune by its name, accents and apostrophes optional."""
    return ie_fields.Field(
        attribute="comune",
        column_name="comune",
        widget=NamedWidget(Comune, gettext_lazy("Nessun comune lombardo si chiama «%(value)s».")),
    )


class ActivityResource(ScopedResource):
    ambito = ambito_field()
    kind = ie_fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(ActivityKind))
    start_date = ie_fields.Field(attribute="start_date", column_name="start_date", widget=ItalianDateWidget())
    end_date = ie_fields.Field(attribute="end_date", column_name="end_date", widget=ItalianDateWidget())
    hours = ie_fields.Field(attribute="hours", column_name="hours", widget=ItalianDecimalWidget())
    comune = comune_field()
    school = ie_fields.Field(attribute="school", column_name="school", widget=SchoolCodeWidget(School))

    class Meta:
        model = Activity
        fields = ("ambito", "kind", "title", "start_date", "end_date", "hours", "place", "comune", "school", "notes")
        import_id_fields = ("ambito", "title", "start_date")
        skip_unchanged = True
        report_skipped = True
        # The service validates the whole instance (full_clean) before saving, and its
        # ValidationError becomes the row's: validating here as well would do it twice.
        clean_model_instances = False

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The macro-azione follows from the kind and the date, as in the admin form (one
        # lookup per distinct kind × day × ambito, not per row).
        if instance.macro_azione_id is None and instance.kind and instance.start_date:
            key = (instance.kind, instance.start_date, instance.ambito_id)
            if key not in self._macro_cache:
                self._macro_cache[key] = services.default_macro_azione(
                    instance.kind, day=instance.start_date, ambito_id=instance.ambito_id
                )
            instance.macro_azione = self._macro_cache[key]
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def save_through_service(self, instance):
        services.activity_save(activity=instance, by=self.user)


class SchoolResource(ScopedResource):
    ambito = ambito_field()
    kind = ie_fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(SchoolKind, SchoolKind.IC))
    comune = comune_field()

    class Meta:
        model = School
        fields = ("code", "name", "ambito", "kind", "comune", "address", "email", "phone")
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def before_import_row(self, row, **kwargs):
        if row.get("code"):
            row["code"] = str(row["code"]).strip().upper()

    def save_through_service(self, instance):
        school_save(school=instance, by=self.user)


# --- importers: columns, the dry run, the write -----------------------------------------


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the Italian heading of the template
    required: bool = False
    aliases: tuple[str, ...] = ()


class Importer:
    identifier = ""
    verbose_name = ""
    resource_class: type[ScopedResource]
    columns: tuple[Column, ...] = ()
    duplicate_column = ""  # where a repeated natural key is reported
    key_fields: tuple[str, ...] = ()  # the natural key, when not the resource's import_id_fields
    error_aliases: dict[str, str] = {}  # a model field named by a service's error → its column
    model = None
    do_not_call_in_templates = True

    def __init__(self, user, progress=None):
        self.user = user
        # Called with a percentage (0–99) as rows are processed (import jobs show it).
        self.progress = progress or (lambda percent: None)

    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    def _map_headers(self, header_row) -> list[str | None]:
        lookup = {}
        for column in self.columns:
            for name in (str(column.header), column.field, *column.aliases):
                lookup[fold(name)] = column.field
        return [lookup.get(fold(str(h))) for h in header_row]

    def dataset(self, rows) -> tablib.Dataset:
        mapped = self._map_headers(rows[0])
        present = {f for f in mapped if f}
        missing = [str(c.header) for c in self.columns if c.required and c.field not in present]
        missing += self.missing_columns(present)
        if missing:
            raise ImportFileError(
                _("Mancano queste colonne: %(missing)s. Le colonne previste sono: %(expected)s.")
                % {"missing": ", ".join(missing), "expected": ", ".join(self.headers())}
            )
        keep = [i for i, f in enumerate(mapped) if f]
        fields = [mapped[i] for i in keep]
        data = tablib.Dataset(headers=fields + self.extra_fields(present))
        for row in rows[1:]:
            values = [row[i] if i < len(row) else "" for i in keep]
            data.append(values + self.extra_values(present))
        return data

    def missing_columns(self, present) -> list[str]:
        return []

    def extra_fields(self, present) -> list[str]:
        return []

    def extra_values(self, present) -> list:
        return []

    def header_of(self, name: str) -> str:
        name = self.error_aliases.get(name, name)
        for column in self.columns:
            if column.field == name:
                return str(column.header)
        return name if name != "__all__" else _("riga")

    def run(self, rows, *, dry_run: bool) -> Report:
        data = self.dataset(rows)
        report = Report(total=len(data))
        report.errors.extend(self.duplicates(data))
        resource = self.resource_class(user=self.user)
        resource.progress = self._row_progress(len(data))
        result = resource.import_data(data, dry_run=dry_run, raise_errors=False, use_transactions=True)
        for invalid in result.invalid_rows:
            for name, messages in invalid.error_dict.items():
                for message in messages:
                    report.errors.append(RowError(invalid.number + 1, self.header_of(name), str(message)))
        for number, errors in result.row_errors():
            for error in errors:
                report.errors.append(
                    RowError(number + 1, _("riga"), _("Errore imprevisto: %(error)s") % {"error": error.error})
                )
        totals = result.totals
        report.new, report.updated, report.unchanged = totals["new"], totals["update"], totals["skip"]
        return self._sorted(report)

    def _row_progress(self, total: int):
        step = max(total // 50, 1)

        def done(number: int) -> None:
            if number % step == 0:
                self.progress(min(99, number * 100 // max(total, 1)))

        return done

    def _sorted(self, report: Report) -> Report:
        order = {str(c.header): i for i, c in enumerate(self.columns)}
        report.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
        return report

    def duplicates(self, data) -> list[RowError]:
        keys = [f for f in (self.key_fields or self.resource_class._meta.import_id_fields) if f in data.headers]
        if not keys:
            return []
        seen, errors = {}, []
        for number, row in enumerate(data.dict, start=2):
            key = tuple(fold(str(row.get(k, ""))) for k in keys)
            if not all(key):
                continue
            if key in seen:
                errors.append(
                    RowError(
                        number,
                        self.header_of(self.duplicate_column),
                        _("Riga ripetuta: è uguale alla riga %(row)s.") % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = number
        return errors

    def dry_run(self, rows) -> Report:
        return self.run(rows, dry_run=True)

    def write(self, rows) -> Report:
        """Check again, then write every row or none (one transaction)."""
        with transaction.atomic():
            report = self.run(rows, dry_run=False)
            if not report.ok:
                transaction.set_rollback(True)
        return report


class OwnAmbitoDefault:
    """Operators of one ambito may leave out the «Ambito» column: their rows go there."""

    def _default_ambito(self):
        ids = permissions.grants_for(self.user).ambito_ids
        return Ambito.objects.get(pk=next(iter(ids))) if len(ids) == 1 else None

    def missing_columns(self, present) -> list[str]:
        if "ambito" not in present and self._default_ambito() is None:
            return [_("Ambito")]
        return []

    def extra_fields(self, present) -> list[str]:
        return [] if "ambito" in present else ["ambito"]

    def extra_values(self, present) -> list:
        return [] if "ambito" in present else [self._default_ambito().name]


REGISTRY: dict[str, type[Importer]] = {}


def register(cls):
    REGISTRY[cls.identifier] = cls
    return cls


class BulkActivityWrite:
    """The confirmed write of activities: rows read by the resource's widgets, validated in
    Python with the service's rules, then written with bulk_create in one transaction
    (`services.activities_bulk_save`). The dry run stays import-export's own; both report
    the same errors (tested), the write costs a few times a plain bulk_create, not a
    hundred (benchmarks/reports.py)."""

    def write(self, rows) -> Report:
        data = self.dataset(rows)
        report = Report(total=len(data))
        report.errors.extend(self.duplicates(data))
        resource = self.resource_class(user=self.user)
        fields = list(resource._meta.fields)
        import_fields = [f for f in resource.get_import_fields() if f.column_name in data.headers]
        rows = list(data.dict)
        keys = []
        for row in rows:
            resource.before_import_row(row)
            try:
                ambito, title, start = (resource.fields[f].clean(row) for f in resource._meta.import_id_fields)
                keys.append((ambito.pk, title, start) if ambito and title and start else None)
            except (ValueError, ValidationError):
                keys.append(None)
        # The stored activities this file may update: one query, narrowed to its keys and the user's scope.
        known = [k for k in keys if k]
        existing = {}
        if known:
            stored = resource.get_queryset().filter(
                ambito_id__in={k[0] for k in known},
                title__in={k[1] for k in known},
                start_date__in={k[2] for k in known},
            )
            for activity in stored:
                existing.setdefault((activity.ambito_id, activity.title, activity.start_date), activity)
        pending, numbers = [], []
        progress = self._row_progress(len(rows))
        for number, (row, key) in enumerate(zip(rows, keys, strict=True), start=2):
            progress(number - 1)
            found = existing.get(key) if key else None
            instance = found if found is not None else Activity()
            before = [getattr(instance, f"{name}_id", None) or getattr(instance, name, None) for name in fields]
            problems = {}
            for column in import_fields:
                try:
                    column.save(instance, row)
                except ValueError as exc:
                    problems.setdefault(column.attribute, []).append(str(exc))
            if problems:
                for name, messages in problems.items():
                    report.errors.extend(RowError(number, self.header_of(name), m) for m in messages)
                continue
            resource.validate_instance(instance)  # sets the macro-azione as the dry run does
            after = [getattr(instance, f"{name}_id", None) or getattr(instance, name, None) for name in fields]
            if found is not None and before == after:
                report.unchanged += 1
                continue
            if found is None:
                report.new += 1
            else:
                report.updated += 1
            pending.append(instance)
            numbers.append(number)
        # Rows that read well are checked even when others did not: the report lists every problem.
        errors = services.activities_bulk_save(
            activities=pending, by=self.user, changed_fields=[*fields, "macro_azione"], commit=not report.errors
        )
        for index, error in errors.items():
            for name, messages in (
                error.message_dict.items() if hasattr(error, "error_dict") else [("__all__", error.messages)]
            ):
                for message in messages:
                    column = self.header_of(name) if name != NON_FIELD_ERRORS else _("riga")
                    report.errors.append(RowError(numbers[index], column, message))
        return self._sorted(report)


@register
class ActivityImporter(BulkActivityWrite, OwnAmbitoDefault, Importer):
    identifier = "attivita"
    verbose_name = gettext_lazy("Attività")
    model = Activity
    resource_class = ActivityResource
    duplicate_column = "title"
    columns = (
        Column("ambito", gettext_lazy("Ambito")),
        Column("kind", gettext_lazy("Tipo di attività"), True, ("tipo",)),
        Column("title", gettext_lazy("Titolo"), True, ("attività", "attivita")),
        Column("start_date", gettext_lazy("Data di inizio"), True, ("inizio", "data inizio", "data")),
        Column("end_date", gettext_lazy("Data di fine"), True, ("fine", "data fine")),
        Column("hours", gettext_lazy("Ore"), True),
        Column("place", gettext_lazy("Luogo")),
        Column("comune", gettext_lazy("Comune")),
        Column("school", gettext_lazy("Codice scuola"), False, ("codice meccanografico", "scuola")),
        Column("notes", gettext_lazy("Note")),
    )


@register
class SchoolImporter(OwnAmbitoDefault, Importer):
    identifier = "scuole"
    verbose_name = gettext_lazy("Scuole")
    model = School
    resource_class = SchoolResource
    duplicate_column = "code"
    columns = (
        Column("code", gettext_lazy("Codice meccanografico"), True, ("codice",)),
        Column("name", gettext_lazy("Denominazione"), True, ("nome", "scuola")),
        Column("ambito", gettext_lazy("Ambito")),
        Column("kind", gettext_lazy("Tipo")),
        Column("comune", gettext_lazy("Comune"), True),
        Column("address", gettext_lazy("Indirizzo")),
        Column("email", gettext_lazy("Email"), False, ("e-mail", "posta elettronica")),
        Column("phone", gettext_lazy("Telefono")),
    )


def available(user) -> list[type[Importer]]:
    if not permissions.can(user, permissions.VIEW, "reports.import"):
        return []
    return [cls for cls in REGISTRY.values() if permissions.can(user, permissions.ADD, cls.model)]


# Desks and mediators (they register themselves in REGISTRY).
from reports import importers_directory  # noqa: E402, F401

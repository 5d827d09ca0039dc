"""Imports of the directory: information desks (with services, languages, weekly hours) and the
mediator register. Same machinery as activities and schools (`reports.importers`): Italian
headings, django-import-export's dry run, rows saved through the services as the user.

Lists in one cell («arabo, francese», «Lavoro / Casa») are split on `,` `;` `/` `|` or a new
line and matched by folded name or code. Weekly hours read as people write them:
«lun-ven 9-12; mer 14:30-17», «lunedì 9.00-12.30, 14-16».

Natural keys: desk = ambito + name; mediator = e-mail, or first and last name when the row
has no e-mail. Re-importing the same file updates, never duplicates.
"""

from __future__ import annotations

import re
from datetime import time

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields as ie_fields
from import_export import widgets

from access import permissions
from common.text import fold
from mediation.models import Mediator
from mediation.services import mediator_save
from reports import importers
from reports.importers import (
    ChoiceWidget,
    Column,
    Importer,
    ItalianDecimalWidget,
    OwnAmbitoDefault,
    ambito_field,
    comune_field,
)
from services.models import Language, OpeningMode, OpeningSlot, ServiceCategory, Sportello
from services.services import opening_slots_replace, sportello_save
from territories.models import Ambito

LIST_SEPARATORS = re.compile(r"\s*[,;/|\n]\s*")


class NamedListWidget(widgets.Widget):
    """Several rows of a reference table in one cell, by folded name (any language) or code."""

    def __init__(self, model, keys: tuple[str, ...], message, **kwargs):
        super().__init__(**kwargs)
        self.model = model
        self.keys = keys
        self.message = message
        self._cache = None

    def _index(self):
        if self._cache is None:
            index = {}
            for obj in self.model.objects.all():
                for key in self.keys:
                    value = getattr(obj, key, None)
                    if value:
                        index.setdefault(fold(str(value)), obj)
            self._cache = index
        return self._cache

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ()
        found, unknown = {}, []
        for part in LIST_SEPARATORS.split(str(value).strip()):
            if not part:
                continue
            obj = self._index().get(fold(part))
            if obj is None:
                unknown.append(part)
            else:
                found[obj.pk] = obj
        if unknown:
            raise ValueError(self.message % {"value": ", ".join(f"«{u}»" for u in unknown)})
        return tuple(found[pk] for pk in sorted(found))

    def render(self, value, obj=None, **kwargs):
        return ", ".join(str(v) for v in value or ())


class BooleanWidget(widgets.Widget):
    """Sì/No as people write it (sì, si, x, 1, vero; no, 0, falso); empty = the default."""

    YES = {"si", "s", "x", "1", "vero", "true", "yes"}
    NO = {"no", "n", "0", "falso", "false"}

    def __init__(self, default=True, **kwargs):
        super().__init__(**kwargs)
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return self.default
        if isinstance(value, bool):
            return value
        key = fold(str(value))
        if key in self.YES:
            return True
        if key in self.NO:
            return False
        raise ValueError(_("«%(value)s»: scrivi «Sì» o «No».") % {"value": value})


# --- weekly hours ---------------------------------------------------------------------------

DAYS = {
    "lunedi": 0,
    "lun": 0,
    "martedi": 1,
    "mar": 1,
    "mercoledi": 2,
    "mer": 2,
    "giovedi": 3,
    "gio": 3,
    "venerdi": 4,
    "ven": 4,
    "sabato": 5,
    "sab": 5,
    "domenica": 6,
    "dom": 6,
}
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?"
_RANGE = re.compile(rf"^{_TIME}\s*-\s*{_TIME}$")


def _day(word: str) -> int | None:
    return DAYS.get(fold(word))


def _time(hours: str, minutes: str | None) -> time:
    return time(int(hours), int(minutes or 0))


def parse_slots(text: str) -> tuple[tuple[int, time, time], ...]:
    """«lun-ven 9-12; mer 14:30-17» → ((0, 9:00, 12:00), …). ValueError names the piece it cannot read."""
    slots = set()
    for segment in re.split(r"\s*[;|\n]\s*", text.strip()):
        if not segment:
            continue
        match = re.match(r"^([^\d]+?)\s+(\d.*)$", segment)
        if not match:
            raise ValueError(segment)
        days_text, times_text = match.groups()
        days = []
        for piece in re.split(r"\s*(?:,|\be\b)\s*", days_text.strip()):
            if not piece:
                continue
            if "-" in piece:
                first, _sep, last = (p.strip() for p in piece.partition("-"))
                a, b = _day(first), _day(last)
                if a is None or b is None or b < a:
                    raise ValueError(segment)
                days.extend(range(a, b + 1))
            else:
                day = _day(piece)
                if day is None:
                    raise ValueError(segment)
                days.append(day)
        for piece in re.split(r"\s*(?:,|\be\b)\s*", times_text.strip()):
            if not piece:
                continue
            found = _RANGE.match(piece.replace(" ", ""))
            if not found:
                raise ValueError(segment)
            try:
                opens, closes = _time(*found.group(1, 2)), _time(*found.group(3, 4))
            except ValueError as exc:
                raise ValueError(segment) from exc
            if closes <= opens:
                raise ValueError(segment)
            for day in days:
                slots.add((day, opens, closes))
    return tuple(sorted(slots))


class SlotsWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ()
        try:
            return parse_slots(str(value))
        except ValueError as exc:
            raise ValueError(
                _("Non riesco a leggere l'orario «%(value)s»: scrivilo come «lun-ven 9-12; mer 14:30-17».")
                % {"value": exc.args[0] if exc.args else value}
            ) from exc

    def render(self, value, obj=None, **kwargs):
        return "; ".join(f"{d} {o:%H:%M}-{c:%H:%M}" for d, o, c in value or ())


# --- resources --------------------------------------------------------------------------------


class DirectoryResource(importers.ScopedResource):
    """Rows found by a natural key computed in Python (folded), among the rows the user may change."""

    list_fields: tuple[str, ...] = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._index = None

    def natural_key(self, values: dict) -> tuple | None:
        raise NotImplementedError

    def instance_key(self, obj) -> tuple | None:
        raise NotImplementedError

    def get_instance(self, instance_loader, row):
        if self._index is None:
            self._index = {}
            for obj in self.get_queryset():
                key = self.instance_key(obj)
                if key:
                    self._index.setdefault(key, obj)
        try:
            key = self.natural_key(row)
        except (ValueError, ValidationError):
            return None
        found = self._index.get(key) if key else None
        return type(found).objects.get(pk=found.pk) if found is not None else None

    def after_init_instance(self, instance, new, row, **kwargs):
        # The lists as stored, so that an unchanged row is recognised (and reported) as such.
        for name in self.list_fields:
            setattr(instance, name, () if new else self.current(instance, name))

    def current(self, instance, name):
        raise NotImplementedError

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        for field in self.get_import_fields():
            if field.column_name not in row:
                continue
            if field.get_value(instance) != field.get_value(original):
                return False
        return True


def _unique_slug(base: str) -> str:
    slug = slugify(base)[:110] or "sportello"
    candidate, n = slug, 2
    while Sportello.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


class SportelloResource(DirectoryResource):
    list_fields = ("categories_list", "languages_list", "slots_list")

    ambito = ambito_field()
    name_it = ie_fields.Field(attribute="name_it", column_name="name_it")
    address = ie_fields.Field(attribute="address", column_name="address")
    comune = comune_field()
    phone = ie_fields.Field(attribute="phone", column_name="phone")
    email = ie_fields.Field(attribute="email", column_name="email")
    website = ie_fields.Field(attribute="website", column_name="website")
    opening_mode = ie_fields.Field(
        attribute="opening_mode",
        column_name="opening_mode",
        widget=ChoiceWidget(OpeningMode, OpeningMode.REGULAR),
    )
    latitude = ie_fields.Field(attribute="latitude", column_name="latitude", widget=ItalianDecimalWidget())
    longitude = ie_fields.Field(attribute="longitude", column_name="longitude", widget=ItalianDecimalWidget())
    description_it = ie_fields.Field(attribute="description_it", column_name="description_it")
    categories_list = ie_fields.Field(
        attribute="categories_list",
        column_name="categories_list",
        widget=NamedListWidget(
            ServiceCategory,
            ("key", "name_it", "name_en"),
            gettext_lazy("Servizi sconosciuti: %(value)s. Usa i nomi dell'elenco dei servizi."),
        ),
    )
    languages_list = ie_fields.Field(
        attribute="languages_list",
        column_name="languages_list",
        widget=NamedListWidget(
            Language,
            ("code", "name_it", "name_en"),
            gettext_lazy("Lingue sconosciute: %(value)s. Scrivi il nome in italiano (per esempio «arabo»)."),
        ),
    )
    slots_list = ie_fields.Field(attribute="slots_list", column_name="slots_list", widget=SlotsWidget())

    class Meta:
        model = Sportello
        fields = (
            "ambito",
            "name_it",
            "address",
            "comune",
            "phone",
            "email",
            "website",
            "opening_mode",
            "latitude",
            "longitude",
            "description_it",
            "categories_list",
            "languages_list",
            "slots_list",
        )
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def natural_key(self, values):
        ambito = self.fields["ambito"].clean(values)
        name = fold(str(values.get("name_it") or ""))
        return (ambito.pk, name) if ambito and name else None

    def instance_key(self, obj):
        return (obj.ambito_id, fold(obj.name_it or ""))

    def current(self, instance, name):
        if name == "slots_list":
            return tuple(sorted((s.weekday, s.opens, s.closes) for s in instance.slots.all()))
        related = instance.categories if name == "categories_list" else instance.languages
        return tuple(related.order_by("pk"))

    def save_through_service(self, instance):
        if not instance.categories_list:
            raise ValidationError({"categories_list": _("Indica almeno un servizio offerto.")})
        if instance.pk is None:
            instance.slug = _unique_slug(f"{instance.name_it} {instance.comune.name if instance.comune_id else ''}")
        sportello_save(sportello=instance, by=self.user)
        instance.categories.set(instance.categories_list)
        instance.languages.set(instance.languages_list)
        opening_slots_replace(
            sportello=instance,
            slots=[OpeningSlot(weekday=d, opens=o, closes=c) for d, o, c in instance.slots_list],
            by=self.user,
        )


class MediatorResource(DirectoryResource):
    list_fields = ("ambiti_list", "languages_list")

    first_name = ie_fields.Field(attribute="first_name", column_name="first_name")
    last_name = ie_fields.Field(attribute="last_name", column_name="last_name")
    email = ie_fields.Field(attribute="email", column_name="email")
    phone = ie_fields.Field(attribute="phone", column_name="phone")
    qualifications = ie_fields.Field(attribute="qualifications", column_name="qualifications")
    is_available = ie_fields.Field(attribute="is_available", column_name="is_available", widget=BooleanWidget())
    ambiti_list = ie_fields.Field(
        attribute="ambiti_list",
        column_name="ambiti_list",
        widget=NamedListWidget(Ambito, ("name", "slug"), gettext_lazy("Ambiti sconosciuti: %(value)s.")),
    )
    languages_list = ie_fields.Field(
        attribute="languages_list",
        column_name="languages_list",
        widget=NamedListWidget(
            Language,
            ("code", "name_it", "name_en"),
            gettext_lazy("Lingue sconosciute: %(value)s. Scrivi il nome in italiano (per esempio «arabo»)."),
        ),
    )

    class Meta:
        model = Mediator
        fields = (
            "first_name",
            "last_name",
            "email",
            "phone",
            "qualifications",
            "is_available",
            "ambiti_list",
            "languages_list",
        )
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def get_queryset(self):
        return super().get_queryset().filter(erased_at__isnull=True)

    def before_import_row(self, row, **kwargs):
        if row.get("email"):
            row["email"] = str(row["email"]).strip().lower()

    @staticmethod
    def natural_key(values):
        email = str(values.get("email") or "").strip().lower()
        if email:
            return ("email", email)
        first, last = fold(str(values.get("first_name") or "")), fold(str(values.get("last_name") or ""))
        return ("name", first, last) if first and last else None

    def instance_key(self, obj):
        return self.natural_key({"email": obj.email, "first_name": obj.first_name, "last_name": obj.last_name})

    def get_instance(self, instance_loader, row):
        found = super().get_instance(instance_loader, row)
        if found is None and row.get("email"):
            # The same person written without e-mail the first time: matched on the name.
            key = ("name", fold(str(row.get("first_name") or "")), fold(str(row.get("last_name") or "")))
            candidate = self._index.get(key)
            if candidate is not None and not candidate.email:
                found = Mediator.objects.get(pk=candidate.pk)
        return found

    def current(self, instance, name):
        related = instance.ambiti if name == "ambiti_list" else instance.languages
        return tuple(related.order_by("pk"))

    def save_through_service(self, instance):
        if not instance.ambiti_list:
            raise ValidationError({"ambiti_list": _("Indica almeno un ambito.")})
        mediator_save(mediator=instance, by=self.user, ambiti=instance.ambiti_list, languages=instance.languages_list)


# --- importers ------------------------------------------------------------------------------


class ListAmbitoDefault(OwnAmbitoDefault):
    """Like OwnAmbitoDefault, for a column holding a list of ambiti."""

    ambito_field = "ambiti_list"

    def missing_columns(self, present) -> list[str]:
        if self.ambito_field not in present and self._default_ambito() is None:
            return [_("Ambiti")]
        return []

    def extra_fields(self, present) -> list[str]:
        return [] if self.ambito_field in present else [self.ambito_field]

    def extra_values(self, present) -> list:
        return [] if self.ambito_field in present else [self._default_ambito().name]


@importers.register
class SportelloImporter(OwnAmbitoDefault, Importer):
    identifier = "sportelli"
    verbose_name = gettext_lazy("Sportelli")
    model = Sportello
    resource_class = SportelloResource
    duplicate_column = "name_it"
    key_fields = ("ambito", "name_it")
    error_aliases = {
        "name": "name_it",
        "categories": "categories_list",
        "languages": "languages_list",
        "slots": "slots_list",
        "slug": "name_it",
    }
    columns = (
        Column("ambito", gettext_lazy("Ambito")),
        Column("name_it", gettext_lazy("Nome"), True, ("sportello", "nome dello sportello", "denominazione")),
        Column("address", gettext_lazy("Indirizzo"), True, ("via",)),
        Column("comune", gettext_lazy("Comune"), True),
        Column("phone", gettext_lazy("Telefono"), False, ("tel",)),
        Column("email", gettext_lazy("Email"), False, ("e-mail", "posta elettronica")),
        Column("website", gettext_lazy("Sito web"), False, ("sito",)),
        Column("opening_mode", gettext_lazy("Modalità di apertura"), False, ("apertura",)),
        Column("slots_list", gettext_lazy("Orari"), False, ("orario", "orari di apertura")),
        Column("categories_list", gettext_lazy("Servizi offerti"), True, ("servizi", "categorie")),
        Column("languages_list", gettext_lazy("Lingue parlate"), False, ("lingue",)),
        Column("latitude", gettext_lazy("Latitudine"), False, ("lat",)),
        Column("longitude", gettext_lazy("Longitudine"), False, ("lon", "lng")),
        Column("description_it", gettext_lazy("Descrizione")),
    )


@importers.register
class MediatorImporter(ListAmbitoDefault, Importer):
    identifier = "mediatori"
    verbose_name = gettext_lazy("Registro dei mediatori")
    model = Mediator
    resource_class = MediatorResource
    duplicate_column = "last_name"
    key_fields = ("email",)
    error_aliases = {"ambiti": "ambiti_list", "languages": "languages_list"}
    columns = (
        Column("first_name", gettext_lazy("Nome"), True),
        Column("last_name", gettext_lazy("Cognome"), True),
        Column("email", gettext_lazy("Email"), False, ("e-mail", "posta elettronica")),
        Column("phone", gettext_lazy("Telefono"), False, ("tel", "cellulare")),
        Column("languages_list", gettext_lazy("Lingue"), True, ("lingue parlate",)),
        Column("ambiti_list", gettext_lazy("Ambiti"), False, ("ambito",)),
        Column("qualifications", gettext_lazy("Titoli e qualifiche"), False, ("titoli", "qualifiche")),
        Column("is_available", gettext_lazy("Disponibile"), False, ("disponibilità", "disponibilita")),
    )

    def duplicates(self, data):
        # Two rows for one person: the same e-mail, or the same name where the e-mail is missing.
        errors, seen = [], {}
        for number, row in enumerate(data.dict, start=2):
            key = MediatorResource.natural_key(row)
            if key is None:
                continue
            if key in seen:
                errors.append(
                    importers.RowError(
                        number,
                        self.header_of("email" if key[0] == "email" else "last_name"),
                        _("Riga ripetuta: è uguale alla riga %(row)s.") % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = number
        return errors


def can_import_mediators(user) -> bool:
    return permissions.can(user, permissions.ADD, Mediator)

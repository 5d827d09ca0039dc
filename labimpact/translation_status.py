"""How complete the translations of content are: per object, per language, per ambito.

A language counts as done for an object when every translated field that has Italian text
also has text in that language (an empty Italian field needs no translation).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

SOURCE = settings.LANGUAGE_CODE


def target_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != SOURCE]


def translated_fields(model: type[models.Model]) -> list[str]:
    try:
        return list(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return []


def missing_q(model: type[models.Model], code: str) -> Q:
    """Rows with Italian text in some field that has no text in language `code`."""
    condition = Q(pk__in=[])
    for field in translated_fields(model):
        source = build_localized_fieldname(field, SOURCE)
        target = build_localized_fieldname(field, code)
        condition |= (
            ~Q(**{source: ""})
            & Q(**{f"{source}__isnull": False})
            & (Q(**{target: ""}) | Q(**{f"{target}__isnull": True}))
        )
    return condition


def done_languages(obj: models.Model) -> int:
    """How many site languages (Italian included) have every field of `obj` translated."""
    fields = translated_fields(type(obj))
    done = 0
    for code, _name in settings.LANGUAGES:
        complete = all(
            getattr(obj, build_localized_fieldname(field, code), None)
            or not getattr(obj, build_localized_fieldname(field, SOURCE), None)
            for field in fields
        )
        done += complete
    return done


class MissingLanguageFilter(admin.SimpleListFilter):
    title = _("traduzione mancante")
    parameter_name = "manca_lingua"

    def lookups(self, request, model_admin):
        return target_languages()

    def queryset(self, request, queryset):
        codes = dict(target_languages())
        if self.value() in codes:
            return queryset.filter(missing_q(queryset.model, self.value()))
        return queryset


class TranslationStatusMixin:
    """Adds an "8/10 lingue" column and a "missing language" filter to a translated admin."""

    def get_list_display(self, request):
        return [*super().get_list_display(request), "translation_status"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), MissingLanguageFilter]

    @admin.display(description=_("traduzioni"))
    def translation_status(self, obj):
        return _("%(done)s/%(total)s lingue") % {"done": done_languages(obj), "total": len(settings.LANGUAGES)}


def untranslated_by_ambito(user) -> dict:
    """For each ambito the user sees, how many items of each kind lack each language."""
    from access import permissions
    from content.models import Material, News
    from services.models import Guide, Sportello
    from territories.models import Ambito

    kinds = [(Sportello, "ambito"), (Guide, "ambito"), (Material, "ambito"), (News, "ambito"), (Ambito, "pk")]
    languages = target_languages()
    ambiti = list(permissions.visible(user, Ambito.objects.all()).order_by("name"))
    counts: dict[tuple[int, str, str], int] = {}
    for model, path in kinds:
        base = permissions.visible(user, model._default_manager.all())
        for code, _name in languages:
            rows = base.filter(missing_q(model, code)).values(path).annotate(n=models.Count("pk"))
            for row in rows:
                counts[(row[path], model._meta.model_name, code)] = row["n"]
    table = []
    for ambito in ambiti:
        cells = []
        for code, _name in languages:
            cells.append(sum(counts.get((ambito.pk, model._meta.model_name, code), 0) for model, _p in kinds))
        if any(cells):
            table.append({"ambito": ambito, "cells": cells, "total": sum(cells)})
    return {
        "languages": languages,
        "rows": table,
        "kinds": [model._meta.verbose_name_plural for model, _path in kinds],
    }

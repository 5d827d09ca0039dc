"""Translating in the admin: one language switch per form, language names, RTL inputs.

modeltranslation's tabbed admin puts a strip of tabs labelled with codes ("UK") on every
field. Here every translated input is marked server side with its language (`lang`, `dir`
for Arabic and Urdu, `data-lang`) and labelled with the language's name; the static script
labimpact/js/admin-language-switch.js (no inline script, CSP) adds one switch at the top
of the form that shows one language's inputs across all fields, with the Italian source
beside them, and a live "N/10 lingue" counter.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from labimpact.translation_status import done_languages

SOURCE = settings.LANGUAGE_CODE


def language_name(code: str) -> str:
    """The site's own (translated) name of a language: "Ucraino", never "UK"."""
    return str(dict(settings.LANGUAGES).get(code, code))


def is_rtl(code: str) -> bool:
    try:
        return bool(get_language_info(code)["bidi"])
    except KeyError:
        return code in getattr(settings, "LANGUAGES_BIDI", ())


def mark_translation_field(db_field, field) -> None:
    """lang/dir/data-lang on a translated input and its language's name in the label."""
    code = getattr(db_field, "language", None)
    if code is None or field is None:
        return
    widget = field.widget
    while hasattr(widget, "widget"):  # RelatedFieldWidgetWrapper, ClearableWidgetWrapper
        widget = widget.widget
    widget.attrs["lang"] = code
    widget.attrs["dir"] = "rtl" if is_rtl(code) else "ltr"
    widget.attrs["data-lang"] = code
    widget.attrs["data-lang-name"] = language_name(code)
    widget.attrs["data-source"] = "true" if code == SOURCE else "false"
    widget.attrs["data-field"] = db_field.translated_field.name
    field.label = f"{db_field.translated_field.verbose_name} ({language_name(code)})"
    field.label = field.label[:1].upper() + field.label[1:]


class _MarkFields:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        mark_translation_field(db_field, field)
        return field


class LanguageSwitchTranslationAdmin(_MarkFields, TranslationAdmin):
    """TranslationAdmin with one language switch at the top of the form."""

    class Media:
        js = ("labimpact/js/admin-language-switch.js",)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["labimpact_languages"] = [
            {"code": code, "name": language_name(code), "rtl": is_rtl(code)} for code, _name in settings.LANGUAGES
        ]
        context["labimpact_done"] = done_languages(obj) if obj is not None else None
        context["labimpact_total"] = len(settings.LANGUAGES)
        context["labimpact_switch_label"] = _("Lingua dei testi")
        return super().render_change_form(request, context, add, change, form_url, obj)


class LanguageSwitchTabularInline(_MarkFields, TranslationTabularInline):
    pass


class LanguageSwitchStackedInline(_MarkFields, TranslationStackedInline):
    pass


__all__ = [
    "LanguageSwitchStackedInline",
    "LanguageSwitchTabularInline",
    "LanguageSwitchTranslationAdmin",
    "language_name",
]

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

register = template.Library()


@dataclass(frozen=True)
class LocalizedText:
    text: str
    fallback: bool  # True when the reader's language is missing and Italian is shown

    def __str__(self) -> str:
        return self.text


@register.simple_tag
def localized(obj, field: str) -> LocalizedText:
    """A translated field in the reader's language, or the Italian text flagged as fallback.

    Templates mark a fallback with lang="it" and a note in the reader's language, so nobody
    meets a blank or an unexplained switch of language.
    """
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    own = getattr(obj, build_localized_fieldname(field, language), None)
    if own:
        return LocalizedText(own, False)
    source = getattr(obj, build_localized_fieldname(field, settings.LANGUAGE_CODE), "") or ""
    return LocalizedText(source, language != settings.LANGUAGE_CODE and bool(source))


@register.filter
def lines(value) -> list[str]:
    """Non-empty lines of a text, without list bullets: a checklist typed one item per line."""
    return [line.strip(" -•\t") for line in str(value or "").splitlines() if line.strip(" -•\t")]


@register.filter
def euro(value) -> str:
    """€ amounts the Italian way (1.234.567,89) whatever the page language: they quote acts."""
    if value is None:
        return ""
    whole, _, cents = f"{value:,.2f}".partition(".")
    whole = whole.replace(",", ".")
    return f"€ {whole}" if cents == "00" else f"€ {whole},{cents}"


@register.inclusion_tag("includes/localized_text.html")
def localized_text(obj, field: str, css_class: str = ""):
    """A translated text field as paragraphs, marked lang="it" with a note when it falls back."""
    return {"text": localized(obj, field), "css_class": css_class}


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(value) -> str:
    """JSON for a <script type="application/ld+json"> block, safe against "</script>"."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils.safestring import mark_safe

    return mark_safe(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from labimpact.fallback import resolution_order

register = template.Library()


@dataclass(frozen=True)
class LocalizedText:
    text: str
    fallback: bool  # True when the page language is missing and another language is shown
    language: str = ""  # the language of `text` ("" when there is no text)

    def __str__(self) -> str:
        return self.text

    @property
    def attrs(self):
        """` lang dir data-fallback-lang` for the element holding a text shown in another
        language (screen readers switch voice, RTL text keeps its direction, the page's
        one notice counts it); empty when the text is in the page language."""
        if not self.fallback:
            return ""
        from django.utils.html import format_html

        # As Django's get_language_bidi, without activating the language.
        direction = "rtl" if self.language.split("-")[0] in settings.LANGUAGES_BIDI else "ltr"
        return format_html(' lang="{}" dir="{}" data-fallback-lang="{}"', self.language, direction, self.language)


@register.simple_tag
def localized(obj, field: str) -> LocalizedText:
    """A translated field in the reader's language, or else in their chosen second language,
    or else in Italian (labimpact/fallback.py), flagged as a fallback.

    Templates put `{{ text.attrs }}` on the element, so nobody meets an unexplained switch
    of language and the page shows one notice for all such blocks.
    """
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    for code in resolution_order(language):
        value = getattr(obj, build_localized_fieldname(field, code), None)
        if value:
            return LocalizedText(value, code != language, code)
    return LocalizedText("", False, "")


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
    """A translated text field as paragraphs, marked with its own language when it falls back."""
    return {"text": localized(obj, field), "css_class": css_class}


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def ld_json(value) -> str:
    """JSON for a <script type="application/ld+json"> block, safe against "</script>"."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils.safestring import mark_safe

    return mark_safe(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308


# The two language lists every page carries are written here rather than in base.html: as
# template loops they cost a page about 1 ms (ten languages, six lookups each, twice), a
# tenth of an uncached search; as Python they cost a few microseconds. The markup is the
# same as a template would write, escaped by format_html.


@register.simple_tag(takes_context=True)
def hreflang_links(context):
    """<link rel="alternate" hreflang> for each language of this page (search engines)."""
    origin = context.get("site_origin", "")
    return format_html_join(
        "\n",
        '<link rel="alternate" hreflang="{}" href="{}{}">',
        ((language["code"], origin, language["url"]) for language in context.get("site_languages", ())),
    )


@register.simple_tag(takes_context=True)
def language_switcher_items(context):
    """The <li>s of the language switcher: each language's name in that language, marked with
    its own lang and direction, the current one with aria-current."""
    return format_html_join(
        "\n",
        '<li><a href="{}" lang="{}" hreflang="{}" dir="{}"{}>{}</a></li>',
        (
            (
                language["url"],
                language["code"],
                language["code"],
                "rtl" if language["bidi"] else "ltr",
                mark_safe(' aria-current="true"') if language["is_current"] else "",
                language["name_local"],
            )
            for language in context.get("site_languages", ())
        ),
    )


@register.simple_tag(takes_context=True)
def current_language_name(context) -> str:
    return next(
        (language["name_local"] for language in context.get("site_languages", ()) if language["is_current"]), ""
    )


@register.simple_tag
def select_options(choices, selected: str = ""):
    """The <option>s of a select from (value, label) pairs, `selected` marked. Written in
    Python for the same reason as the language lists above: a template loop per option was a
    good part of an uncached search page (two selects, about thirty options)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if str(value) == selected else "", label) for value, label in choices),
    )

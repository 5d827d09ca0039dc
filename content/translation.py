import simple_history
from modeltranslation.translator import TranslationOptions, register

from content.models import Material, MaterialFile, News


@register(Material)
class MaterialTranslation(TranslationOptions):
    fields = ("title", "description")


@register(News)
class NewsTranslation(TranslationOptions):
    fields = ("title", "summary", "body")


# History after translation, so the history tables get the per-language columns (STACK-NOTES).
simple_history.register(Material, app="content")
simple_history.register(MaterialFile, app="content")
simple_history.register(News, app="content")

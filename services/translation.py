import simple_history
from modeltranslation.translator import TranslationOptions, register

from services.models import Closure, Language, ServiceCategory, Sportello


@register(ServiceCategory)
class ServiceCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)


@register(Sportello)
class SportelloTranslation(TranslationOptions):
    fields = (
        "name",
        "description",
        "audience",
        "how_to_access",
        "what_to_bring",
        "what_you_get",
        "accessibility_notes",
    )


@register(Closure)
class ClosureTranslation(TranslationOptions):
    fields = ("reason",)


simple_history.register(Sportello, app="services")

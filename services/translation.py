import simple_history
from modeltranslation.translator import TranslationOptions, register

from services.models import Language, ServiceCategory, Sportello


@register(ServiceCategory)
class ServiceCategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)


@register(Sportello)
class SportelloTranslation(TranslationOptions):
    fields = ("name", "description")


simple_history.register(Sportello, app="services")

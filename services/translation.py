import simple_history
from modeltranslation.translator import TranslationOptions, register

from services.models import Closure, Guide, GuideStep, Language, ServiceCategory, Sportello


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


@register(Guide)
class GuideTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(GuideStep)
class GuideStepTranslation(TranslationOptions):
    fields = ("title", "body", "checklist")


simple_history.register(Sportello, app="services")
simple_history.register(Guide, app="services")

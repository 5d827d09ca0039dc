import simple_history
from modeltranslation.translator import TranslationOptions, register

from associations.models import Association, Event, Representative


@register(Association)
class AssociationTranslation(TranslationOptions):
    fields = ("description",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description")


# History after translation, so the history tables get the per-language columns (STACK-NOTES).
simple_history.register(Association, app="associations")
simple_history.register(Event, app="associations")
simple_history.register(Representative, app="associations")

# History is registered after translation (STACK-NOTES: a HistoricalRecords field on a
# translated model is built before the per-language fields exist and breaks every save).
import simple_history
from modeltranslation.translator import TranslationOptions, register

from territories.models import Ambito, PartnerType


@register(PartnerType)
class PartnerTypeTranslation(TranslationOptions):
    fields = ("name",)


@register(Ambito)
class AmbitoTranslation(TranslationOptions):
    fields = ("description",)


simple_history.register(Ambito, app="territories")

from modeltranslation.translator import TranslationOptions, register

from plan.models import MacroAzione, Plan


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(MacroAzione)
class MacroAzioneTranslation(TranslationOptions):
    fields = ("title", "description")

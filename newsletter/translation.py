import simple_history
from modeltranslation.translator import TranslationOptions, register

from newsletter.models import Issue


@register(Issue)
class IssueTranslation(TranslationOptions):
    fields = ("subject", "body")


simple_history.register(Issue, app="newsletter")

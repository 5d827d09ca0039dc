from django import template

from associations import selectors
from associations.models import Association, Event

register = template.Library()

AMBITO_EVENTS = 5


@register.simple_tag
def ambito_associations_events(ambito) -> dict:
    """Published associations and the next events of an ambito (its page's include)."""
    events = selectors.upcoming(Event.objects.published().for_listing().filter(ambito=ambito))
    return {
        "associations": Association.objects.published().filter(ambito=ambito).order_by("name"),
        "events": events[:AMBITO_EVENTS],
    }

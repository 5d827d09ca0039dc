from django import template

from labimpact.templatetags.labimpact import localized
from services import selectors

register = template.Library()


@register.inclusion_tag("services/includes/desk_documents.html")
def desk_documents(sportello, guides=None):
    """What to bring to a desk: each matching guide's checklist, then the desk's extras.

    The guide is the one list of documents for a procedure; a desk adds only what it asks
    for on top (`what_to_bring`), so the two can no longer disagree. `guides`: the desk's
    guides when the page has already read them (selectors.guides_for_desk).
    """
    if guides is None:
        guides = selectors.guides_for_desk(sportello)
    entries = []
    for guide in guides:
        checklists = [localized(step, "checklist") for step in guide.steps.all()]
        checklists = [checklist for checklist in checklists if checklist.text]
        if checklists:
            entries.append({"guide": guide, "title": localized(guide, "title"), "checklists": checklists})
    return {"guides": entries, "extras": localized(sportello, "what_to_bring")}

from django import template
from django.utils.translation import get_language

from feedback.forms import PageFeedbackForm

register = template.Library()


@register.inclusion_tag("feedback/includes/page_feedback.html", takes_context=True)
def page_feedback(context, ambito=None):
    """ "Was this page clear?" for the page being rendered, filed under its ambito (if any)."""
    request = context["request"]
    prefix = f"/{get_language()}"
    page = request.path[len(prefix) :] if request.path.startswith(prefix + "/") else request.path
    return {
        "form": PageFeedbackForm(initial={"token": PageFeedbackForm.sign(page, getattr(ambito, "pk", None))}),
        "thanked": request.GET.get("valutazione") == "grazie",
    }

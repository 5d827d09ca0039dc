from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from feedback.forms import PageFeedbackForm
from labimpact import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def page_feedback(context, ambito=None):
    """ "Was this page clear?" for the page being rendered, filed under its ambito (if any).

    The block depends only on the page, its ambito and the "thanks" flag (the token is signed
    without a timestamp), so it comes from the fragment cache: its form widgets were about a
    tenth of a public page's rendering.
    """
    request = context["request"]
    prefix = f"/{get_language()}"
    page = request.path[len(prefix) :] if request.path.startswith(prefix + "/") else request.path
    ambito_id = getattr(ambito, "pk", None)
    thanked = request.GET.get("valutazione") == "grazie"

    def render() -> str:
        return render_to_string(
            "feedback/includes/page_feedback.html",
            {"form": PageFeedbackForm(initial={"token": PageFeedbackForm.sign(page, ambito_id)}), "thanked": thanked},
        )

    return mark_safe(fragments.get_or_set("page-feedback", f"{page}|{ambito_id}|{thanked}", render))  # noqa: S308

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from access import permissions

register = template.Library()


@register.inclusion_tag("mediation/includes/nav.html", takes_context=True)
def mediation_nav(context):
    """Links to the private pages the current user's roles open (nothing for others)."""
    user = context["request"].user
    grants = permissions.grants_for(user)
    links = []
    if permissions.can(user, permissions.VIEW, "mediation.request_submit"):
        links += [
            (reverse("mediation:new"), _("Chiedi un mediatore")),
            (reverse("mediation:mine"), _("Le mie richieste")),
        ]
    if permissions.can(user, permissions.VIEW, "mediation.queue"):
        links += [
            (reverse("mediation:queue"), _("Coda delle richieste")),
            (reverse("mediation:measures"), _("Tempi di attivazione")),
        ]
    if grants.mediator_id:
        links.append((reverse("mediation:mediator"), _("I miei incarichi")))
    if permissions.can(user, permissions.VIEW, "legal.consultation"):
        links.append((reverse("legal:list"), _("Consulenza legale")))
    if permissions.can(user, permissions.VIEW, "legal.faq"):
        links.append((reverse("legal:faq"), _("FAQ legali")))
    return {"links": links, "current": context["request"].path}


@register.filter
def hours(value):
    """Hours with one decimal, or a dash when there is no figure."""
    return "—" if value is None else f"{value:.1f}"


@register.inclusion_tag("mediation/includes/measures.html", takes_context=True)
def mediation_measures(context):
    """Activation times and hours for the indicators dashboard, with its province/ambito filter."""
    from mediation.selectors import measures

    form = context.get("form")
    filters = form.cleaned_data if form is not None and form.is_bound and form.is_valid() else {}
    user = context["request"].user
    return {"measures": measures(user, ambito=filters.get("ambito"), provincia=filters.get("provincia"))}

"""Pages of mediation on call, for logged-in staff only (never cached, never public).

Requesters file and follow requests; the ambito's operator triages and assigns from the
queue; the mediator confirms, declines and logs sessions. Every action is a POST to one
view that calls the transition's service: the service checks the permission.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access import permissions
from mediation import selectors, services
from mediation.forms import AssignForm, MediationRequestForm, ReasonForm, SessionForm, cleaned_or_raise
from mediation.models import MediationRequest, Mediator
from schools.models import School
from workflow.models import Status


def _require(user, label):
    if not permissions.can(user, permissions.VIEW, label):
        raise PermissionDenied


def _get_request(user, pk) -> MediationRequest:
    request = selectors.requests_for(user).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@never_cache
@login_required
def request_new(request):
    if not permissions.can(request.user, permissions.VIEW, "mediation.request_submit"):
        raise PermissionDenied
    grants = permissions.grants_for(request.user)
    schools = School.objects.filter(pk__in=grants.school_ids)
    form = MediationRequestForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.mediation_request_submit(
                request=form.save(commit=False), languages=form.cleaned_data["languages"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Richiesta inviata: l'ambito la prenderà in carico."))
            return redirect("mediation:detail", pk=created.pk)
    return render(request, "mediation/request_form.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@login_required
def my_requests(request):
    grants = permissions.grants_for(request.user)
    if not (grants.school_ids or grants.ids("social_worker")):
        raise PermissionDenied
    rows = (
        selectors.requests_for(request.user)
        .filter(Q(school_id__in=grants.school_ids) | Q(social_worker_id__in=grants.ids("social_worker")))
        .prefetch_related("languages")
    )
    return render(request, "mediation/my_requests.html", {"requests": rows})


@never_cache
@login_required
def request_detail(request, pk):
    obj = _get_request(request.user, pk)
    services.mediation_request_read(request=obj, by=request.user)
    user = request.user
    context = {
        "obj": obj,
        "events": obj.events.select_related("actor"),
        "sessions": obj.sessions.all(),
        "actions": [t.name for t in services.WORKFLOW.available(user, obj)],
        "reason_form": ReasonForm(),
    }
    if "assign" in context["actions"]:
        context["candidates"] = selectors.candidate_mediators(obj)
    if obj.status == Status.SCHEDULED and permissions.can_act(user, "mediation.request_session", obj):
        context["session_form"] = SessionForm()
    return render(request, "mediation/request_detail.html", context)


def _back(obj):
    return redirect("mediation:detail", pk=obj.pk)


# The transitions that take only the form's text: the service and the name it gives that text.
NOTED_ACTIONS = {
    "triage": (services.mediation_request_triage, "note"),
    "reject": (services.mediation_request_reject, "reason"),
    "cancel": (services.mediation_request_cancel, "reason"),
    "confirm": (services.mediation_request_confirm, "note"),
    "decline": (services.mediation_request_decline, "reason"),
    "complete": (services.mediation_request_complete, "note"),
}


@require_POST
@login_required
def request_action(request, pk, action):
    obj = _get_request(request.user, pk)
    note = ReasonForm(request.POST)
    note.is_valid()
    text = note.cleaned_data.get("note", "")
    user = request.user
    try:
        if action in NOTED_ACTIONS:
            service, argument = NOTED_ACTIONS[action]
            service(request=obj, by=user, **{argument: text})
        elif action == "assign":
            form = AssignForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Scegli un mediatore."))
            services.mediation_request_assign(
                request=obj, mediator=form.cleaned_data["mediator"], start=form.cleaned_data["start"], by=user
            )
        elif action == "session":
            form = SessionForm(request.POST)
            cleaned_or_raise(form)
            session = form.save(commit=False)
            session.request = obj
            services.mediation_session_log(session=session, by=user)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _back(obj)
    messages.success(request, _("Fatto."))
    if not selectors.requests_for(user).filter(pk=obj.pk).exists():
        return redirect("mediation:mediator" if action == "decline" else "mediation:queue")
    return _back(obj)


@never_cache
@login_required
def queue(request):
    _require(request.user, "mediation.queue")
    return render(request, "mediation/queue.html", {"requests": selectors.queue(request.user)})


@never_cache
@login_required
def mediator_page(request):
    grants = permissions.grants_for(request.user)
    if not grants.mediator_id:
        raise PermissionDenied
    mediator = Mediator.objects.get(pk=grants.mediator_id)
    rows = (
        MediationRequest.objects.filter(mediator=mediator)
        .select_related("ambito", "school", "social_worker")
        .prefetch_related("languages", "sessions")
        .order_by("scheduled_start")
    )
    return render(request, "mediation/mediator.html", {"mediator": mediator, "requests": rows})


@never_cache
@login_required
def measures(request):
    _require(request.user, "mediation.measures")
    return render(request, "mediation/measures.html", {"measures": selectors.measures(request.user)})

"""Legal consultancy pages: operators ask and read FAQs, consultants answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from access import permissions
from legal import services
from legal.forms import AnswerForm, ConsultationForm, FaqSearchForm, ScheduleForm
from legal.models import Consultation, Faq
from mediation.forms import ReasonForm, cleaned_or_raise


def _visible(user):
    return permissions.visible(user, Consultation.objects.select_related("ambito", "consultant", "asked_by"))


@never_cache
@login_required
def consultation_list(request):
    if not permissions.can(request.user, permissions.VIEW, Consultation):
        raise PermissionDenied
    return render(request, "legal/list.html", {"consultations": _visible(request.user)})


@never_cache
@login_required
def consultation_new(request):
    if not permissions.can(request.user, permissions.ADD, Consultation):
        raise PermissionDenied
    ambito = permissions.ambito_choices(request.user).order_by("name").first()
    if ambito is None:
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, consultants=services.consultants_for(ambito))
    if request.method == "POST" and form.is_valid():
        consultation = form.save(commit=False)
        consultation.ambito = ambito
        try:
            services.consultation_submit(consultation=consultation, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Domanda inviata al consulente."))
            return redirect("legal:detail", pk=consultation.pk)
    return render(request, "legal/form.html", {"form": form, "ambito": ambito}, status=400 if form.errors else 200)


@never_cache
@login_required
def consultation_detail(request, pk):
    consultation = _visible(request.user).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    actions = [t.name for t in services.WORKFLOW.available(request.user, consultation)]
    return render(
        request,
        "legal/detail.html",
        {
            "obj": consultation,
            "events": consultation.events.select_related("actor"),
            "actions": actions,
            "answer_form": AnswerForm(),
            "schedule_form": ScheduleForm(),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@login_required
def consultation_action(request, pk, action):
    consultation = _visible(request.user).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    try:
        if action == "answer":
            data = cleaned_or_raise(AnswerForm(request.POST))
            services.consultation_answer(consultation=consultation, by=request.user, **data)
        elif action == "schedule":
            data = cleaned_or_raise(ScheduleForm(request.POST))
            services.consultation_schedule(consultation=consultation, by=request.user, **data)
        elif action == "cancel":
            form = ReasonForm(request.POST)
            form.is_valid()
            services.consultation_cancel(
                consultation=consultation, by=request.user, reason=form.cleaned_data.get("note", "")
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Fatto."))
    return redirect("legal:detail", pk=consultation.pk)


@never_cache
@login_required
def faq_list(request):
    if not permissions.can(request.user, permissions.VIEW, Faq):
        raise PermissionDenied
    form = FaqSearchForm(request.GET or None)
    faqs = permissions.visible(request.user, Faq.objects.select_related("ambito"))
    if form.is_valid():
        faqs = faqs.search(form.cleaned_data["q"])
    return render(request, "legal/faq.html", {"form": form, "faqs": faqs[:50]})

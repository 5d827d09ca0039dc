from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mediation.models import SCHOOL_SETTINGS, MediationRequest, MediationSession, Mediator, Setting
from schools.models import School
from services.models import Language


def cleaned_or_raise(form: forms.Form) -> dict:
    """The form's cleaned data, or a ValidationError with all its messages (for an action view's flash)."""
    if not form.is_valid():
        raise ValidationError([message for messages in form.errors.values() for message in messages])
    return form.cleaned_data


PRIVACY_HELP = _("Non scrivere nomi, codici fiscali, indirizzi, telefoni o e-mail: bastano classe, età e bisogno.")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MediationRequestForm(forms.ModelForm):
    languages = forms.ModelMultipleChoiceField(
        label=_("Lingue richieste"), queryset=Language.objects.order_by("name"), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = MediationRequest
        fields = [
            "school",
            "setting",
            "languages",
            "urgency",
            "preferred_start",
            "duration_minutes",
            "pupil_class",
            "age_band",
            "need",
            "notes",
        ]
        widgets = {
            "preferred_start": DateTimeInput(),
            "need": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"need": PRIVACY_HELP, "notes": PRIVACY_HELP}

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        schools = schools if schools is not None else School.objects.none()
        if schools.exists():
            self.fields["school"].queryset = schools
            self.fields["school"].required = True
            self.fields["school"].empty_label = None
            self.fields["setting"].choices = [(k, v) for k, v in Setting.choices if k in SCHOOL_SETTINGS]
        else:
            del self.fields["school"]
            for name in ("pupil_class",):
                self.fields[name].label = _("Classe (se riguarda un minore a scuola)")


class ReasonForm(forms.Form):
    note = forms.CharField(
        label=_("Motivo o nota"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("Mediatore"), queryset=Mediator.objects.active())
    start = forms.DateTimeField(label=_("Inizio"), required=False, widget=DateTimeInput())


class SessionForm(forms.ModelForm):
    class Meta:
        model = MediationSession
        fields = ["date", "duration_minutes", "outcome", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"note": PRIVACY_HELP}

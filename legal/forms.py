from django import forms
from django.utils.translation import gettext_lazy as _

from legal.models import Consultation
from mediation.forms import PRIVACY_HELP, DateTimeInput


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["consultant", "area", "nationality_group", "question"]
        widgets = {"question": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"question": PRIVACY_HELP}

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants
        self.fields["consultant"].empty_label = None


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Risposta"), max_length=6000, widget=forms.Textarea(attrs={"rows": 6}))
    duration_minutes = forms.IntegerField(label=_("Tempo dedicato (minuti)"), min_value=5, max_value=480, initial=30)
    reusable = forms.BooleanField(label=_("Risposta riutilizzabile: pubblicala tra le FAQ dell'ambito"), required=False)
    faq_question = forms.CharField(
        label=_("Domanda per la FAQ, senza i dettagli del caso"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ScheduleForm(forms.Form):
    call_at = forms.DateTimeField(label=_("Telefonata fissata per"), widget=DateTimeInput())
    note = forms.CharField(label=_("Nota"), required=False, max_length=1000)


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=_("Cerca tra le FAQ"), required=False, max_length=200)

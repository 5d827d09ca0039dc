"""Public forms of associations and events: the proposal, and the list filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from associations.models import Association, AssociationKind, Audience, Topic
from feedback.forms import HoneypotMixin, MissingDeskForm
from services.models import Language
from territories.models import Ambito


class ProposalForm(HoneypotMixin, forms.ModelForm):
    """An association proposes itself; the operator of its ambito checks it before publishing.

    The honeypot is called `website` (feedback's), so the association's own site is `web`.
    """

    comune = forms.CharField(
        label=_("Comune della sede"),
        max_length=100,
        error_messages={"required": _("Scrivi il comune in cui ha sede l'associazione.")},
    )
    web = forms.URLField(label=_("Sito web o pagina social (facoltativo)"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Che cosa fa l'associazione"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        error_messages={
            "required": _("Descrivi in breve che cosa fa l'associazione."),
            "max_length": _("Il messaggio può avere al massimo %(limit_value)d caratteri."),
        },
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Lingue parlate"),
        queryset=Language.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Scegli una voce dell'elenco.")},
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Temi"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Scegli una voce dell'elenco.")},
    )
    consent = forms.BooleanField(
        label=_("Acconsento a essere ricontattato dall'ambito per la verifica della proposta."),
        error_messages={"required": _("Serve il consenso per poterti ricontattare.")},
    )

    clean_comune = MissingDeskForm.clean_comune

    class Meta:
        model = Association
        fields = ["name", "kind", "communities", "email", "phone", "proposer_name", "proposer_email"]
        labels = {
            "name": _("Nome dell'associazione"),
            "email": _("Email pubblica dell'associazione (facoltativa)"),
            "phone": _("Telefono pubblico (facoltativo)"),
            "proposer_name": _("Il tuo nome"),
            "proposer_email": _("La tua email"),
        }
        help_texts = {"proposer_email": _("Solo per comunicarti la decisione: non sarà pubblicata.")}
        error_messages = {
            "name": {"required": _("Scrivi il nome dell'associazione.")},
            "kind": {
                "required": _("Scegli il tipo di associazione."),
                "invalid_choice": _("Scegli una voce dell'elenco."),
            },
            "email": {"invalid": _("Scrivi un indirizzo email valido.")},
            "proposer_email": {
                "required": _("Scrivi la tua email."),
                "invalid": _("Scrivi un indirizzo email valido."),
            },
            "proposer_name": {"required": _("Scrivi il tuo nome.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer_email"].required = True
        self.fields["proposer_name"].required = True
        self.fields["web"].error_messages["invalid"] = _("Scrivi un indirizzo web valido (https://…).")
        for name in ("name", "communities", "email", "phone", "proposer_name", "proposer_email", "comune", "web"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")
        self.fields["kind"].widget.attrs["class"] = "form-select"

    def _post_clean(self):
        # The comune field is a lookup, not the model's foreign key: set it before the model checks.
        comune = self.cleaned_data.get("comune")
        if comune is not None and not isinstance(comune, str):
            self.instance.comune = comune
        self.instance.website = self.cleaned_data.get("web", "") or ""
        self.instance.description = self.cleaned_data.get("description", "")
        super()._post_clean()


def _choice(value, label):
    return [("", label), *value]


class AssociationFilterForm(forms.Form):
    ambito = forms.ModelChoiceField(
        label=_("Ambito"), queryset=Ambito.objects.order_by("name"), required=False, to_field_name="slug"
    )
    comune = forms.CharField(label=_("Comune"), max_length=100, required=False)
    topic = forms.ModelChoiceField(label=_("Tema"), queryset=Topic.objects.all(), required=False, to_field_name="key")
    language = forms.ModelChoiceField(
        label=_("Lingua parlata"), queryset=Language.objects.order_by("name"), required=False, to_field_name="code"
    )
    kind = forms.ChoiceField(label=_("Tipo"), choices=_choice(AssociationKind.choices, _("Tutti")), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "comune" else "form-select"
            if hasattr(field, "empty_label"):
                field.empty_label = _("Tutti")
            field.error_messages["invalid_choice"] = _("Scegli una voce dell'elenco.")


class EventFilterForm(forms.Form):
    ambito = forms.ModelChoiceField(
        label=_("Ambito"), queryset=Ambito.objects.order_by("name"), required=False, to_field_name="slug"
    )
    language = forms.ModelChoiceField(
        label=_("Lingua"), queryset=Language.objects.order_by("name"), required=False, to_field_name="code"
    )
    audience = forms.ChoiceField(label=_("Per chi"), choices=_choice(Audience.choices, _("Tutti")), required=False)
    free = forms.BooleanField(label=_("Solo gratuiti"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "free":
                field.widget.attrs["class"] = "form-select"
            if hasattr(field, "empty_label"):
                field.empty_label = _("Tutti")
            field.error_messages["invalid_choice"] = _("Scegli una voce dell'elenco.")

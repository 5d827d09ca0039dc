from django import forms
from django.utils.translation import gettext_lazy as _

from services.models import Language, ServiceCategory


class SportelloSearchForm(forms.Form):
    """The desk search. Works as a plain GET form; JavaScript only adds suggestions."""

    q = forms.CharField(
        label=_("Comune o CAP"),
        max_length=100,
        required=False,
        error_messages={"max_length": _("Scrivi il nome del comune o il CAP (al massimo 100 caratteri).")},
    )
    comune = forms.RegexField(regex=r"^\d{6}$", required=False, widget=forms.HiddenInput)
    category = forms.ModelChoiceField(
        label=_("Di cosa hai bisogno"),
        queryset=ServiceCategory.objects.all(),
        to_field_name="key",
        required=False,
        empty_label=_("Tutti i servizi"),
        error_messages={"invalid_choice": _("Questo servizio non esiste: scegline uno dall'elenco.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    language = forms.ModelChoiceField(
        label=_("Lingua parlata allo sportello"),
        queryset=Language.objects.filter(sportelli__is_published=True).distinct(),
        to_field_name="code",
        required=False,
        empty_label=_("Tutte le lingue"),
        error_messages={"invalid_choice": _("Nessuno sportello parla questa lingua: scegline una dall'elenco.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    open_now = forms.BooleanField(label=_("Solo aperti ora"), required=False)

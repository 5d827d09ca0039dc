from django import forms
from django.utils.translation import gettext_lazy as _

from common.text import natural_key
from territories.models import Ambito, Provincia


class DashboardFilterForm(forms.Form):
    """Filters of the indicators dashboard; validation only, no side effects."""

    provincia = forms.ModelChoiceField(
        label=_("Provincia"), queryset=Provincia.objects.all(), required=False, empty_label=_("Tutte")
    )
    ambito = forms.ModelChoiceField(
        label=_("Ambito"), queryset=Ambito.objects.none(), required=False, empty_label=_("Tutti")
    )
    start = forms.DateField(label=_("Dal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Al"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, ambiti=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ambiti is not None:
            # Province narrows the ambito list (apply the province first, without JavaScript).
            provincia = self.data.get("provincia") if self.is_bound else None
            if provincia and str(provincia).isdigit():
                ambiti = ambiti.filter(provincia_id=int(provincia))
            self.fields["ambito"].queryset = ambiti
            self.fields["ambito"].choices = [("", _("Tutti"))] + [
                (a.pk, a.name) for a in sorted(ambiti, key=lambda a: natural_key(a.name))
            ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("La fine del periodo non può precedere l'inizio."))
        return data

from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import Material, News
from content.selectors import REGIONAL
from services.models import ServiceCategory
from territories.models import Ambito


class MaterialFilterForm(forms.Form):
    """The category filter on the materials page: a plain GET form."""

    category = forms.ModelChoiceField(
        label=_("Argomento"),
        queryset=ServiceCategory.objects.filter(pk__in=Material.objects.published().values("categories")).order_by(
            "order", "key"
        ),
        to_field_name="key",
        required=False,
        empty_label=_("Tutti gli argomenti"),
        error_messages={"invalid_choice": _("Questo argomento non esiste: scegline uno dall'elenco.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class NewsFilterForm(forms.Form):
    """Which territory's news to show: all, the regional ones, or one ambito's."""

    ambito = forms.ChoiceField(
        label=_("Territorio"),
        required=False,
        error_messages={"invalid_choice": _("Non ci sono notizie per questo territorio: scegline uno dall'elenco.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ambiti = Ambito.objects.filter(pk__in=News.objects.published().values("ambito")).order_by("name")
        self.fields["ambito"].choices = [
            ("", _("Tutte le notizie")),
            (REGIONAL, _("Regione Lombardia (notizie regionali)")),
            *[(ambito.slug, ambito.name) for ambito in ambiti],
        ]

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from feedback.forms import HoneypotMixin
from territories.models import Ambito


class SignupForm(HoneypotMixin):
    email = forms.EmailField(
        label=_("La tua email"),
        max_length=254,
        error_messages={"required": _("Scrivi la tua email."), "invalid": _("Scrivi un indirizzo email valido.")},
    )
    language = forms.ChoiceField(
        label=_("Lingua della newsletter"),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Scegli una voce dell'elenco.")},
    )
    ambiti = forms.ModelMultipleChoiceField(
        label=_("Ambiti di interesse (facoltativo: nessuno vuol dire tutti)"),
        queryset=Ambito.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
        error_messages={
            "invalid_choice": _("Scegli una voce dell'elenco."),
            "invalid_pk_value": _("Scegli una voce dell'elenco."),
        },
    )
    consent = forms.BooleanField(
        label=_(
            "Acconsento a ricevere la newsletter di Lab'Impact: la mia email serve solo a questo "
            "e posso cancellarmi in ogni momento."
        ),
        error_messages={"required": _("Serve il tuo consenso per iscriverti.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"class": "form-control", "autocomplete": "email"})
        self.fields["language"].widget.attrs["class"] = "form-select"

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Codice"),
        regex=r"^\s*[0-9a-zA-Z ]{6,16}\s*$",
        max_length=20,
        help_text=_("Le 6 cifre dell'app di autenticazione, oppure un codice di recupero."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"invalid": _("Scrivi le 6 cifre mostrate dall'app o un codice di recupero.")},
    )

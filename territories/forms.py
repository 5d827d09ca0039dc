from django import forms
from django.utils.translation import gettext_lazy as _


class ComuneLookupForm(forms.Form):
    q = forms.CharField(
        label=_("Il tuo comune o CAP"),
        max_length=100,
        required=False,
        error_messages={"max_length": _("Scrivi il nome del comune o il CAP (al massimo 100 caratteri).")},
    )

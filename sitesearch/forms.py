from django import forms
from django.utils.translation import gettext_lazy as _


class SiteSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cerca nel sito"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Scrivi al massimo %(limit_value)d caratteri.")},
    )

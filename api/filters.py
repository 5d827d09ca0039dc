"""Query parameters of the open-data API, validated by forms so every error is a clear,
translated 400 (never a 500, never a silent default for a typo).

HSDS names: search, page, per_page, taxonomy_term_id, taxonomy_id, organization_id,
modified_after. Ours: comune (ISTAT code), postcode (CAP), category (its code), language (the
ISO 639 code of a language spoken at the desk). `lang` (the language of translated fields) and
`format` (only json) are accepted everywhere. Any other parameter is an error: a misspelt
filter must not quietly return the whole directory.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
COMMON = frozenset({"lang", "format"})


class ApiParams(forms.Form):
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "invalid": _("La pagina deve essere un numero intero."),
            "min_value": _("Le pagine si contano da 1."),
            "max_value": _("Questa pagina non esiste."),
        },
    )
    per_page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PER_PAGE,
        error_messages={
            "invalid": _("per_page deve essere un numero intero."),
            "min_value": _("per_page deve essere almeno 1."),
            "max_value": _("per_page può essere al massimo %(limit_value)s."),
        },
    )
    search = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": _("La ricerca può essere lunga al massimo 200 caratteri.")},
    )
    format = forms.ChoiceField(
        required=False,
        choices=[("json", "json")],
        error_messages={"invalid_choice": _("L'unico formato disponibile è json.")},
    )
    lang = forms.CharField(required=False)  # checked by the view, before anything else

    def clean_page(self):
        return self.cleaned_data.get("page") or 1

    def clean_per_page(self):
        return self.cleaned_data.get("per_page") or DEFAULT_PER_PAGE


def _uuid():
    return forms.UUIDField(required=False, error_messages={"invalid": _("Non è un identificativo valido (UUID).")})


class ServiceParams(ApiParams):
    taxonomy_term_id = _uuid()
    taxonomy_id = _uuid()
    organization_id = _uuid()
    modified_after = forms.DateTimeField(
        required=False,
        error_messages={
            "invalid": _("modified_after deve essere una data e ora ISO 8601, ad esempio 2026-01-31T09:00:00Z.")
        },
    )

    def clean_modified_after(self):
        """In UTC: PostgreSQL refuses offsets beyond ±15:59 (e.g. -21:28), a 500 before this."""
        value = self.cleaned_data.get("modified_after")
        if value is None:
            return value
        try:
            return value.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError(
                self.fields["modified_after"].error_messages["invalid"], code="invalid"
            ) from None

    comune = forms.RegexField(
        required=False,
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Il codice ISTAT del comune ha 6 cifre.")},
    )
    postcode = forms.RegexField(
        required=False,
        regex=r"^\d{5}$",
        error_messages={"invalid": _("Il CAP ha 5 cifre.")},
    )
    category = forms.SlugField(
        required=False,
        max_length=40,
        error_messages={"invalid": _("Indica la categoria con il suo codice (lettere, cifre, trattini).")},
    )
    language = forms.RegexField(
        required=False,
        regex=r"^[a-z]{2,3}$",
        error_messages={"invalid": _("Indica la lingua con il suo codice ISO 639 (2 o 3 lettere minuscole).")},
    )


class TaxonomyTermParams(ApiParams):
    taxonomy_id = _uuid()


def unknown(form_class, query) -> list[str]:
    allowed = set(form_class.base_fields) | COMMON
    return sorted(key for key in query if key not in allowed)

from django import forms
from django.utils.translation import gettext_lazy as _

from services.models import Language, ServiceCategory
from territories.geo import LAT_BOUNDS, LON_BOUNDS

COORDINATES_ERROR = _(
    "Non riusciamo a usare la tua posizione: sembra fuori dalla Lombardia. Scrivi il tuo comune o il CAP."
)


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
    # "Near me" (static/labimpact/js/near-me.js): the browser's position, rounded to two
    # decimals by the script and again by territories.geo.coarse_coordinates; never stored.
    lat = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        data["near"] = None
        if lat or lon or "lat" in self.errors or "lon" in self.errors:
            for name in ("lat", "lon"):
                self.errors.pop(name, None)
            try:
                point = (float(lat), float(lon))
            except (TypeError, ValueError):
                point = None
            if (
                point is None
                or not LAT_BOUNDS[0] <= point[0] <= LAT_BOUNDS[1]
                or not LON_BOUNDS[0] <= point[1] <= LON_BOUNDS[1]
            ):
                raise forms.ValidationError(COORDINATES_ERROR, code="coordinates")
            data["near"] = point
        return data

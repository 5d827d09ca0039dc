"""Public forms: short, no account, no personal data asked for."""

from __future__ import annotations

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from common.text import fold
from feedback.models import ReportTopic
from territories.models import Ambito, Comune

SIGNING_SALT = "feedback.page"


class HoneypotMixin(forms.Form):
    # Hidden from people (CSS and aria-hidden), filled by naive bots: such posts are dropped.
    website = forms.CharField(required=False, label=_("Lascia vuoto questo campo"))

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Invio non valido."))
        return ""


class PageFeedbackForm(HoneypotMixin):
    rating = forms.TypedChoiceField(
        label=_("Questa pagina è chiara?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Scegli un voto da 1 (per niente chiara) a 5 (molto chiara)."),
            "invalid_choice": _("Scegli un voto da 1 (per niente chiara) a 5 (molto chiara)."),
        },
    )
    comment = forms.CharField(
        label=_("Cosa possiamo migliorare? (facoltativo, senza dati personali)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"max_length": _("Il commento può avere al massimo %(limit_value)d caratteri.")},
    )
    token = forms.CharField(widget=forms.HiddenInput)

    @staticmethod
    def sign(page: str, ambito_id: int | None) -> str:
        """The page and ambito a rating belongs to, signed so a post cannot file it elsewhere."""
        return signing.dumps({"p": page, "a": ambito_id}, salt=SIGNING_SALT, compress=True)

    def clean_token(self):
        try:
            data = signing.loads(self.cleaned_data["token"], salt=SIGNING_SALT)
            page, ambito_id = str(data["p"])[:300], data["a"]
        except (signing.BadSignature, KeyError, TypeError) as exc:
            raise forms.ValidationError(_("Il modulo è scaduto o non è valido: ricarica la pagina e riprova.")) from exc
        if not page.startswith("/") or page.startswith("//"):
            raise forms.ValidationError(_("Il modulo è scaduto o non è valido: ricarica la pagina e riprova."))
        # The page may have been rendered before its ambito was removed.
        if ambito_id is not None and not Ambito.objects.filter(pk=ambito_id).exists():
            ambito_id = None
        return {"page": page, "ambito_id": ambito_id}


class WrongInfoForm(HoneypotMixin):
    topic = forms.ChoiceField(
        label=_("Che cosa non è corretto?"),
        choices=ReportTopic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Indica che cosa non è corretto."),
            "invalid_choice": _("Scegli una voce dell'elenco."),
        },
    )
    message = forms.CharField(
        label=_("Qual è l'informazione giusta?"),
        help_text=_("Per esempio: «Il martedì apre alle 14, non alle 9». Non scrivere dati personali."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        error_messages={
            "required": _("Descrivi in breve che cosa va corretto."),
            "max_length": _("Il messaggio può avere al massimo %(limit_value)d caratteri."),
        },
    )


class MissingDeskForm(HoneypotMixin):
    comune = forms.CharField(
        label=_("Comune dello sportello"),
        max_length=100,
        error_messages={"required": _("Scrivi il comune in cui si trova lo sportello.")},
    )
    desk_name = forms.CharField(
        label=_("Nome dello sportello o dell'ente"),
        max_length=200,
        error_messages={"required": _("Scrivi il nome dello sportello o dell'ente che lo gestisce.")},
    )
    address = forms.CharField(label=_("Indirizzo (facoltativo)"), max_length=255, required=False)
    message = forms.CharField(
        label=_("Che cosa offre, quando è aperto, quali lingue parla"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        error_messages={
            "required": _("Scrivi in breve che cosa offre lo sportello."),
            "max_length": _("Il messaggio può avere al massimo %(limit_value)d caratteri."),
        },
    )

    def clean_comune(self) -> Comune:
        term = self.cleaned_data["comune"]
        matches = list(Comune.objects.search(term)[:2])
        if not matches:
            raise forms.ValidationError(_("Non troviamo questo comune in Lombardia: controlla come è scritto."))
        # search() lists the exact name first; anything else must be unambiguous.
        if len(matches) == 1 or matches[0].search_name == fold(term):
            return matches[0]
        raise forms.ValidationError(
            _("Più comuni corrispondono a «%(term)s»: scrivi il nome completo."), params={"term": term}
        )

# ruff: noqa: E501  (a table of catalogue strings, one per line)
"""Write locale_overrides/<lang>/LC_MESSAGES/{django,djangojs}.po (run from the worktree)."""

import pathlib

import polib

IT = {
    # Django admin: gender-neutral wording ("Il sportello" → never), "Elimina" for delete.
    "Delete": "Elimina",
    "Delete?": "Eliminare?",
    "Delete selected %(verbose_name_plural)s": "Elimina la selezione (%(verbose_name_plural)s)",
    "Successfully deleted %(count)d %(items)s.": "Eliminazione riuscita: %(count)d (%(items)s).",
    "Added “%(object)s”.": "Aggiunta: “%(object)s”.",
    "Changed “%(object)s” — %(changes)s": "Modifica di “%(object)s”: %(changes)s",
    "Deleted “%(object)s.”": "Eliminazione: “%(object)s”.",
    "The {name} “{obj}” was added successfully.": "Aggiunta riuscita: {name} “{obj}”.",
    "The {name} “{obj}” was added successfully. You may add another {name} below.": "Aggiunta riuscita: {name} “{obj}”. Qui sotto puoi inserire il prossimo ({name}).",
    "The {name} “{obj}” was changed successfully. You may edit it again below.": "Modifiche salvate: {name} “{obj}”. Qui sotto puoi continuare a modificare.",
    "The {name} “{obj}” was added successfully. You may edit it again below.": "Aggiunta riuscita: {name} “{obj}”. Qui sotto puoi continuare a modificare.",
    "The {name} “{obj}” was changed successfully. You may add another {name} below.": "Modifiche salvate: {name} “{obj}”. Qui sotto puoi inserire il prossimo ({name}).",
    "The {name} “{obj}” was changed successfully.": "Modifiche salvate: {name} “{obj}”.",
    "The %(name)s “%(obj)s” was deleted successfully.": "Eliminazione riuscita: %(name)s “%(obj)s”.",
    "%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?": "Nessun record (%(name)s) con ID “%(key)s”: forse è stato eliminato?",
    "Clear all filters": "Azzera tutti i filtri",
    "Delete multiple objects": "Elimina più elementi",
    "View selected %(model)s": "Visualizza la selezione (%(model)s)",
    'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the following related items will be deleted:': "Vuoi davvero eliminare %(object_name)s “%(escaped_object)s”? Saranno eliminati anche tutti questi elementi collegati:",
    "Are you sure you want to delete the selected %(objects_name)s? All of the following objects and their related items will be deleted:": "Vuoi davvero eliminare la selezione (%(objects_name)s)? Saranno eliminati tutti questi elementi e quelli collegati:",
    "Yes, I’m sure": "Sì, elimina",
    "No, take me back": "No, torna indietro",
    "Select all objects on this page for an action": "Seleziona tutti gli elementi di questa pagina per un'azione",
    "Click here to select the objects across all pages": "Fai clic qui per selezionare gli elementi di tutte le pagine",
    "Filter navigation items": "Filtra le voci del menu",
    # django-import-export: imperative, not infinitive.
    "Import": "Importa",
    "Export": "Esporta",
    "Submit": "Invia",
    "Export selected %(verbose_name_plural)s": "Esporta la selezione (%(verbose_name_plural)s)",
    "This exporter will export the following fields: ": "Saranno esportati questi campi: ",
    "Select all": "Seleziona tutto",
    "Skipped": "Saltato",
    "New": "Nuovo",
    "Update": "Aggiorna",
    "Line number": "Riga",
    "Row": "Riga",
    "Some rows failed to validate": "Alcune righe non sono valide",
    "Please correct these errors in your data where possible, then reupload it using the form above.": "Correggi questi errori nel file, poi caricalo di nuovo con il modulo qui sopra.",
    "Non field specific": "Non legato a una colonna",
    "No valid data to import. Ensure your file has the correct headers or data for import.": "Nessun dato valido da importare: controlla le intestazioni delle colonne e i dati del file.",
    "Export %(len)s selected item.": "Esporta %(len)s elemento selezionato.",
    # django-axes: the login-security pages (no Italian catalogue upstream).
    "access attempt": "tentativo di accesso",
    "access attempts": "tentativi di accesso",
    "access failure": "accesso non riuscito",
    "access failures": "accessi non riusciti",
    "access log": "registro degli accessi",
    "access logs": "registri degli accessi",
    "Access lock out": "Blocco dell'accesso",
    "Account locked: too many login attempts. Please try again later.": "Account bloccato: troppi tentativi di accesso. Riprova più tardi.",
    "Account locked: too many login attempts. Contact an admin to unlock your account.": "Account bloccato: troppi tentativi di accesso. Chiedi a Regione Lombardia di sbloccarlo.",
    "User Agent": "Browser (user agent)",
    "IP Address": "Indirizzo IP",
    "Username": "Nome utente",
    "HTTP Accept": "Intestazione HTTP Accept",
    "Path": "Percorso",
    "Attempt Time": "Ora del tentativo",
    "Logout Time": "Ora di uscita",
    "Failed Logins": "Accessi non riusciti",
    "Form Data": "Dati del modulo",
    "Meta Data": "Metadati",
    "GET Data": "Dati GET",
    "POST Data": "Dati POST",
    # django-otp
    "Please enter your OTP token.": "Inserisci il codice di verifica.",
    "Invalid token. Please make sure you have entered it correctly.": "Codice non valido: controlla di averlo scritto correttamente.",
    "Verification of the token is currently disabled": "La verifica del codice è sospesa per ora",
    "OTP Device:": "Dispositivo di verifica:",
    "OTP Token:": "Codice di verifica:",
}

IT_JS = {
    # SelectFilter2.js (filter_horizontal): "%s" is a plural verbose name of any gender.
    "Available %s": "Da scegliere: %s",
    "Chosen %s": "Scelta: %s",
    "Choose all %s": "Scegli tutto (%s)",
    "Choose selected %s": "Aggiungi la selezione (%s)",
    "Remove selected %s": "Togli la selezione (%s)",
    "Remove all %s": "Togli tutto (%s)",
    'Choose %s by selecting them and then select the "Choose" arrow button.': "Seleziona le voci (%s) e premi la freccia «Scegli».",
    'Remove %s by selecting them and then select the "Remove" arrow button.': "Seleziona le voci (%s) e premi la freccia «Togli».",
    "Type into this box to filter down the list of available %s.": "Scrivi qui per restringere l'elenco da scegliere (%s).",
    "Type into this box to filter down the list of selected %s.": "Scrivi qui per restringere l'elenco scelto (%s).",
    "(click to clear)": "(fai clic per svuotare)",
    "Filter": "Filtra",
    "Choose": "Scegli",
    "Remove": "Togli",
}

# Axes strings for the languages whose upstream catalogue lacks them.
AXES = {
    "access attempt": {
        "es": "intento de acceso",
        "sq": "përpjekje hyrjeje",
        "zh_Hans": "登录尝试",
        "uk": "спроба входу",
        "ur": "لاگ اِن کی کوشش",
        "bn": "প্রবেশের চেষ্টা",
    },
    "access attempts": {
        "es": "intentos de acceso",
        "sq": "përpjekje hyrjeje",
        "zh_Hans": "登录尝试",
        "uk": "спроби входу",
        "ur": "لاگ اِن کی کوششیں",
        "bn": "প্রবেশের চেষ্টাগুলি",
    },
    "access failure": {
        "es": "acceso fallido",
        "sq": "hyrje e dështuar",
        "zh_Hans": "登录失败",
        "uk": "невдалий вхід",
        "ur": "ناکام لاگ اِن",
        "bn": "ব্যর্থ প্রবেশ",
    },
    "access failures": {
        "es": "accesos fallidos",
        "sq": "hyrje të dështuara",
        "zh_Hans": "登录失败记录",
        "uk": "невдалі входи",
        "ur": "ناکام لاگ اِنز",
        "bn": "ব্যর্থ প্রবেশগুলি",
    },
    "access log": {
        "es": "registro de acceso",
        "sq": "regjistër hyrjesh",
        "zh_Hans": "登录记录",
        "uk": "журнал входів",
        "ur": "لاگ اِن ریکارڈ",
        "bn": "প্রবেশের লগ",
    },
    "access logs": {
        "es": "registros de acceso",
        "sq": "regjistra hyrjesh",
        "zh_Hans": "登录记录",
        "uk": "журнали входів",
        "ur": "لاگ اِن ریکارڈز",
        "bn": "প্রবেশের লগগুলি",
    },
    "Account locked: too many login attempts. Please try again later.": {
        "es": "Cuenta bloqueada: demasiados intentos de acceso. Inténtalo más tarde.",
        "sq": "Llogaria u bllokua: shumë përpjekje hyrjeje. Provo përsëri më vonë.",
        "zh_Hans": "账户已锁定：登录尝试次数过多。请稍后再试。",
        "uk": "Обліковий запис заблоковано: забагато спроб входу. Спробуйте пізніше.",
        "ur": "اکاؤنٹ بند: لاگ اِن کی بہت زیادہ کوششیں۔ بعد میں دوبارہ کوشش کریں۔",
        "bn": "অ্যাকাউন্ট বন্ধ: অনেকবার প্রবেশের চেষ্টা হয়েছে। পরে আবার চেষ্টা করুন।",
    },
}

HEADER = {"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit", "MIME-Version": "1.0"}


def write(lang, domain, table, plural="nplurals=2; plural=(n != 1);"):
    po = polib.POFile()
    po.metadata = {
        **HEADER,
        "Language": lang,
        "Plural-Forms": plural,
        "Project-Id-Version": "labimpact overrides of third-party strings",
    }
    for msgid, msgstr in table.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    path = pathlib.Path("locale_overrides") / lang / "LC_MESSAGES" / f"{domain}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))


write("it", "django", IT)
write("it", "djangojs", IT_JS)
for lang in ["es", "sq", "zh_Hans", "uk", "ur", "bn"]:
    write(lang, "django", {k: v[lang] for k, v in AXES.items()})

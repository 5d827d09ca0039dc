from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_bidi, get_language_info


def site(request):
    """Language switcher links (same page in every language) and the page direction."""
    current = get_language()
    path = request.get_full_path()
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": translate_url(path, code),
                "is_current": code == current,
                "bidi": info["bidi"],
            }
        )
    return {
        "site_languages": languages,
        "LANGUAGE_DIRECTION": "rtl" if get_language_bidi() else "ltr",
    }

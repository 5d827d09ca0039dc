from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language, get_language_bidi, get_language_info

from labimpact.site_url import site_origin


def _language_url(request, code: str) -> str:
    # Only a path that resolved to one of our pages is translated. An error page (404 for
    # "//evil.com/it/", say) offers each language's home page: a path we did not resolve
    # could be read as another host once turned into a link.
    if getattr(request, "resolver_match", None) is None:
        with translation.override(code):
            return reverse("home")
    return translate_url(request.get_full_path(), code)


def site(request):
    """Language switcher links (same page in every language) and the page direction."""
    current = get_language()
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": _language_url(request, code),
                "is_current": code == current,
                "bidi": info["bidi"],
            }
        )
    return {
        "site_languages": languages,
        "site_origin": site_origin(request),
        "LANGUAGE_DIRECTION": "rtl" if get_language_bidi() else "ltr",
    }

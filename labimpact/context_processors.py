from functools import lru_cache

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language, get_language_bidi, get_language_info

from labimpact.site_url import site_origin


@lru_cache(maxsize=1)
def _language_info() -> tuple[tuple[str, str, bool], ...]:
    return tuple(
        (code, get_language_info(code)["name_local"], get_language_info(code)["bidi"]) for code, _ in settings.LANGUAGES
    )


@lru_cache(maxsize=2048)
def _language_urls(path: str | None) -> tuple[str, ...]:
    """The same page in every language. Every page carries this menu and translating a URL
    resolves and reverses it once per language (a tenth of an uncached search page's CPU),
    so each process remembers the answer per path, without the query string (every search
    has its own; translate_url keeps it unchanged): it depends on nothing but the URLconf.

    None: a path we did not resolve (an error page). It offers each language's home page:
    a path we did not resolve could be read as another host once turned into a link
    ("//evil.com/it/", say).
    """
    if path is None:
        urls = []
        for code, _name, _bidi in _language_info():
            with translation.override(code):
                urls.append(reverse("home"))
        return tuple(urls)
    return tuple(translate_url(path, code) for code, _name, _bidi in _language_info())


def site(request):
    """Language switcher links (same page in every language) and the page direction."""
    current = get_language()
    resolved = getattr(request, "resolver_match", None) is not None
    path, question_mark, query = request.get_full_path().partition("?")
    urls = _language_urls(path if resolved else None)
    if resolved and question_mark:
        urls = tuple(f"{url}?{query}" for url in urls)
    languages = [
        {"code": code, "name_local": name, "url": url, "is_current": code == current, "bidi": bidi}
        for (code, name, bidi), url in zip(_language_info(), urls, strict=True)
    ]
    return {
        "site_languages": languages,
        "site_origin": site_origin(request),
        "LANGUAGE_DIRECTION": "rtl" if get_language_bidi() else "ltr",
    }

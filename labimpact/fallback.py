"""The reader's second language: where a text is missing in the page language, show it in
the language the reader chose (e.g. Urdu → English) before Italian, the source language.

Why a cookie: the choice must survive without an account and says nothing about the
reader beyond a language code (no personal data, no consent needed). It is read once per
request by `ReaderFallbackMiddleware` into a context variable — per thread and per async
task, so two readers served at once never see each other's choice.

Why a dict subclass in settings: modeltranslation resolves every translated attribute
(`desk.name`, `category.name`, querysets' fallback columns) through
`modeltranslation.utils.resolution_order`, which reads `FALLBACK_LANGUAGES.get(language)`.
`ReaderFallbackLanguages.get` answers the reader's choice there, so the whole site (our
`{% localized %}` tag and plain attribute access alike) follows one order:
page language → reader's choice → Italian. Outside a request nothing changes.

One notice per page: every block shown in another language carries
`data-fallback-lang="<code>"` (with its own `lang` and `dir`); `templates/base.html`
holds a placeholder where the middleware writes one notice naming those languages. The
notice is derived from the finished HTML, so a page served from the page cache gets it
exactly like a freshly rendered one (the cache key carries the cookie, see caching.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

COOKIE_NAME = "lingua_riserva"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
SOURCE_LANGUAGE = "it"
# Written by templates/includes/fallback_notice.html, replaced by the middleware.
PLACEHOLDER = "<!-- labimpact:fallback-notice -->"
_MARK = re.compile(rb'data-fallback-lang="([a-z_-]{2,10})"')
# Paths whose answers must not depend on a browser cookie (the API picks its language with
# ?lang=; the back office edits every language side by side).
_SKIPPED_PREFIXES = ("/api/", "/admin/", "/static/", "/media/")

_reader_fallback: ContextVar[str | None] = ContextVar("reader_fallback", default=None)


def _languages() -> dict[str, str]:
    from django.conf import settings

    return {code.lower(): name for code, name in settings.LANGUAGES}


def valid_choice(value: str | None) -> str | None:
    """A language the reader may pick as second language (None: not one)."""
    code = (value or "").strip().lower()
    if code in _languages() and code != SOURCE_LANGUAGE:
        return code
    return None


def cookie_language(request) -> str | None:
    """The reader's second language from the cookie, validated (junk counts as none)."""
    return valid_choice(request.COOKIES.get(COOKIE_NAME))


def current_choice() -> str | None:
    return _reader_fallback.get()


@contextmanager
def reader_fallback(code: str | None) -> Iterator[None]:
    """Resolve translated fields with `code` as second language inside the block."""
    token = _reader_fallback.set(valid_choice(code))
    try:
        yield
    finally:
        _reader_fallback.reset(token)


class ReaderFallbackLanguages(dict):
    """MODELTRANSLATION_FALLBACK_LANGUAGES that puts the reader's choice before Italian.

    modeltranslation calls `.get(language, ())` and then appends the "default" entry, so
    answering the reader's language here gives page language → choice → default.
    """

    def get(self, key, default=None):
        configured = super().get(key, default)
        chosen = _reader_fallback.get()
        if chosen is None or key == "default" or chosen == key:
            return configured
        return (chosen, *(configured or ()))


def resolution_order(language: str) -> tuple[str, ...]:
    """Languages to try for a text, in order: page language, reader's choice, Italian."""
    from modeltranslation.utils import resolution_order as mt_resolution_order

    order = mt_resolution_order(language)
    # Fallbacks switched off (modeltranslation's `fallbacks(False)`) still end in Italian
    # for our templates: a blank is worse than a marked fallback.
    return order if SOURCE_LANGUAGE in order else (*order, SOURCE_LANGUAGE)


def fallback_languages_in(content: bytes) -> list[str]:
    """Codes of the languages a page shows in place of its own, in first-seen order."""
    seen: list[str] = []
    for match in _MARK.finditer(content):
        code = match.group(1).decode()
        if code not in seen:
            seen.append(code)
    return seen


class ReaderFallbackMiddleware:
    """Apply the reader's second language to this request and write the page's one notice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(_SKIPPED_PREFIXES):
            return self.get_response(request)
        with reader_fallback(cookie_language(request)):
            response = self.get_response(request)
            return self._with_notice(request, response)

    def _with_notice(self, request, response):
        if (
            response.streaming
            or response.has_header("Content-Encoding")
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        placeholder = PLACEHOLDER.encode()
        if placeholder not in response.content:
            return response
        notice = render_notice(request, fallback_languages_in(response.content))
        response.content = response.content.replace(placeholder, notice.encode(), 1)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response


def render_notice(request, shown: list[str]) -> str:
    """The page's one notice ('' when every text is in the page language)."""
    if not shown:
        return ""
    from django.template.loader import render_to_string
    from django.utils.translation import get_language, get_language_info

    current = (get_language() or SOURCE_LANGUAGE).lower()
    names = _languages()

    def local_name(code: str) -> str:
        # Each language named in its own words: a reader who cannot read the page language
        # still recognises their own.
        try:
            return get_language_info(code)["name_local"]
        except KeyError:
            return names.get(code, code)

    chosen = cookie_language(request)
    return render_to_string(
        "includes/fallback_notice_body.html",
        {
            "shown": [{"code": code, "name": local_name(code)} for code in shown],
            # Italian first: choosing it forgets the choice (Italian is the last resort anyway).
            "choices": [
                {"code": code, "name": local_name(code), "selected": code == (chosen or SOURCE_LANGUAGE)}
                for code in names
                if code == SOURCE_LANGUAGE or code != current
            ],
            "chosen": chosen,
            "next": request.get_full_path(),
        },
    )


def choose(request):
    """Remember the reader's second language and go back to the page they came from.

    GET, so the chooser works as a plain form or link without JavaScript and without a
    CSRF token (which would make every page carrying the notice uncacheable). Setting a
    language preference is harmless if someone else triggers it. An unknown language
    answers 400 and sets nothing; `next` may only point back into this site.
    """
    from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, HttpResponseRedirect
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme
    from django.utils.translation import gettext

    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    raw = request.GET.get("lingua", "")
    chosen = valid_choice(raw)
    reset = raw.strip().lower() in ("", SOURCE_LANGUAGE)
    if chosen is None and not reset:
        return HttpResponseBadRequest(
            gettext("Lingua sconosciuta: scegli una delle lingue del sito."), content_type="text/plain; charset=utf-8"
        )
    target = request.GET.get("next", "")
    host = request.get_host()
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={host}, require_https=request.is_secure())
    if not safe:
        target = reverse("home")
    response = HttpResponseRedirect(target)
    if chosen is None:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
    else:
        from django.conf import settings

        response.set_cookie(
            COOKIE_NAME,
            chosen,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
            httponly=True,
        )
    response["Cache-Control"] = "no-store"
    return response

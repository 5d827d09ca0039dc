"""HTML and JSON compressed by Django, for deployments where gunicorn answers directly.

Pages are 30–60 KB of HTML and compress to a fifth; static files are pre-compressed by
whitenoise (CompressedManifestStaticFilesStorage) and never pass through here.

BREACH: a compressed page that reflects the reader's input beside a secret leaks the secret
through the response length. Public pages are read anonymously; the only secret they carry
is the CSRF token of a form, which Django masks afresh on every response, and Django's
gzip adds random bytes to each response's length (its "Heal the Breach" mitigation). The
back office (/admin/, the mediation and legal-consultancy pages) shows personal data next to
reflected search terms: it is sent uncompressed, and so is every page for a signed-in user.
deploy/nginx.conf leaves HTML compression to this middleware for the same reason.
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

BACK_OFFICE_PREFIXES = ("/admin/",)
# Language-prefixed back-office pages: /<lang>/mediazione/…, /<lang>/consulenza-legale/…
BACK_OFFICE_SEGMENTS = ("mediazione", "consulenza-legale", "accesso")


def is_back_office(path: str) -> bool:
    if path.startswith(BACK_OFFICE_PREFIXES):
        return True
    parts = path.strip("/").split("/")
    return len(parts) >= 2 and parts[1] in BACK_OFFICE_SEGMENTS


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        user = getattr(request, "user", None)
        if is_back_office(request.path) or (user is not None and user.is_authenticated):
            return response
        return super().process_response(request, response)

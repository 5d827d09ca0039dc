"""Bytes a first visit to a page transfers: HTML, CSS, JS, fonts and images, compressed.

    python benchmarks/transfer.py --base-url http://127.0.0.1:8000 /it/ "/it/sportelli/?q=Sesto+San+Giovanni"

Asks like a browser on an empty cache (Accept-Encoding: gzip, br): the page, then every
stylesheet, script, icon, manifest and image the HTML names, then the fonts the stylesheets
declare. Counted: body bytes as sent (compressed when the server compressed), without
headers. Fonts: those the page preloads are counted; the other faces its stylesheets declare
(first format of each @font-face) are listed apart, as a browser fetches one only when the
page's text uses it; benchmarks/lighthouse.py reports what a real browser fetched. Images
from other hosts (map tiles) are listed, not counted.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

ACCEPT_ENCODING = "gzip, br"
BUDGET = 150_000  # bytes per page on a first visit (issue 14)
DECLARED_FONT = "font, declared only"


@dataclass
class Resource:
    url: str
    kind: str
    status: int = 0
    bytes: int = 0
    encoding: str = ""


@dataclass
class PageTransfer:
    path: str
    resources: list[Resource] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)

    def total(self, kind: str | None = None) -> int:
        """Bytes of `kind`, or of everything counted (declared fonts not preloaded are not)."""
        if kind is None:
            return sum(r.bytes for r in self.resources if r.kind != DECLARED_FONT)
        return sum(r.bytes for r in self.resources if r.kind == kind)


class _Assets(HTMLParser):
    """Stylesheets, scripts, images, icons and the manifest an HTML page names."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower().split()
            if "stylesheet" in rel:
                self.found.append(("css", a["href"]))
            elif "icon" in rel or "apple-touch-icon" in rel:
                # A browser fetches one favicon; the SVG when it is offered.
                self.found.append(("icon", a["href"]))
            elif "manifest" in rel:
                self.found.append(("manifest", a["href"]))
            elif "preload" in rel:
                self.found.append((a.get("as") or "preload", a["href"]))
        elif tag == "script" and a.get("src"):
            self.found.append(("js", a["src"]))
        elif tag == "img" and a.get("src") and (a.get("loading") or "") != "lazy":
            self.found.append(("img", a["src"]))


def assets_of(html: str) -> list[tuple[str, str]]:
    parser = _Assets()
    parser.feed(html)
    seen, unique = set(), []
    for kind, url in parser.found:
        if url not in seen:
            seen.add(url)
            unique.append((kind, url))
    # One favicon, as a browser does: prefer SVG, else the first.
    icons = [u for k, u in unique if k == "icon"]
    if len(icons) > 1:
        keep = next((u for u in icons if u.endswith(".svg")), icons[0])
        unique = [(k, u) for k, u in unique if k != "icon" or u == keep]
    return unique


_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}", re.S)
_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def fonts_of(css: str) -> list[str]:
    """The first source of every @font-face (the one a current browser takes)."""
    fonts = []
    for body in _FONT_FACE.findall(css):
        urls = [u for u in _URL.findall(body) if not u.startswith("data:")]
        if urls and urls[0] not in fonts:
            fonts.append(urls[0])
    return fonts


def get(base: str, url: str) -> tuple[int, bytes, dict[str, str]]:
    parts = urlsplit(urljoin(base, url))
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={"Accept-Encoding": ACCEPT_ENCODING, "Accept-Language": "it"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def _decoded(body: bytes, encoding: str) -> str:
    if encoding == "gzip":
        import gzip

        body = gzip.decompress(body)
    elif encoding == "br":
        try:
            import brotli
        except ImportError:  # whitenoise only sends br when the package is there to build it
            return ""
        body = brotli.decompress(body)
    return body.decode("utf-8", errors="replace")


def measure(base: str, path: str) -> PageTransfer:
    page = PageTransfer(path)
    origin = urlsplit(base).netloc
    status, body, headers = get(base, path)
    encoding = headers.get("content-encoding", "")
    page.resources.append(Resource(path, "html", status, len(body), encoding))
    html = _decoded(body, encoding)
    page_url = urljoin(base, path)
    # A browser fetches a URL once: a font both preloaded by the page and declared by its
    # stylesheet counts once.
    seen: set[str] = set()
    for kind, url in assets_of(html):
        absolute = urljoin(page_url, url)
        if urlsplit(absolute).netloc != origin:
            page.elsewhere.append(absolute)
            continue
        if absolute in seen:
            continue
        seen.add(absolute)
        status, body, headers = get(base, absolute)
        encoding = headers.get("content-encoding", "")
        page.resources.append(Resource(absolute, kind, status, len(body), encoding))
        if kind == "css":
            for font in fonts_of(_decoded(body, encoding)):
                font_url = urljoin(absolute, font)
                if font_url in seen:
                    continue
                seen.add(font_url)
                status, font_body, font_headers = get(base, font_url)
                page.resources.append(
                    Resource(font_url, DECLARED_FONT, status, len(font_body), font_headers.get("content-encoding", ""))
                )
    return page


def format_page(page: PageTransfer) -> str:
    lines = [f"{page.path}: {page.total() / 1000:.1f} kB"]
    for kind in ("html", "css", "js", "font", "img", "icon", "manifest"):
        total = page.total(kind)
        if total:
            lines.append(f"    {kind:<9}{total / 1000:>8.1f} kB")
    declared = page.total(DECLARED_FONT)
    if declared:
        lines.append(f"    (other font faces declared, fetched only if the text uses them: {declared / 1000:.1f} kB)")
    for resource in page.resources:
        if resource.status != 200:
            lines.append(f"    ! {resource.url} answered {resource.status}")
    for url in page.elsewhere:
        lines.append(f"    (elsewhere, not counted: {url})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--budget", type=int, default=BUDGET, help="bytes per page (default %(default)s)")
    parser.add_argument("paths", nargs="*", default=["/it/", "/it/sportelli/?q=Sesto+San+Giovanni"])
    args = parser.parse_args(argv)
    over = 0
    for path in args.paths:
        page = measure(args.base_url, path)
        print(format_page(page))
        over += page.total() > args.budget
    print(f"budget {args.budget / 1000:.0f} kB per page: {'exceeded on ' + str(over) + ' page(s)' if over else 'met'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

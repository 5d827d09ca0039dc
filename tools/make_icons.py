"""Render the portal's favicon and touch icons from static/labimpact/img/logo-mark.svg.

Run after changing the mark: `.venv/bin/python tools/make_icons.py`. Debian's chromium draws
the SVG (no image library needed); favicon.ico wraps the 16, 32 and 48 px PNGs (an ICO file
may hold PNG images as they are).
"""

import pathlib
import struct

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
IMG = ROOT / "static" / "labimpact" / "img"
SIZES = {
    "favicon-16.png": 16,
    "favicon-32.png": 32,
    "favicon-48.png": 48,
    "apple-touch-icon.png": 180,
    "icon-192.png": 192,
    "icon-512.png": 512,
}


def render(svg: str, size: int) -> bytes:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": size, "height": size})
        page.set_content(
            "<style>html,body{margin:0;background:transparent}svg{display:block;width:100vw;height:100vh}</style>" + svg
        )
        png = page.screenshot(omit_background=True)
        browser.close()
    return png


def ico(pngs: list[tuple[int, bytes]]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, data = b"", b""
    for size, png in pngs:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


def main():
    svg = (IMG / "logo-mark.svg").read_text()
    rendered = {name: render(svg, size) for name, size in SIZES.items()}
    for name, png in rendered.items():
        (IMG / name).write_bytes(png)
    (IMG / "favicon.ico").write_bytes(
        ico([(16, rendered["favicon-16.png"]), (32, rendered["favicon-32.png"]), (48, rendered["favicon-48.png"])])
    )


if __name__ == "__main__":
    main()

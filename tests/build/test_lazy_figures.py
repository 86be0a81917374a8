"""Figures load lazily and hold their place (scripts/hooks.py, lazy_figures)."""

from __future__ import annotations

import re

IMG = re.compile(r"<img\b[^>]*>")
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
VIEWBOX = re.compile(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"')


def test_every_figure_is_lazy_and_sized(site_dir):
    checked = 0
    for page in sorted(site_dir.glob("**/index.html")):
        for tag in IMG.findall(page.read_text(encoding="utf-8")):
            attrs = dict(ATTR.findall(tag))
            if "figures/" not in attrs.get("src", ""):
                continue
            where = f"{page.relative_to(site_dir)}: {attrs['src']}"
            assert attrs.get("loading") == "lazy" and attrs.get("decoding") == "async", where
            svg = (page.parent / attrs["src"]).resolve()
            w, h = map(float, VIEWBOX.search(svg.read_text(encoding="utf-8")[:4000]).groups())
            # the reserved box has the figure's own shape (to a pixel), so nothing shifts when it arrives
            assert abs(int(attrs["width"]) * h / w - int(attrs["height"])) <= 1, where
            checked += 1
    assert checked >= 2 * 40, "both editions' chapter figures and demo fallbacks are checked"

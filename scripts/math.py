"""Math rendered at build time: pymdownx.arithmatex output → KaTeX HTML (+ MathML).

Readers then download only KaTeX's stylesheet and the fonts a page uses, never
its 270 KB of JavaScript, and formulas appear with the page, without a flash.
"""

from __future__ import annotations

import json
import re
import subprocess
from html import unescape

from scripts import paths

# arithmatex (generic mode) emits \( … \) in a span and \[ … \] in a div.
MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
DELIMITERS = re.compile(r"^\\[(\[](.*)\\[)\]]$", re.S)
RENDERER = paths.ROOT / "scripts" / "katex_render.mjs"


class MathError(RuntimeError):
    """KaTeX could not be run."""


def render_math(html: str) -> str:
    """Replace every arithmatex element in ``html`` with KaTeX's rendering."""
    found = list(MATH.finditer(html))
    if not found:
        return html
    items = []
    for m in found:
        tex = unescape(m.group(2)).strip()
        inner = DELIMITERS.match(tex)
        items.append({"tex": (inner.group(1) if inner else tex).strip(), "display": m.group(1) == "div"})
    proc = subprocess.run(
        ["node", str(RENDERER)], input=json.dumps(items), capture_output=True, text=True, cwd=paths.ROOT
    )
    if proc.returncode != 0:
        raise MathError(f"KaTeX failed: {proc.stderr[-2000:]}")
    rendered = iter(json.loads(proc.stdout))
    return MATH.sub(lambda m: f'<{m.group(1)} class="arithmatex">{next(rendered)}</{m.group(1)}>', html)

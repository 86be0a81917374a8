"""Math rendered at build time: pymdownx.arithmatex output → KaTeX HTML (+ MathML).

Readers then download only KaTeX's stylesheet and the fonts a page uses, never
its 270 KB of JavaScript, and formulas appear with the page, without a flash.

Two steps, so that the search index holds each formula once, readably:

1. :func:`mark_math` (``on_page_content``) keeps the TeX in a ``data-tex``
   attribute and puts a plain-text reading inside (``A/N^α`` for
   ``\\frac{A}{N^{\\alpha}}``).  Material's search plugin indexes this text, after
   ``on_page_content``.  Rendered KaTeX would give it each formula three times
   (MathML, the TeX annotation, the visible HTML: 「第 ttt 步」).
2. :func:`render_math` (``on_post_page``, after the template) swaps each marked
   element for KaTeX's rendering.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from html import escape, unescape

from scripts import paths

# arithmatex (generic mode) emits \( … \) in a span and \[ … \] in a div.
MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
MARKED = re.compile(r'<(span|div) class="arithmatex" data-tex="([^"]*)">.*?</\1>', re.S)
DELIMITERS = re.compile(r"^\\[(\[](.*)\\[)\]]$", re.S)
RENDERER = paths.ROOT / "scripts" / "katex_render.mjs"

GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
    "upsilon phi chi psi omega"
).split()


def _greek(case: str, name: str) -> str:
    return unicodedata.lookup(f"GREEK {case} LETTER {name.upper().replace('LAMBDA', 'LAMDA')}")


SYMBOLS = {
    **{rf"\{name}": _greek("SMALL", name) for name in GREEK},
    **{rf"\{name.capitalize()}": _greek("CAPITAL", name) for name in GREEK},
    r"\varepsilon": "ε", r"\ell": "ℓ", r"\cdot": "·", r"\times": "×", r"\le": "≤", r"\leq": "≤",
    r"\ge": "≥", r"\geq": "≥", r"\neq": "≠", r"\approx": "≈", r"\sim": "~", r"\propto": "∝",
    r"\sum": "∑", r"\prod": "∏", r"\sqrt": "√", r"\infty": "∞", r"\to": "→", r"\rightarrow": "→",
    r"\in": "∈", r"\mid": "|", r"\pm": "±", r"\partial": "∂", r"\nabla": "∇", r"\ldots": "…",
    r"\cdots": "⋯", r"\dots": "…", r"\top": "T",
}  # fmt: skip
COMMAND = re.compile(r"\\([A-Za-z]+)")
ARG = r"\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}"  # a braced argument, up to 3 levels deep
FRAC = re.compile(rf"\\[dt]?frac{ARG}{ARG}")
SQRT = re.compile(rf"\\sqrt{ARG}")
DROP = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg|displaystyle|textstyle|quad|qquad)\b|\\[,;:! ]")


class MathError(RuntimeError):
    """KaTeX could not be run."""


def readable(tex: str) -> str:
    """A plain-text reading of TeX for the search index: Greek and operators as Unicode,
    ``\\frac{a}{b}`` as ``a/b``, commands such as ``\\mathrm`` and braces dropped."""
    text = DROP.sub(" ", tex)
    text = FRAC.sub(lambda m: f"{_group(readable(m.group(1)))}/{_group(readable(m.group(2)))}", text)
    text = SQRT.sub(lambda m: f"√{_group(readable(m.group(1)))}", text)
    text = COMMAND.sub(lambda m: SYMBOLS.get(m.group(0), "" if _is_style(m.group(1)) else m.group(1)), text)
    text = text.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).strip()


def _group(part: str) -> str:
    return f"({part})" if re.search(r"[+\-\s]", part.strip()) else part.strip()


def _is_style(name: str) -> bool:
    return name in {"mathrm", "mathbf", "mathit", "mathcal", "mathbb", "operatorname", "text", "textrm",
                    "boldsymbol", "hat", "bar", "tilde", "vec", "overline", "underline"}  # fmt: skip


def mark_math(html: str) -> str:
    """Replace each arithmatex element's TeX with a readable text, keeping the TeX in ``data-tex``."""

    def mark(m: re.Match) -> str:
        tex = unescape(m.group(2)).strip()
        inner = DELIMITERS.match(tex)
        tex = inner.group(1).strip() if inner else tex
        return f'<{m.group(1)} class="arithmatex" data-tex="{escape(tex)}">{escape(readable(tex))}</{m.group(1)}>'

    return MATH.sub(mark, html)


def has_math(html: str) -> bool:
    """Whether ``html`` holds a formula marked by :func:`mark_math`."""
    return MARKED.search(html) is not None


def render_math(html: str) -> str:
    """Replace every element marked by :func:`mark_math` with KaTeX's rendering."""
    found = list(MARKED.finditer(html))
    if not found:
        return html
    items = [{"tex": unescape(m.group(2)), "display": m.group(1) == "div"} for m in found]
    proc = subprocess.run(
        ["node", str(RENDERER)], input=json.dumps(items), capture_output=True, text=True, cwd=paths.ROOT
    )
    if proc.returncode != 0:
        raise MathError(f"KaTeX failed: {proc.stderr[-2000:]}")
    rendered = iter(json.loads(proc.stdout))
    return MARKED.sub(lambda m: f'<{m.group(1)} class="arithmatex">{next(rendered)}</{m.group(1)}>', html)

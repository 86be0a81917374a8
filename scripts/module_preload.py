"""The static import graph of the site's module scripts, preloaded with them.

A page's module scripts (mkdocs.yml ``extra.modules``) import others, which import others:
without hints the browser finds each level only after the one above has arrived, one round
trip per level (main.js → demo-block.js → runtime/client.js → runtime/errors.js).
overrides/partials/modules.html starts the scripts once the page has been drawn and, at the
same moment, a ``<link rel="modulepreload">`` for every module of the graph
(``config.extra.modulepreload``, set by scripts/hooks.py), so all are requested at once.
Dynamic ``import()`` (renderers, the editor, offline) is left out: those load when needed.
"""

from __future__ import annotations

import posixpath
import re

from scripts import paths

# `import x from "./a.js"`, `import { a } from "../b.js"`, `import "./c.js"`, `export … from "./d.js"`
STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^"'();]*?["'](\.{1,2}/[^"']+\.js)["']""", re.M)


def static_imports(source: str) -> list[str]:
    """Relative specifiers of the static imports in a module's `source`."""
    return STATIC_IMPORT.findall(source)


def graph(entries: list[str]) -> list[str]:
    """Every module (site paths like ``assets/js/params.js``) the `entries` import statically, entries excluded.

    A module made at build time (``config.js``) has no source under ``assets/``: it is listed,
    and its own imports (none) are not followed.
    """
    seen: list[str] = []
    todo = list(entries)
    while todo:
        path = todo.pop(0)
        source = paths.ROOT / path
        if not source.is_file():
            continue
        for spec in static_imports(source.read_text(encoding="utf-8")):
            dep = posixpath.normpath(posixpath.join(posixpath.dirname(path), spec))
            if dep not in seen and dep not in entries:
                seen.append(dep)
                todo.append(dep)
    return seen


def module_entries(config) -> list[str]:
    """The module scripts every page starts (mkdocs.yml ``extra.modules``)."""
    return list(config.extra.get("modules") or [])

"""The ``demo`` custom fence for pymdownx.superfences: Markdown in, a demo block out.

A chapter embeds a demo with::

    ```demo
    name: text_continuation
    prompt: 台湾最高的山是
    ```

The body is YAML: ``name`` picks the module in ``demos/``; any other key
overrides that parameter's default and is validated by the module's own
``PARAMS``.  An unknown demo or a bad override raises ``SuperFencesException``,
which fails the build (MkDocs names the page).  The output follows the DOM
contract in CONTRIBUTING.md; ``assets/js/`` brings it to life.
"""

from __future__ import annotations

import inspect
import json
from html import escape

import yaml
from pymdownx.superfences import SuperFencesException

from demos._params import DemoError
from demos._runtime import load

SITE_ROOT = "__SITE_ROOT__/"  # replaced by the hook with the page's path to the site root
REPO_ROOT = "__REPO_URL__/"  # replaced by the hook with mkdocs.yml's repo_url (one place)
DEFAULT_TIME_BUDGET_S = 20


class DemoFenceError(SuperFencesException):
    """A ``demo`` block that cannot be built; the message says why."""


def parse_block(source: str) -> tuple[str, object, dict]:
    """Return (name, module, values) for a fence body, or raise DemoFenceError."""
    try:
        body = yaml.safe_load(source) or {}
    except yaml.YAMLError as err:
        raise DemoFenceError(f"demo block is not valid YAML: {err}") from None
    if not isinstance(body, dict) or "name" not in body:
        raise DemoFenceError("demo block needs a `name:` line naming a module in demos/")
    name = body.pop("name")
    try:
        module = load(name)
    except DemoError:
        raise DemoFenceError(f"unknown demo {name!r}: there is no demos/{name}.py") from None
    params = module.PARAMS
    values = {k: p.default for k, p in params.items()}
    for key, raw in body.items():
        if key not in params:
            raise DemoFenceError(f"demo {name!r} has no parameter {key!r} (it has: {', '.join(params)})")
        try:
            values[key] = params[key].parse(raw, key)
        except DemoError as err:
            raise DemoFenceError(f"demo {name!r}, parameter {key!r}: {err}") from None
    return name, module, values


def _code_panel_html(name: str, module, block_id: str) -> str:
    """The 代码 panel (assets/js/code-panel.js): the shipped source in an inert
    <template> (not rendered, not searched, no copy button), the editor's host,
    the 恢复代码 button, a slot for links (``data-role=code-links``) and the banner
    a shared link with code shows."""
    code = inspect.getsource(module)
    return f"""<section class="demo__code" id="{block_id}-code" data-role="code-panel" aria-label="demos/{name}.py 的代码" hidden>
<div class="demo__code-bar"><code class="demo__code-file">demos/{name}.py</code><span class="demo__code-links" data-role="code-links"><a class="demo__source" href="{REPO_ROOT}blob/main/demos/{name}.py" rel="noopener" target="_blank">在代码仓库中查看</a></span><button type="button" class="md-button" data-action="reset-code" disabled>恢复代码</button></div>
<div class="demo__code-banner" data-role="code-banner" role="alert" hidden>此链接包含修改过的代码，请先阅读再运行</div>
<div class="demo__editor" data-role="editor"></div>
<pre class="demo__code-error" data-role="code-error" hidden></pre>
<p class="demo__code-help">改完按「运行」（或 Ctrl+Enter）用你的代码运行；修改自动保存在本浏览器。在编辑器里 Tab 用来缩进：先按 Esc 再按 Tab 可离开编辑器。</p>
<template data-role="code-source">{escape(code, quote=False)}</template>
</section>"""


def render_block(name: str, module, values: dict, block_id: str) -> str:
    """The HTML of one demo block (controls, buttons, status, output, fallback, code)."""
    from scripts.controls import control_html

    title = getattr(module, "TITLE", name)
    budget = int(getattr(module, "TIME_BUDGET_S", DEFAULT_TIME_BUDGET_S) * 1000)
    # The declaration travels in an attribute, not a <script>: Material's instant
    # navigation re-executes every <script> in new content, JSON included.
    spec = json.dumps({"params": {k: p.spec() for k, p in module.PARAMS.items()}, "values": values}, ensure_ascii=False)
    controls = "".join(control_html(k, p, values[k], block_id) for k, p in module.PARAMS.items())
    # Live controls (assets/js/live.js); a slow demo opts out with `LIVE = False`.
    autorun = (
        '<label class="demo__autorun" title="按过一次「运行」后，参数一改就自动重新运行">'
        '<input type="checkbox" data-action="autorun" checked> 自动运行</label>\n'
        if getattr(module, "LIVE", True)
        else ""
    )
    # Buttons name what they act on for screen readers; each name starts with the
    # visible word, so speech control ("点击 运行") still finds it (WCAG 2.5.3).
    t = escape(title, quote=True)
    return f"""<div class="demo" id="{block_id}" data-demo="{name}" data-state="idle" data-time-budget="{budget}" data-search-exclude data-spec="{escape(spec, quote=True)}">
<div class="demo__head"><span class="demo__title">{escape(title)}</span><a class="demo__anchor" href="#{block_id}" title="本演示的链接" aria-label="本演示的链接">#</a></div>
<form class="demo__controls" data-role="controls">{controls}</form>
<div class="demo__actions">
<button type="button" class="md-button md-button--primary" data-action="run" aria-label="运行演示：{t}">运行</button>
<button type="button" class="md-button" data-action="stop" aria-label="停止运行：{t}" disabled>停止</button>
<button type="button" class="md-button" data-action="share" aria-label="复制链接：带上本演示的当前参数">复制链接</button>
<button type="button" class="md-button" data-action="reset" aria-label="恢复默认参数">恢复默认</button>
<button type="button" class="md-button" data-action="edit" aria-label="代码：查看和修改 demos/{name}.py" aria-expanded="false" aria-controls="{block_id}-code">代码</button>
{autorun}<span class="demo__modified" data-role="modified" hidden>已修改</span>
</div>
<div class="demo__status" data-role="status">按「运行」在你的浏览器里执行这段 Python 代码；页面脚本未加载时，下方是默认参数的静态结果。</div>
<progress class="demo__progress" data-role="progress" aria-label="{t}：运行环境加载进度" hidden></progress>
<div class="demo__announce" data-role="announce" role="status" aria-live="polite" aria-atomic="true"></div>
<div class="demo__announce" data-role="alert" role="alert"></div>
<div class="demo__output" data-role="output"></div>
<figure class="demo__fallback" data-role="fallback"><img src="{SITE_ROOT}figures/demo-{name}.svg" alt="{escape(title)}：默认参数下的输出" loading="lazy"><figcaption>默认参数下的输出（构建时生成的静态图）</figcaption></figure>
{_code_panel_html(name, module, block_id)}
</div>"""


def fence_format(source, language, css_class, options, md, **kwargs) -> str:
    """pymdownx.superfences ``format`` for the ``demo`` fence."""
    name, module, values = parse_block(source)
    used = md.__dict__.setdefault("_demo_block_ids", set())
    block_id, n = f"demo-{name}", 2
    while block_id in used:
        block_id, n = f"demo-{name}-{n}", n + 1
    used.add(block_id)
    return render_block(name, module, values, block_id)

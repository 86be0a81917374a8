"""The ``exercise`` custom fence for pymdownx.superfences: a graded 练一练 block.

A chapter embeds an exercise with::

    ```exercise
    name: causal_attention
    ```

``name`` picks the module in ``demos/exercises/``; an unknown name fails the
build (MkDocs names the page).  The block shows the task, the starter code (a
plain ``<pre>`` until ``assets/js/exercise.js`` puts an editor there), 检查,
the verdict, a collapsible hint and the reference solution, hidden until asked.
DOM contract: CONTRIBUTING.md, 「写一道练习」.
"""

from __future__ import annotations

from html import escape

import markdown
import yaml

from demos import exercises
from demos.exercises._grade import solution_text
from scripts.demo_fence import DEFAULT_TIME_BUDGET_S, DemoFenceError


class ExerciseFenceError(DemoFenceError):
    """An ``exercise`` block that cannot be built; the message says why."""


def parse_block(source: str) -> tuple[str, object]:
    """Return (name, module) for a fence body, or raise ExerciseFenceError."""
    try:
        body = yaml.safe_load(source) or {}
    except yaml.YAMLError as err:
        raise ExerciseFenceError(f"exercise block is not valid YAML: {err}") from None
    if not isinstance(body, dict) or set(body) != {"name"}:
        raise ExerciseFenceError("exercise block needs exactly one `name:` line naming a module in demos/exercises/")
    name = body["name"]
    try:
        return name, exercises.load(name)
    except LookupError:
        raise ExerciseFenceError(
            f"unknown exercise {name!r}: there is no demos/exercises/{name}.py (known: {', '.join(exercises.names())})"
        ) from None


def prose_html(text: str) -> str:
    """Task or hint text (Markdown with $math$) as HTML; the page hook renders the math with KaTeX."""
    md = markdown.Markdown(
        extensions=["pymdownx.arithmatex", "pymdownx.inlinehilite"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    return md.convert(text)


def render_block(name: str, module, block_id: str) -> str:
    """The HTML of one exercise block."""
    budget = int(getattr(module, "TIME_BUDGET_S", DEFAULT_TIME_BUDGET_S) * 1000)
    starter = escape(module.STARTER)
    solution = escape(solution_text(module.SOLUTION))
    t = escape(module.TITLE, quote=True)  # buttons name what they act on (assets/js/announce.js: the live regions)
    return f"""<div class="exercise" id="{block_id}" data-exercise="{name}" data-state="idle" data-time-budget="{budget}" data-search-exclude>
<div class="exercise__head"><span class="exercise__title">练一练：{escape(module.TITLE)}</span><a class="exercise__anchor" href="#{block_id}" title="本练习的链接" aria-label="本练习的链接">#</a></div>
<div class="exercise__task">{prose_html(module.TASK)}</div>
<div class="exercise__editor" data-role="editor"><pre class="exercise__starter" data-role="starter" tabindex="0"><code>{starter}</code></pre></div>
<div class="exercise__actions">
<button type="button" class="md-button md-button--primary" data-action="check" aria-label="检查代码：{t}">检查</button>
<button type="button" class="md-button" data-action="stop" aria-label="停止检查：{t}" disabled>停止</button>
<button type="button" class="md-button" data-action="reset-code">恢复初始代码</button>
<button type="button" class="md-button" data-action="solution" aria-expanded="false" aria-controls="{block_id}-solution">查看参考答案</button>
</div>
<div class="exercise__status" data-role="status">在上面写好函数，按「检查」：代码在你的浏览器里运行，与参考答案逐个用例比较。</div>
<div class="demo__announce" data-role="announce" role="status" aria-live="polite" aria-atomic="true"></div>
<div class="demo__announce" data-role="alert" role="alert"></div>
<div class="exercise__verdict" data-role="verdict" data-verdict="" hidden></div>
<details class="exercise__hint"><summary>提示</summary>{prose_html(module.HINT)}</details>
<div class="exercise__solution" id="{block_id}-solution" data-role="solution" hidden><pre><code>{solution}</code></pre></div>
</div>"""


def fence_format(source, language, css_class, options, md, **kwargs) -> str:
    """pymdownx.superfences ``format`` for the ``exercise`` fence."""
    name, module = parse_block(source)
    used = md.__dict__.setdefault("_exercise_block_ids", set())
    block_id, n = f"exercise-{name}", 2
    while block_id in used:
        block_id, n = f"exercise-{name}-{n}", n + 1
    used.add(block_id)
    return render_block(name, module, block_id)

"""Chapter 1 figures: how temperature and context length reshape the next-character distribution.

Both figures are drawn from the same n-gram model the chapter's demo runs
(:func:`demos._lm.course_model`), so what the reader sees in the figure is what
the demo would sample from.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

PROMPT = "台湾最高的山是"
TOP = 8  # candidates shown
BASE = "#4C72B0"
ACCENT = "#DD8452"
LIGHT = "#8FB3DE"


def _label(ch: str) -> str:
    """A candidate as an axis label; punctuation is quoted so it stays visible."""
    return f"「{ch}」" if ch in "，。" else ch


def _grouped_bars(ax, labels, series, colors, names):
    """Draw ``series`` (list of equal-length arrays) as grouped bars with value labels."""
    x = np.arange(len(labels))
    width = 0.8 / len(series)
    for i, (values, color, name) in enumerate(zip(series, colors, names)):
        offset = (i - (len(series) - 1) / 2) * width
        bars = ax.bar(x + offset, values, width, color=color, label=name)
        for bar, v in zip(bars, values):
            if v >= 0.02:
                ax.text(bar.get_x() + bar.get_width() / 2, v + 0.01, f"{v:.2f}", ha="center", va="bottom", fontsize=7.5)
    ax.set_xticks(x)
    ax.set_xticklabels(labels, fontsize=12)
    ax.set_ylabel("下一个字的概率")
    ax.legend(frameon=False)


@figure("ch01-temperature")
def temperature():
    """Top-8 next characters after the prompt at T = 0.5, 1, 2 (same model, same history)."""
    import matplotlib.pyplot as plt

    from demos._lm import course_model, reshape

    model = course_model(3)
    base = model.distribution(PROMPT)
    top = np.argsort(-base, kind="stable")[:TOP]
    temps = (0.5, 1.0, 2.0)
    series = [reshape(base, t)[top] for t in temps]

    fig, ax = plt.subplots(figsize=(8, 3.8))
    _grouped_bars(
        ax, [_label(model.vocab[i]) for i in top], series, [ACCENT, BASE, LIGHT], [f"温度 T = {t:g}" for t in temps]
    )
    ax.set_ylim(0, max(s.max() for s in series) * 1.15)
    ax.set_title(f"「{PROMPT}」之后概率最高的 {TOP} 个字：温度越低越集中，越高越平", fontsize=11)
    return fig


@figure("ch01-context")
def context():
    """The same prompt's top next characters when the model sees 0, 1 or 2 previous characters."""
    import matplotlib.pyplot as plt

    from demos._lm import course_model

    dists = [course_model(order).distribution(PROMPT) for order in (1, 2, 3)]
    vocab = course_model(3).vocab
    top = np.argsort(-dists[2], kind="stable")[:TOP]
    series = [d[top] for d in dists]

    fig, ax = plt.subplots(figsize=(8, 3.8))
    _grouped_bars(
        ax,
        [_label(vocab[i]) for i in top],
        series,
        [LIGHT, BASE, ACCENT],
        ["order = 1：只看字频", "order = 2：看前一个字「是」", "order = 3：看前两个字「山是」"],
    )
    ax.set_ylim(0, max(s.max() for s in series) * 1.15)
    ax.set_title(f"「{PROMPT}」之后的候选字：看得越远，「玉」越突出", fontsize=11)
    return fig

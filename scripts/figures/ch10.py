"""Chapter 10 figures: how the watermark's z score grows with length and falls with editing.

Drawn with the chapter demo's own functions (:mod:`demos.watermark`) on the same
course n-gram model, averaged over many random seeds so the trends are not one
lucky sample.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

PROMPT = "语言模型"
GAMMA = 0.5
KEY = 2024
SEEDS = range(16)
COLORS = {0.0: "#999999", 1.0: "#8FB3DE", 2.0: "#4C72B0", 4.0: "#DD8452"}


def _texts(delta, length):
    """Token lists written by the course model with bias ``delta``, one per seed."""
    from demos._lm import course_model
    from demos.watermark import GreenLists, generate, model_sampler, token_index

    model = course_model(3)
    greens = GreenLists(len(model.vocab), GAMMA, KEY)
    first = token_index(model, PROMPT[-1])
    sampler = model_sampler(model, PROMPT)
    return [generate(sampler, first, length, greens, delta, np.random.default_rng(s))[0] for s in SEEDS], greens, first


@figure("ch10-watermark-z")
def watermark_z():
    """Left: mean z against length for several δ. Right: z at T = 100 against the replaced fraction."""
    import matplotlib.pyplot as plt

    from demos.watermark import (
        THRESHOLD,
        expected_green_fraction_uniform,
        green_flags,
        replace_tokens,
        z_curve,
        z_score,
    )

    length = 200
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    x = np.arange(1, length + 1)
    texts = {}
    for delta, color in COLORS.items():
        toks, greens, first = _texts(delta, length)
        texts[delta] = (toks, greens, first)
        curves = np.array([z_curve(green_flags(t, first, greens), GAMMA) for t in toks])
        mean = curves.mean(axis=0)
        left.plot(x, mean, color=color, lw=2, label=f"δ = {delta:g}" + ("（不加水印）" if delta == 0 else ""))
        if delta in (0.0, 2.0):
            left.fill_between(
                x, np.percentile(curves, 10, axis=0), np.percentile(curves, 90, axis=0), color=color, alpha=0.15, lw=0
            )
    ideal = expected_green_fraction_uniform(GAMMA, 2.0)
    left.plot(
        x, z_score(ideal * x, x, GAMMA), color=COLORS[2.0], lw=1, ls=":", label="δ = 2 时的上限（每步分布完全平均）"
    )
    left.axhline(THRESHOLD, color="#C44E52", lw=1, ls="--")
    left.text(length, THRESHOLD + 0.3, "判定阈值 z = 4", color="#C44E52", ha="right", va="bottom", fontsize=9)
    left.set_xlabel("检测的字数 T")
    left.set_ylabel("z 分数（16 个种子的平均）")
    left.set_ylim(-3, 16)
    left.set_title(f"z 随长度按 √T 增长（γ = {GAMMA:g}；阴影为 10%–90% 区间）", fontsize=10.5)
    left.legend(frameon=False, fontsize=8.5, loc="upper left")

    short = 100
    fractions = np.linspace(0, 1, 11)
    for delta in (2.0, 4.0):
        toks, greens, first = texts[delta]
        means = []
        for frac in fractions:
            zs = []
            for s, t in enumerate(toks):
                edited, _ = replace_tokens(t[:short], frac, len(greens(0)), np.random.default_rng(1000 + s))
                zs.append(float(z_score(green_flags(edited, first, greens).sum(), short, GAMMA)))
            means.append(np.mean(zs))
        right.plot(fractions * 100, means, "o-", color=COLORS[delta], lw=2, ms=4, label=f"δ = {delta:g}")
    right.axhline(THRESHOLD, color="#C44E52", lw=1, ls="--")
    right.axhline(0, color="#999999", lw=0.8)
    right.set_xlabel("被随机替换的字所占比例（%）")
    right.set_ylabel(f"T = {short} 时的 z 分数（平均）")
    right.set_title("改写得越多，水印越弱", fontsize=10.5)
    right.legend(frameon=False, fontsize=9)
    fig.tight_layout()
    return fig

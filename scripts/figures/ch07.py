"""Chapter 7 figures: why one-shot (NAR) sampling mixes modes, and when speculative decoding pays off.

Both are drawn from the chapter's demos (:mod:`demos.ar_vs_nar`,
:mod:`demos.speculative_decoding`), so the numbers match what the reader can
reproduce in the browser.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

BASE = "#4C72B0"
ACCENT = "#DD8452"
GREEN = "#55A868"
LIGHT = "#8FB3DE"
CITIES = "台北:30 台南:20 高雄:25 花莲:15 新竹:10"


@figure("ch07-nar-mismatch")
def nar_mismatch():
    """True phrase probabilities vs exact NAR output vs mask-predict (1 round), city example."""
    import matplotlib.pyplot as plt

    from demos import ar_vs_nar as d

    words, probs = d.parse_phrases(CITIES)
    vocab, margs = d.position_vocab(words), d.marginals(words, probs)
    nar = {a + b: margs[0][i] * margs[1][j] for i, a in enumerate(vocab[0]) for j, b in enumerate(vocab[1])}
    invalid = sorted((k for k in nar if k not in words), key=lambda k: -nar[k])
    shown_bad = invalid[:5]
    sim = d.simulate(words, probs, iterations=1, samples=20000, seed=0)
    mp = {k: sim["mp"].count(k) / len(sim["mp"]) for k in set(sim["mp"])}

    labels = words + shown_bad + ["其余\n不成立"]
    rest = invalid[5:]
    series = [
        [*probs, *[0.0] * len(shown_bad), 0.0],
        [*[nar[w] for w in words], *[nar[k] for k in shown_bad], sum(nar[k] for k in rest)],
        [*[mp.get(w, 0.0) for w in words], *[mp.get(k, 0.0) for k in shown_bad], sum(mp.get(k, 0.0) for k in rest)],
    ]
    names = ["真实分布（自回归按此采样）", "一次到位 NAR：各位置独立抽", "mask-predict 1 轮（采样 20000 次）"]
    colors = [BASE, ACCENT, GREEN]

    fig, ax = plt.subplots(figsize=(9, 4.2))
    x = np.arange(len(labels))
    width = 0.27
    for i, (vals, color, name) in enumerate(zip(series, colors, names)):
        ax.bar(x + (i - 1) * width, vals, width, color=color, label=name)
    ax.axvspan(len(words) - 0.5, len(labels) - 0.5, color="#EEEEEE", zorder=0)
    ax.text(
        len(words) + 2.5,
        0.36,
        f"不成立的组合：NAR 合计 {sum(nar[k] for k in invalid):.3f}",
        ha="center",
        fontsize=10,
        color="#555555",
    )
    ax.set_xticks(x)
    ax.set_xticklabels(labels, fontsize=11)
    ax.set_ylim(0, 0.5)
    ax.set_ylabel("概率")
    ax.legend(frameon=False, fontsize=9, loc="upper right")
    ax.set_title(
        "五个地名的玩具分布：一次到位有 65.5% 的概率拼出不存在的地名；\n"
        "mask-predict 修掉了不搭，但把概率推向了常见的字（台北、台南）",
        fontsize=11,
        loc="left",
    )
    return fig


@figure("ch07-speedup")
def speedup():
    """Expected speed-up of speculative decoding vs draft length γ for several acceptance rates."""
    import matplotlib.pyplot as plt

    from demos.speculative_decoding import expected_speedup, expected_tokens_per_call

    gammas = np.arange(1, 11)
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.9))
    colors = [LIGHT, BASE, ACCENT, GREEN]
    for alpha, color in zip((0.4, 0.6, 0.8, 0.9), colors):
        axes[0].plot(gammas, expected_tokens_per_call(alpha, gammas), "o-", color=color, ms=4, label=f"α = {alpha:g}")
        s = expected_speedup(alpha, gammas, 0.1)
        axes[1].plot(gammas, s, "o-", color=color, ms=4, label=f"α = {alpha:g}")
        k = int(np.argmax(s))
        axes[1].annotate(
            f"{s[k]:.2f}×",
            (gammas[k], s[k]),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=8.5,
            color=color,
        )
    axes[1].axhline(1.0, color="#999999", lw=1, ls="--")
    axes[1].text(10, 1.03, "不加速", ha="right", fontsize=9, color="#777777")
    axes[0].set_title("每次调用大模型平均产出几个 token", fontsize=11, loc="left")
    axes[1].set_title("加速比（草稿成本 c = 0.1）", fontsize=11, loc="left")
    for ax in axes:
        ax.set_xlabel("草稿长度 γ")
        ax.set_xticks(gammas)
        ax.legend(frameon=False, fontsize=9)
    axes[0].set_ylabel("token 数")
    axes[1].set_ylabel("倍数")
    fig.tight_layout()
    return fig

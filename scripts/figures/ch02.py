"""Chapter 2 figures: fixed-compute (isoFLOP) curves under the Chinchilla fit, and the GPT series' growth.

The scaling figure is drawn from :mod:`demos.scaling` itself (``loss``,
``optimal_allocation``, ``isoflop_curve``, ``MODELS``), so it shows exactly
what the chapter's demo computes.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

BASE = "#4C72B0"
ACCENT = "#DD8452"
MUTED = "#888888"


@figure("ch02-isoflop")
def isoflop():
    """Loss against parameter count at five fixed compute budgets; optima joined; real models marked."""
    import matplotlib.pyplot as plt

    from demos.scaling import MODELS, compute_flops, isoflop_curve, loss, optimal_allocation

    budgets = [1e20, 1e21, 1e22, 1e23, 5.76e23, 1e24]
    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    cmap = plt.get_cmap("viridis")
    fig, ax = plt.subplots(figsize=(8, 4.8))
    opt_n, opt_l = [], []
    for i, c in enumerate(budgets):
        n_opt, d_opt = optimal_allocation(c)
        n, l = isoflop_curve(c, n_opt / 60, n_opt * 60, points=200)
        gopher = c == 5.76e23
        label = "C = 5.76×10²³（Gopher 的算力）" if gopher else "C = 10" + str(round(np.log10(c))).translate(sup)
        ax.plot(
            n,
            l,
            color=cmap(i / (len(budgets) - 1) * 0.9),
            lw=2.4 if gopher else 1.3,
            ls="-" if gopher else "--",
            label=label,
        )
        opt_n.append(n_opt)
        opt_l.append(float(loss(n_opt, d_opt)))
    ax.plot(opt_n, opt_l, "o-", color=ACCENT, ms=5, lw=1.2, label="每条曲线的最低点", zorder=5)
    for name, n, d in MODELS:
        l = float(loss(n, d))
        ax.plot([n], [l], marker="*", ms=13, color="black", zorder=6)
        offset = {"GPT-3": (-62, 12), "Gopher": (10, -4), "Chinchilla": (-20, -30)}[name]
        ax.annotate(
            f"{name}\n{compute_flops(n, d):.2e} FLOPs".replace("e+", "e"),
            (n, l),
            textcoords="offset points",
            xytext=offset,
            fontsize=8,
            arrowprops={"arrowstyle": "-", "color": MUTED, "lw": 0.6},
        )
    ax.set_xscale("log")
    ax.set_ylim(1.82, 2.75)
    ax.set_xlabel("参数量 N（对数坐标）")
    ax.set_ylabel("预测损失 L（按 Chinchilla 拟合公式）")
    ax.set_title("算力固定时，损失随模型大小先降后升；最低点随算力增加向右下移动", fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="upper right")
    ax.grid(alpha=0.25, which="both")
    return fig


@figure("ch02-gpt-growth")
def gpt_growth():
    """GPT → GPT-2 → GPT-3: parameter counts on a log scale, with the training data each paper reports."""
    import matplotlib.pyplot as plt

    models = ["GPT（2018）", "GPT-2（2019）", "GPT-3（2020）"]
    params = [117e6, 1542e6, 175e9]
    data = ["BooksCorpus\n7,000 多本书", "WebText\n约 40 GB 网页文字", "过滤后约 570 GB 文字\n训练 3,000 亿 token"]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    bars = ax.bar(models, params, color=[BASE, BASE, ACCENT], width=0.55)
    ax.set_yscale("log")
    ax.set_ylim(5e7, 3e12)
    ax.set_ylabel("参数量（对数坐标）")
    for bar, p, d in zip(bars, params, data):
        label = f"{p / 1e8:.2f} 亿" if p < 1e9 else (f"{p / 1e8:.1f} 亿" if p < 1e10 else f"{p / 1e8:,.0f} 亿")
        ax.text(bar.get_x() + bar.get_width() / 2, p * 1.4, f"{label}参数\n{d}", ha="center", va="bottom", fontsize=8.5)
    ax.set_title("两年里参数量涨了约 1,500 倍", fontsize=11)
    return fig

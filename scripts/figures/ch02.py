"""Chapter 2 figures: fixed-compute (isoFLOP) curves under both Chinchilla fits, and the GPT series' growth.

The scaling figure is drawn from :mod:`demos.scaling` itself (``loss``,
``optimal_allocation``, ``rule_allocation``, ``isoflop_curve``, ``MODELS``), so it
shows exactly what the chapter's demo computes: both fits side by side, each with
its optima and the 20-tokens-per-parameter rule as lines.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

BASE = "#4C72B0"
ACCENT = "#DD8452"
MUTED = "#888888"


BUDGETS = (1e20, 1e21, 1e22, 1e23, 5.76e23, 1e24)
GOPHER_C = 5.76e23  # the compute Hoffmann et al. give for both Gopher and Chinchilla

# GPT → GPT-2 → GPT-3: (name, year, parameters, training data as each paper reports it).
# Chapter 2's table marks its numbers against this list (scripts/numbers.py).
GPT_SERIES = (
    ("GPT", 2018, 117e6, "BooksCorpus\n7,000 多本书"),
    ("GPT-2", 2019, 1542e6, "WebText\n约 40 GB 网页文字"),
    ("GPT-3", 2020, 175e9, "过滤后约 570 GB 文字\n训练 3,000 亿 token"),
)


def isoflop_panel(ax, fit):
    """One fit's fixed-compute curves, the optimum of each and the 20-tokens-per-parameter rule.

    Returns {compute: (N_opt, N_rule)} so the chapter can check what the panel shows.
    """
    import matplotlib.pyplot as plt

    from demos.scaling import FIT_LABELS, MODELS, isoflop_curve, loss, optimal_allocation, rule_allocation

    sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
    cmap = plt.get_cmap("viridis")
    shown = {}
    opt, rule = [], []
    for i, c in enumerate(BUDGETS):
        n_opt, d_opt = optimal_allocation(c, fit)
        n_rule, d_rule = rule_allocation(c)
        lo, hi = min(n_opt, n_rule) / 60, max(n_opt, n_rule) * 60
        n, l = isoflop_curve(c, lo, hi, points=200, fit=fit)
        gopher = c == GOPHER_C
        label = "C = 5.76×10²³（Gopher 的算力）" if gopher else "C = 10" + str(round(np.log10(c))).translate(sup)
        ax.plot(
            n,
            l,
            color=cmap(i / (len(BUDGETS) - 1) * 0.9),
            lw=2.2 if gopher else 1.2,
            ls="-" if gopher else "--",
            label=label,
        )
        opt.append((float(n_opt), float(loss(n_opt, d_opt, fit))))
        rule.append((float(n_rule), float(loss(n_rule, d_rule, fit))))
        shown[c] = (float(n_opt), float(n_rule))
    ax.plot(*zip(*opt), "o-", color=ACCENT, ms=5, lw=1.2, label="每条曲线的最低点", zorder=5)
    ax.plot(*zip(*rule), "s:", color="black", ms=4, lw=1.2, label="每参数 20 token 的经验法则", zorder=5)
    for name, n, d in MODELS:
        l = float(loss(n, d, fit))
        ax.plot([n], [l], marker="*", ms=12, color="black", zorder=6)
        offset = {"GPT-3": (-40, 14), "Gopher": (8, -4), "Chinchilla": (-22, -28)}[name]
        ax.annotate(
            name,
            (n, l),
            textcoords="offset points",
            xytext=offset,
            fontsize=8,
            arrowprops={"arrowstyle": "-", "color": MUTED, "lw": 0.6},
        )
    ax.set_xscale("log")
    ax.set_xlabel("参数量 N（对数坐标）")
    ax.set_title(FIT_LABELS[fit], fontsize=10)
    ax.grid(alpha=0.25, which="both")
    return shown


@figure("ch02-isoflop")
def isoflop():
    """Loss against parameter count at fixed compute, for both fits side by side, with the 20-token rule."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 5.4), sharey=True)
    for ax, fit in zip(axes, ("hoffmann", "besiroglu")):
        isoflop_panel(ax, fit)
    axes[0].set_ylim(1.82, 2.75)
    axes[0].set_ylabel("预测损失 L（Chinchilla 公式）")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, frameon=False, loc="lower center", ncol=4)
    fig.suptitle(
        "算力固定时损失先降后升。原论文常数下最低点在法则线左侧（模型更小、读得更多），重拟合后两线几乎重合",
        fontsize=11,
    )
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    return fig


def gpt_growth_factor():
    """GPT-3's parameter count over GPT's (the figure's title and chapter 2 quote it)."""
    return GPT_SERIES[-1][2] / GPT_SERIES[0][2]


@figure("ch02-gpt-growth")
def gpt_growth():
    """GPT → GPT-2 → GPT-3: parameter counts on a log scale, with the training data each paper reports."""
    import matplotlib.pyplot as plt

    models = [f"{name}（{year}）" for name, year, _, _ in GPT_SERIES]
    params = [p for _, _, p, _ in GPT_SERIES]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    bars = ax.bar(models, params, color=[BASE, BASE, ACCENT], width=0.55)
    ax.set_yscale("log")
    ax.set_ylim(5e7, 3e12)
    ax.set_ylabel("参数量（对数坐标）")
    for bar, (_, _, p, d) in zip(bars, GPT_SERIES):
        label = f"{p / 1e8:.2f} 亿" if p < 1e10 else f"{p / 1e8:,.0f} 亿"
        ax.text(bar.get_x() + bar.get_width() / 2, p * 1.4, f"{label}参数\n{d}", ha="center", va="bottom", fontsize=8.5)
    factor = float(f"{gpt_growth_factor():.2g}")  # two significant digits: 1496 → 1,500
    ax.set_title(f"两年里参数量涨了约 {factor:,.0f} 倍", fontsize=11)
    return fig

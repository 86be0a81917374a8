"""Chapter 6 figures: the three training stages, and over-optimising a learned reward.

The second figure is computed with the chapter demo's own functions
(:mod:`demos.rlhf`): the same simulated comparisons, the same Bradley–Terry fit and
the closed-form optimum of the KL-regularised objective, so the curves are what the
demo's policy converges to for each β.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

BASE = "#4C72B0"
ACCENT = "#DD8452"
LIGHT = "#8FB3DE"
GREEN = "#55A868"
GREY = "#666666"
_INCH_PER_UNIT = 0.8  # pipeline figure: 12 data units across 9.6 inches


def _box(ax, x, y, w, h, text, face, size=11, weight="normal", color="black"):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x, y),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor=face,
            edgecolor="#333333",
            linewidth=1.0,
        )
    )
    # One text element per line: a single-line text keeps ``text-anchor: middle`` in the SVG, so the
    # browser centres it with its own CJK font (multi-line text would be placed with build-time metrics).
    lines = text.split("\n")
    step = size * 1.55 / 72 / _INCH_PER_UNIT
    top = y + h / 2 + step * (len(lines) - 1) / 2
    for i, line in enumerate(lines):
        ax.text(
            x + w / 2, top - i * step, line, ha="center", va="center", fontsize=size, fontweight=weight, color=color
        )


def _arrow(ax, start, end, text="", color="#333333", offset=(0.0, 0.12), size=9):
    ax.annotate(
        "", xy=end, xytext=start, arrowprops=dict(arrowstyle="-|>", color=color, linewidth=1.4, shrinkA=2, shrinkB=2)
    )
    if text:
        mx, my = (start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1]
        ax.text(mx, my, text, ha="center", va="bottom", fontsize=size, color=color)


@figure("ch06-pipeline")
def pipeline():
    """Three stages: what each learns from, and what the third stage does inside."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(12 * _INCH_PER_UNIT, 7.4 * _INCH_PER_UNIT))
    fig.subplots_adjust(0, 0, 1, 1)
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 7.4)
    ax.axis("off")

    stages = [
        (0.3, "第一阶段\n预训练", "#DCE6F2", "数据：网上的大量文字\n「……最高的山是玉山……」\n学到：文字接龙本身"),
        (4.3, "第二阶段\n指令微调", "#FBE3D6", "数据：人写的问答对\n「问：怎样入睡？答：……」\n学到：照示范回答问题"),
        (8.3, "第三阶段\nRLHF", "#DDEFD9", "数据：人对回答的比较\n「甲 比 乙 好」\n学到：往人喜欢的方向调"),
    ]
    for x, title, face, data in stages:
        _box(ax, x, 5.3, 3.4, 1.5, title, face, size=13, weight="bold")
        _box(ax, x, 3.3, 3.4, 1.6, data, "white", size=9.5)
        _arrow(ax, (x + 1.7, 4.9), (x + 1.7, 5.3))
    _arrow(ax, (3.7, 6.05), (4.3, 6.05))
    _arrow(ax, (7.7, 6.05), (8.3, 6.05))
    ax.text(6.0, 7.05, "每一阶段都从上一阶段训练好的参数出发", ha="center", fontsize=9, color=GREY)
    ax.text(2.0, 2.95, "数据最多、最便宜，无需人工标注", ha="center", fontsize=8.5, color=GREY)
    ax.text(6.0, 2.95, "要人一句句写，贵、量少", ha="center", fontsize=8.5, color=GREY)
    ax.text(10.0, 2.95, "人只需挑哪个好，比写答案容易", ha="center", fontsize=8.5, color=GREY)

    # inside the third stage
    ax.plot([0.3, 11.7], [2.55, 2.55], color="#BBBBBB", linewidth=0.8, linestyle="--")
    ax.text(0.3, 2.2, "第三阶段里面：", fontsize=10, fontweight="bold", va="center")
    _box(ax, 0.3, 0.35, 2.5, 1.4, "人比较同一问题的\n几个回答", "white", size=9.5)
    _box(ax, 3.6, 0.35, 2.5, 1.4, "奖励模型\nP(甲≻乙)=σ(r甲−r乙)", "#FFF4CC", size=9.5)
    _box(ax, 6.8, 0.35, 2.3, 1.4, "策略（语言模型）\n用 PPO 提高得分", "#DDEFD9", size=9.5)
    _box(ax, 10.0, 0.35, 1.7, 1.4, "参考模型\n（第二阶段\n的模型，冻结）", "#FBE3D6", size=9)
    _arrow(ax, (2.8, 1.05), (3.6, 1.05), "训练", offset=(0, 0.08))
    _arrow(ax, (6.1, 1.05), (6.8, 1.05), "打分 r", offset=(0, 0.08))
    _arrow(ax, (10.0, 1.05), (9.1, 1.05), "KL 惩罚", offset=(0, 0.08), color=ACCENT)
    ax.annotate(
        "",
        xy=(1.55, 1.75),
        xytext=(7.95, 1.75),
        arrowprops=dict(
            arrowstyle="-|>",
            color=GREY,
            linewidth=1.0,
            linestyle=":",
            connectionstyle="arc3,rad=0.12",
            shrinkA=2,
            shrinkB=2,
        ),
    )
    ax.text(4.8, 2.17, "新回答可以再交给人比较（迭代）", ha="center", va="bottom", fontsize=8.5, color=GREY)
    return fig


def _frontier(comparisons, seed, betas):
    """(KL, expected true score, expected learned score) of π* ∝ π_ref·exp(r̂/β) for each β."""
    from demos import rlhf

    wins = rlhf.simulate_comparisons(rlhf.TRUE_SCORES, rlhf.REF_PROBS, comparisons, np.random.default_rng(seed))
    reward, _ = rlhf.fit_reward_model(wins)
    kl, true, learned = [], [], []
    for beta in betas:
        p = rlhf.optimal_policy(reward, rlhf.REF_PROBS, beta)
        kl.append(rlhf.kl_divergence(p, rlhf.REF_PROBS))
        true.append(p @ rlhf.TRUE_SCORES)
        learned.append(p @ reward)
    return np.array(kl), np.array(true), np.array(learned)


@figure("ch06-overoptimization")
def overoptimization():
    """Learned vs true expected score of the KL-regularised optimum, as β shrinks (KL grows)."""
    import matplotlib.pyplot as plt

    from demos import rlhf

    seed = rlhf.PARAMS["seed"].default
    few = rlhf.PARAMS["comparisons"].default
    betas = np.geomspace(20.0, 0.01, 300)
    kl_few, true_few, learned_few = _frontier(few, seed, betas)
    kl_many, true_many, learned_many = _frontier(1000, seed, betas)

    fig, ax = plt.subplots(figsize=(8, 4.4))
    ax.plot(kl_few, learned_few, color=ACCENT, linestyle="--", linewidth=1.8, label=f"奖励模型给的分（{few} 次比较）")
    ax.plot(kl_few, true_few, color=ACCENT, linewidth=2.4, label=f"真人的评价（{few} 次比较）")
    ax.plot(kl_many, learned_many, color=BASE, linestyle="--", linewidth=1.4, label="奖励模型给的分（1000 次比较）")
    ax.plot(kl_many, true_many, color=BASE, linewidth=2.0, label="真人的评价（1000 次比较）")
    for beta in (1.0, 0.5, 0.2, 0.05):
        i = int(np.argmin(np.abs(betas - beta)))
        ax.plot(kl_few[i], true_few[i], "o", color=ACCENT, markersize=6)
        ax.annotate(
            f"β={beta:g}",
            (kl_few[i], true_few[i]),
            textcoords="offset points",
            xytext=(4, -13) if beta > 0.1 else (-12, 8),
            fontsize=8.5,
            color=ACCENT,
        )
    best = float(rlhf.TRUE_SCORES.max())
    ax.axhline(best, color=GREY, linewidth=0.8, linestyle=":")
    ax.text(3.75, best - 0.04, "只说「具体建议」时的真实得分", ha="right", va="top", fontsize=8.5, color=GREY)
    ax.set_xlabel("策略离参考模型的距离 KL(π‖π_ref)（nats）")
    ax.set_ylabel("期望得分")
    ax.set_xlim(0, 3.8)
    ax.set_title("β 越小，策略离参考模型越远：奖励模型的分一路涨，真人的评价先升后降", fontsize=11)
    ax.legend(frameon=False, fontsize=8.5, loc="upper left", bbox_to_anchor=(0.4, 0.6))
    return fig

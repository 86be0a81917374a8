"""Chapter 11 figures: how per-step errors compound over a multi-step task, and the tool-call loop.

The compounding curves use :func:`demos.tool_use.chain_success`, the same closed form the
chapter's demo uses for digit-by-digit mental arithmetic.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

COLORS = ["#4C72B0", "#DD8452", "#55A868", "#C44E52"]


@figure("ch11-compounding")
def compounding():
    """P(all k steps succeed) = p^k for several per-step success rates, with 0.95^20 marked."""
    import matplotlib.pyplot as plt

    from demos.tool_use import chain_success

    steps = np.arange(0, 51)
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for p, color in zip((0.99, 0.95, 0.90, 0.80), COLORS):
        ax.plot(steps, chain_success(p, steps), color=color, lw=2, label=f"每步成功率 {p:.2f}")
    retry = 1 - 0.05**2
    ax.plot(
        steps, chain_success(retry, steps), color=COLORS[1], lw=1.5, ls="--", label="每步 0.95，失败可发现并重试一次"
    )
    y20 = float(chain_success(0.95, 20))
    ax.plot([20], [y20], "o", color=COLORS[1], ms=7)
    ax.annotate(
        f"0.95 的 20 次方 ≈ {y20:.2f}",
        xy=(20, y20),
        xytext=(22, 0.5),
        arrowprops={"arrowstyle": "->", "color": "0.3"},
        fontsize=10,
    )
    ax.set_xlabel("任务的步数 k")
    ax.set_ylabel("每一步都成功的概率（p 的 k 次方）")
    ax.set_xlim(0, 50)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
    ax.set_title("步骤一多，小错误会累积：整体成功率按 p 的 k 次方下降", fontsize=11)
    return fig


@figure("ch11-tool-loop")
def tool_loop():
    """The inference loop: the model writes until a call marker, the system runs the tool and splices the result."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig, ax = plt.subplots(figsize=(8.4, 3.6))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4.2)
    ax.axis("off")

    def box(x, y, w, h, text, color):
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.08", fc=color, ec="0.35", lw=1))
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=10, linespacing=1.5)

    def arrow(x0, y0, x1, y1, text="", dy=0.18, rad=0.0):
        ax.add_patch(
            FancyArrowPatch(
                (x0, y0),
                (x1, y1),
                arrowstyle="-|>",
                mutation_scale=14,
                color="0.3",
                lw=1.3,
                connectionstyle=f"arc3,rad={rad}",
            )
        )
        if text:
            ax.text((x0 + x1) / 2, (y0 + y1) / 2 + dy, text, ha="center", va="bottom", fontsize=9, color="0.2")

    box(0.2, 2.6, 2.6, 1.1, "语言模型\n逐个 token 接龙", "#DCE6F2")
    box(3.9, 2.6, 2.4, 1.1, "系统（外壳程序）\n识别调用、暂停生成", "#F6E3D4")
    box(7.3, 2.6, 2.5, 1.1, "工具\n计算器 / 搜索 / 代码", "#DDEEDB")
    arrow(2.85, 3.15, 3.85, 3.15, "写出调用")
    arrow(6.35, 3.15, 7.25, 3.15, "执行")
    arrow(8.55, 2.5, 6.4, 1.4, "", rad=-0.2)
    ax.text(8.75, 1.45, "结果文字\n接到「→」后面", fontsize=9, color="0.2")
    box(0.2, 0.3, 9.6, 1.0, "上下文：5785 × 7957 等于多少？[计算器(5785×7957)→46031245] 答案是 46031245。", "#F2F2F2")
    arrow(3.0, 1.4, 1.5, 2.5, "", rad=-0.25)
    ax.text(2.6, 1.75, "模型读到结果，继续接龙", fontsize=9, color="0.2")
    ax.set_title("工具调用的一轮：模型只负责「写」调用，真正执行的是外面的系统", fontsize=11)
    return fig

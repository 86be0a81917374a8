"""Chapter 5 figures: when majority voting helps or hurts, and in-context regression as gradient descent.

Drawn from the chapter demos' own code (:func:`demos.self_consistency.exact_accuracy`,
:mod:`demos.icl_regression`), so the curves are what the demos show for the same settings.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

WRONG, RATIO = 4, 0.5  # four wrong answers with weights 1 : ½ : ¼ : ⅛
COLORS = ["#C44E52", "#DD8452", "#4C72B0", "#55A868"]


@figure("ch05-voting")
def voting():
    """Left: accuracy vs k for several p. Right: accuracy vs p for several k, with the threshold."""
    import matplotlib.pyplot as plt

    from demos.self_consistency import answer_probs, exact_accuracy

    share = 1.0 / sum(RATIO**j for j in range(WRONG))  # top wrong answer's share of the wrong mass
    threshold = share / (1 + share)  # p = (1 − p)·share

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))

    k_max = 41
    ks = np.arange(1, k_max + 1)
    for p, color in zip((0.30, 0.35, 0.40, 0.55), COLORS):
        probs = answer_probs(p, WRONG, RATIO)
        acc = exact_accuracy(probs, k_max)
        left.plot(ks, acc, color=color, lw=1.8, label=f"p = {p:.2f}（最常见错误 {probs[1:].max():.3f}）")
        left.plot(ks[::2], acc[::2], "o", color=color, ms=2.5)
    left.set_xlabel("采样的推理链条数 k")
    left.set_ylabel("多数决选出正确答案的概率")
    left.set_ylim(0, 1)
    left.set_xlim(1, k_max)
    left.set_title("同一种错误分布，p 不同：投票可能帮忙，也可能帮倒忙", fontsize=10.5)
    left.legend(frameon=False, fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)

    grid = np.linspace(0.02, 0.9, 89)
    curves = {k: [] for k in (1, 5, 15, 41)}
    for p in grid:
        acc = exact_accuracy(answer_probs(p, WRONG, RATIO), 41)
        for k in curves:
            curves[k].append(acc[k - 1])
    shades = ["#999999", "#8FB3DE", "#4C72B0", "#1F3A68"]
    for (k, ys), color in zip(curves.items(), shades):
        right.plot(grid, ys, color=color, lw=1.8, label=f"k = {k}")
    right.axvline(threshold, color="#C44E52", ls="--", lw=1.2)
    right.text(
        threshold + 0.01,
        0.05,
        f"门槛 p ≈ {threshold:.3f}\n（p 等于最常见错误答案的概率）",
        color="#C44E52",
        fontsize=8.5,
    )
    right.axvline(0.5, color="#BBBBBB", ls=":", lw=1)
    right.text(0.51, 0.25, "不是 0.5", color="#777777", fontsize=8.5)
    right.set_xlabel("单条推理链答对的概率 p")
    right.set_ylabel("多数决选出正确答案的概率")
    right.set_ylim(0, 1.02)
    right.set_xlim(0, 0.9)
    right.set_title("k 越大，曲线越接近一个以门槛为界的台阶", fontsize=10.5)
    right.legend(frameon=False, fontsize=8.5, loc="center right")
    fig.suptitle("错误答案 4 种，概率比 1 : 1/2 : 1/4 : 1/8；平票时在并列第一中随机选", fontsize=10, y=1.0)
    fig.tight_layout()
    return fig


@figure("ch05-icl-gd")
def icl_gd():
    """Left: one prompt's examples, the line one GD step learns, and the attention layer's answers on it.

    Right: error vs number of examples for 1, 2 and 4 layers (= GD steps) and the best possible answer.
    Both from :mod:`demos.icl_regression`, with its default task (seed 17).
    """
    import matplotlib.pyplot as plt

    from demos.icl_regression import attention_predict, error_curve, gd_weights, make_task

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    w, x, y, xq = make_task(1, 8, 0.1, np.random.default_rng(17))
    grid = np.linspace(-3, 3, 61)
    w1 = gd_weights(x, y, 1.0)
    left.plot(grid, grid * w[0], color="#999999", ls="--", lw=1.2, label=f"真实关系 y = {w[0]:.2f}x")
    left.plot(grid, grid * w1[0], color=COLORS[2], lw=2, label=f"一步梯度下降：y = {w1[0]:.2f}x")
    left.scatter(x[:, 0], y, color=COLORS[3], s=30, zorder=3, label="提示里的 8 个范例")
    answers = attention_predict(x, y, xq, 1.0)
    left.scatter(xq[:, 0], answers, marker="x", color=COLORS[0], s=60, zorder=4, label="线性注意力对 5 个问题的回答")
    left.set_xlim(-3, 3)
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.set_title("注意力的回答正好落在梯度下降学到的直线上", fontsize=10.5)
    left.legend(frameon=False, fontsize=8.5, loc="upper left")
    left.grid(alpha=0.3)

    ns = (4, 8, 16, 32, 64)  # below 4 examples, several steps with these η can overshoot and diverge
    shades = ["#8FB3DE", "#4C72B0", "#1F3A68"]
    for (layers, lr), color in zip(((1, 1.0), (2, 0.7), (4, 0.5)), shades):
        gd, best = error_curve(1, 0.1, lr, layers, ns=ns)
        right.plot(ns, gd, "o-", color=color, ms=4, label=f"{layers} 层注意力 = {layers} 步梯度下降（η = {lr:g}）")
    right.plot(ns, best, "s--", color=COLORS[1], ms=4, label="理论上最好的答案（岭回归）")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_xticks(ns)
    right.set_xticklabels([str(n) for n in ns])
    right.set_xlabel("提示里的范例数 N")
    right.set_ylabel("回答的均方误差（2000 道随机题平均）")
    right.set_title("范例越多、层数越多，答得越准", fontsize=10.5)
    right.legend(frameon=False, fontsize=8.5)
    right.grid(alpha=0.3, which="major")
    fig.suptitle("上下文学习线性回归：不改任何参数，只靠注意力读范例", fontsize=11)
    fig.tight_layout()
    return fig

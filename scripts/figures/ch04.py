"""Chapter 4 figures: how low a LoRA rank can go, and where each adapter plugs into a layer.

``ch04-lora-rank`` is computed with the demo's own functions (:mod:`demos.lora`):
the Eckart–Young bound for three spectra, and LoRA trained by gradient descent
on noise-free data at a few ranks.  ``ch04-adapters`` is a schematic of one
Transformer layer drawn with plain matplotlib patches.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

BASE = "#4C72B0"
ACCENT = "#DD8452"
GREEN = "#55A868"
RED = "#C44E52"
PURPLE = "#8172B3"
GREY = "#888888"


@figure("ch04-lora-rank")
def lora_rank():
    """Relative error of the best rank-r change for three singular-value decays (d = 32)."""
    import matplotlib.pyplot as plt

    from demos.lora import lora_init, make_task, moments, output_error, svd_bound, train_lora

    d = 32
    ranks = np.arange(1, d + 1)
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for decay, color in ((0.5, ACCENT), (0.8, BASE), (1.0, GREY)):
        task = make_task(d, decay, 0.0, 1024, seed=0)
        norm = np.linalg.norm(task["dW"])
        bound = [100 * svd_bound(task["s"], r) / norm for r in ranks]
        ax.plot(ranks, bound, color=color, lw=2, label=f"衰减率 {decay:g}：截断 SVD 下限")
        S, C, _ = moments(task["X"], task["Y"], task["W"])
        trained = []
        picks = (1, 2, 4, 8, 16)
        for r in picks:
            B0, A0 = lora_init(d, r, np.random.default_rng(1))
            B, A, _ = train_lora(S, C, B0, A0, steps=1500)
            trained.append(100 * output_error(task["dW"], B @ A) / norm)
        ax.plot(picks, trained, "o", color=color, ms=6, mfc="white", mew=1.8)
    ax.plot([], [], "o", color="black", mfc="white", mew=1.8, label="圆圈：LoRA 梯度下降 1500 步的结果")
    ax.axvline(8, color=GREY, lw=0.8, ls=":")
    ax.text(8.3, 95, "r = 8：参数只有 d² 的一半", fontsize=9, color=GREY, va="top")
    ax.set_xlabel("LoRA 的秩 r（d = 32）")
    ax.set_ylabel("离真正 ΔW 的相对误差 %")
    ax.set_xlim(0.5, d + 0.5)
    ax.set_ylim(0, 102)
    ax.legend(frameon=False, fontsize=9, loc="upper right")
    ax.set_title("ΔW 的奇异值衰减得越快，越小的秩就够用；毫不衰减时低秩无能为力", fontsize=11)
    return fig


def _box(ax, x, y, w, h, text, face="#F2F2F2", edge="#444444", size=10, lw=1.2, ls="-"):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.08", fc=face, ec=edge, lw=lw, ls=ls
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=size)


def _arrow(ax, x0, y0, x1, y1, color="#444444", ls="-"):
    ax.annotate(
        "",
        xy=(x1, y1),
        xytext=(x0, y0),
        arrowprops=dict(arrowstyle="-|>", color=color, lw=1.2, ls=ls, shrinkA=0, shrinkB=0),
    )


@figure("ch04-adapters")
def adapters():
    """One Transformer layer, bottom to top, with the five methods drawn where they attach."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 8.2))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 11.8)
    ax.axis("off")

    cx = 4.2  # the layer's own column
    frozen = "#E8EEF7"
    # the frozen layer, bottom to top
    _box(ax, cx, 0.6, 3.0, 0.6, "输入 h（每个 token 一个向量）", face="white")
    _box(ax, cx - 1.0, 2.0, 0.9, 0.6, "Wq", face=frozen)
    _box(ax, cx, 2.0, 0.9, 0.6, "Wk", face=frozen)
    _box(ax, cx + 1.0, 2.0, 0.9, 0.6, "Wv", face=frozen)
    _box(ax, cx, 3.3, 3.0, 0.7, "自注意力：softmax(QKᵀ/√d)·V", face=frozen)
    _box(ax, cx, 4.4, 1.2, 0.6, "Wo", face=frozen)
    _box(ax, cx, 5.9, 2.4, 0.6, "残差相加 + 层归一化", face="white")
    _box(ax, cx, 7.1, 3.0, 0.7, "前馈网络 W₁ → 激活 → W₂", face=frozen)
    _box(ax, cx, 8.6, 2.4, 0.6, "残差相加 + 层归一化", face="white")
    _box(ax, cx, 9.8, 3.0, 0.6, "输出，送往下一层", face="white")
    for x in (cx - 1.0, cx, cx + 1.0):
        _arrow(ax, cx, 0.9, x, 1.7)
        _arrow(ax, x, 2.3, x, 2.95)
    _arrow(ax, cx, 3.65, cx, 4.1)
    _arrow(ax, cx, 6.2, cx, 6.75)
    _arrow(ax, cx, 8.9, cx, 9.5)
    # residual paths on the left
    ax.plot([cx - 1.9, cx - 1.9], [0.6, 5.9], color=GREY, lw=1, ls="--")
    ax.plot([cx - 1.5, cx - 1.9], [0.6, 0.6], color=GREY, lw=1, ls="--")
    _arrow(ax, cx - 1.9, 5.9, cx - 1.2, 5.9, color=GREY, ls="--")
    ax.plot([cx - 1.9, cx - 1.9], [6.3, 8.6], color=GREY, lw=1, ls="--")
    ax.plot([cx - 1.2, cx - 1.9], [6.3, 6.3], color=GREY, lw=1, ls="--")
    _arrow(ax, cx - 1.9, 8.6, cx - 1.2, 8.6, color=GREY, ls="--")
    ax.text(cx - 2.0, 3.3, "残差", color=GREY, fontsize=9, ha="right", rotation=90, va="center")

    # Houlsby adapters: in series, after Wo and after the FFN, before each residual add
    _box(ax, cx, 5.15, 2.2, 0.5, "Houlsby 适配器：d→m→d", face="#FBE3D3", edge=ACCENT, size=9)
    _arrow(ax, cx, 4.7, cx, 4.9)
    _arrow(ax, cx, 5.4, cx, 5.6)
    _box(ax, cx, 7.95, 2.2, 0.5, "Houlsby 适配器：d→m→d", face="#FBE3D3", edge=ACCENT, size=9)
    _arrow(ax, cx, 7.45, cx, 7.7)
    _arrow(ax, cx, 8.2, cx, 8.3)

    # LoRA: parallel B·A beside Wq and Wv
    for x, side in ((cx - 1.0, -1), (cx + 1.0, 1)):
        bx = x + side * 1.25
        _box(ax, bx, 2.0, 1.0, 0.6, "B·A", face="#DDF0E2", edge=GREEN, size=9)
        ax.plot([x + side * 0.45, bx - side * 0.5], [2.0, 2.0], color=GREEN, lw=1.2)
    ax.text(
        cx + 2.85, 2.0, "LoRA：与 Wq、Wv 并联，\n输出相加，W 本身不动", color=GREEN, fontsize=9, ha="left", va="center"
    )

    # Prefix tuning: trainable vectors joined to K and V
    _box(ax, cx + 3.2, 3.3, 1.6, 0.6, "前缀向量 P_K, P_V", face="#E9E4F5", edge=PURPLE, size=9)
    _arrow(ax, cx + 2.4, 3.3, cx + 1.55, 3.3, color=PURPLE)
    ax.text(
        cx + 3.2,
        3.7,
        "Prefix：每层的 K、V 前面\n多接几个可训练向量",
        color=PURPLE,
        fontsize=9,
        ha="center",
        va="bottom",
    )

    # AdapterBias: parallel to the FFN, adds a token-dependent shift α(h)·v
    _box(ax, cx + 3.2, 7.1, 1.8, 0.6, "α(h)·v", face="#F6DADB", edge=RED, size=10)
    ax.plot([cx + 3.2, cx + 3.2], [6.3, 6.8], color=RED, lw=1.2)
    ax.plot([cx + 1.2, cx + 3.2], [6.3, 6.3], color=RED, lw=1.2)
    _arrow(ax, cx + 3.2, 7.4, cx + 1.25, 7.95, color=RED)
    ax.text(
        cx + 3.2,
        6.15,
        "AdapterBias：与前馈网络并联，\n每个 token 加一个不同大小的平移",
        color=RED,
        fontsize=9,
        ha="center",
        va="top",
    )

    # BitFit: every linear map's bias
    ax.text(
        0.1,
        11.7,
        "BitFit：上面每个 W（Wq Wk Wv Wo W₁ W₂）都带一个偏置 b，只训练这些 b",
        color=BASE,
        fontsize=10,
        ha="left",
        va="top",
    )
    ax.text(
        0.1,
        11.25,
        "浅蓝色方框 = 冻结的预训练参数；彩色 = 每个任务自己训练、自己保存的部分",
        color="#444444",
        fontsize=9,
        ha="left",
        va="top",
    )
    return fig

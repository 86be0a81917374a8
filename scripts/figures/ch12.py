"""Chapter 12 figures: PCA vs a linear probe on toy city embeddings, and the control task as the probe grows.

Both are drawn from :mod:`demos.embedding_probe`, the chapter's demo, so the
numbers in the figures are the ones a reader can reproduce in the browser.
All data are synthetic (a toy), which the titles say.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

COLORS = {
    "亚洲": "#DD8452",
    "欧洲": "#4C72B0",
    "非洲": "#55A868",
    "北美洲": "#C44E52",
    "南美洲": "#8172B3",
    "大洋洲": "#937860",
}
DEFAULTS = dict(places=60, dim=32, nuisance=3.0, noise=0.1, train_frac=0.7, seed=0)
LABELLED = ("台北", "伦敦", "纽约", "悉尼", "开普敦", "圣保罗")


def _by_region(ax, points, regions, names):
    regions = np.array(regions)
    for reg, color in COLORS.items():
        sel = regions == reg
        ax.scatter(points[sel, 0], points[sel, 1], s=18, color=color, label=reg, linewidths=0)
    for name, (x, y) in zip(names, points):
        if name in LABELLED:
            ax.annotate(name, (x, y), fontsize=8, xytext=(3, 3), textcoords="offset points")
    ax.set_xticks([])
    ax.set_yticks([])


@figure("ch12-map")
def map_figure():
    """PCA without / with nuisance factors, and the probe's held-out predictions against the truth."""
    import matplotlib.pyplot as plt

    from demos.embedding_probe import experiment

    clean = experiment(**{**DEFAULTS, "nuisance": 0.0})
    noisy = experiment(**DEFAULTS)

    fig, axes = plt.subplots(1, 3, figsize=(12, 4.2))
    _by_region(axes[0], clean["pca"], clean["regions"], clean["names"])
    axes[0].set_title(f"① 无关因素强度 0：PCA 前两维\n（占方差 {clean['ratios'][:2].sum():.0%}）", fontsize=10)
    _by_region(axes[1], noisy["pca"], noisy["regions"], noisy["names"])
    axes[1].set_title(f"② 无关因素强度 3：PCA 前两维\n（占方差 {noisy['ratios'][:2].sum():.0%}）", fontsize=10)
    axes[1].legend(frameon=False, fontsize=8, loc="best")

    ax = axes[2]
    test = noisy["test"]
    true = noisy["coords"][test][:, ::-1]
    pred = noisy["pred"][:, ::-1]
    for (x0, y0), (x1, y1) in zip(true, pred):
        ax.plot([x0, x1], [y0, y1], color="#999999", linewidth=0.8)
    ax.scatter(true[:, 0], true[:, 1], s=22, color="#4C72B0", label="真实位置", zorder=3)
    ax.scatter(pred[:, 0], pred[:, 1], s=22, color="#DD8452", marker="x", label="探针预测", zorder=3)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 80)
    ax.set_xlabel("经度")
    ax.set_ylabel("纬度")
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    ax.set_title(f"③ 同一份嵌入，线性探针：\n测试集 {len(test)} 座城市，R² = {noisy['real'][1]:.2f}", fontsize=10)
    fig.suptitle("玩具数据：60 座城市的 32 维人造嵌入（经纬度线性写入 + 4 个无关因素 + 噪声）", fontsize=11)
    fig.tight_layout()
    return fig


@figure("ch12-control")
def control_figure():
    """Probe R² on the real task and the control task as the embedding (and probe) gets wider."""
    import matplotlib.pyplot as plt

    from demos.embedding_probe import experiment

    dims = [2, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 56, 64]
    seeds = range(10)
    keys = [("real", 0), ("real", 1), ("control", 0), ("control", 1)]
    mean = {k: [] for k in keys}
    for d in dims:
        runs = [experiment(**{**DEFAULTS, "dim": d, "seed": s}) for s in seeds]
        for task, side in keys:
            mean[(task, side)].append(np.mean([r[task][side] for r in runs]))

    fig, ax = plt.subplots(figsize=(8, 4.2))
    style = {
        ("real", 0): ("#4C72B0", "--", "真任务 · 训练集"),
        ("real", 1): ("#4C72B0", "-", "真任务 · 测试集"),
        ("control", 0): ("#DD8452", "--", "对照任务 · 训练集"),
        ("control", 1): ("#DD8452", "-", "对照任务 · 测试集"),
    }
    for k, (color, ls, label) in style.items():
        ax.plot(dims, np.clip(mean[k], -1, None), ls, color=color, marker="o", markersize=3.5, label=label)
    ax.axvline(41, color="#999999", linewidth=0.8)
    ax.annotate(
        "参数个数 = 训练城市数 42", (41, -0.9), xytext=(4, 0), textcoords="offset points", fontsize=8, color="#666666"
    )
    ax.axhline(0, color="#333333", linewidth=0.6)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("嵌入维度（探针有「维度 + 1」个参数）")
    ax.set_ylabel("R²（10 个种子的平均；低于 −1 画在 −1）")
    ax.legend(frameon=False, fontsize=9, loc="center", bbox_to_anchor=(0.6, 0.36))
    ax.set_title("玩具数据：维度越高，探针连随机坐标都能在训练集上「学会」，只有测试集揭穿它", fontsize=10.5)
    return fig

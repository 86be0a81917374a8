"""Chapter 8 figures: why FID needs many images, what factorised space-time attention saves, why z matters.

The FID and latent-z figures are computed with the chapter demos' own functions
(:mod:`demos.fid`, :mod:`demos.latent_z`), so they show what the demos would for
the same settings.  The attention figure is plain arithmetic on token counts.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

BASE = "#4C72B0"
ACCENT = "#DD8452"
COLORS = ["#8FB3DE", "#4C72B0", "#DD8452", "#C44E52"]
NS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000]


@figure("ch08-fid-bias")
def fid_bias():
    """Left: average FID of identical clouds vs n for several d. Right: the default case with a ±1 std band."""
    import matplotlib.pyplot as plt

    from demos.fid import fid_curve, frechet_distance, true_stats

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))

    for d, color in zip((2, 4, 8, 16), COLORS):
        ns = [n for n in NS if n > d]
        mean_terms, cov_terms, _ = fid_curve(d, 0.0, 1.0, ns, 30, seed=d)
        left.plot(ns, (mean_terms + cov_terms).mean(axis=1), "o-", color=color, ms=4, label=f"d = {d}")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("每组样本数 n")
    left.set_ylabel("估计出的 FID（30 次平均）")
    left.set_title("两团特征完全相同（真实 FID = 0）", fontsize=11)
    left.legend(frameon=False)
    left.grid(alpha=0.3, which="major")

    d, shift, spread = 8, 0.5, 0.8
    truth = float(frechet_distance(*true_stats(d, shift, spread)))
    mean_terms, cov_terms, _ = fid_curve(d, shift, spread, NS, 30, seed=0)
    est = mean_terms + cov_terms
    mean, std = est.mean(axis=1), est.std(axis=1, ddof=1)
    right.fill_between(NS, mean - std, mean + std, color=BASE, alpha=0.2, label="平均 ± 1 个标准差")
    right.plot(NS, mean, "o-", color=BASE, ms=4, label="估计值的平均")
    right.axhline(truth, color=ACCENT, ls="--", label=f"真实 FID = {truth:.2f}")
    right.set_xscale("log")
    right.set_ylim(0, None)
    right.set_xlabel("每组样本数 n")
    right.set_ylabel("FID")
    right.set_title(f"d = {d}，均值偏移 {shift}，标准差比 {spread}", fontsize=11)
    right.legend(frameon=False)
    right.grid(alpha=0.3)
    fig.suptitle("样本越少，FID 估计得越偏高、越不稳定", fontsize=12)
    fig.tight_layout()
    return fig


def attention_pairs(frames, patches):
    """(full 3-D attention, spatial-then-temporal attention): number of query-key pairs."""
    tokens = frames * patches
    return tokens**2, tokens * (patches + frames)


@figure("ch08-attention-cost")
def attention_cost():
    """Query-key pairs for full vs factorised attention as the number of frames grows (32×32 patches)."""
    import matplotlib.pyplot as plt

    patches = 32 * 32
    frames = np.array([1, 2, 4, 8, 16, 32, 64, 128])
    full, split = attention_pairs(frames.astype(float), patches)

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(frames, full, "o-", color=ACCENT, label="完整 3D 注意力：(THW)²")
    ax.plot(frames, split, "o-", color=BASE, label="先空间、后时间：THW·(HW+T)")
    for t, side in ((16, "left"), (128, "right")):
        f, s = attention_pairs(float(t), patches)
        ax.annotate("", xy=(t, s), xytext=(t, f), arrowprops=dict(arrowstyle="<->", color="#555555"))
        x = t * 1.1 if side == "left" else t / 1.1
        ax.text(x, np.sqrt(f * s), f"T = {t}：相差 {f / s:.1f} 倍", ha=side, va="center", fontsize=9)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(frames)
    ax.set_xticklabels([str(t) for t in frames])
    ax.set_xlabel("帧数 T（每帧 32 × 32 = 1024 个 patch）")
    ax.set_ylabel("需要计算的注意力分数个数")
    ax.set_title("把 3D 注意力拆成空间和时间两步，计算量随帧数近似线性增长", fontsize=11, pad=12)
    ax.legend(frameon=False, loc="upper left")
    ax.grid(alpha=0.3, which="major")
    return fig


@figure("ch08-latent-z")
def latent_z():
    """Rows for K = 2 and K = 4 ways of drawing: real samples, the best output without z, samples with z."""
    import matplotlib.pyplot as plt

    from demos.latent_z import generate_with_z, sample_data, train_without_z

    shown = 5
    fig, axes = plt.subplots(2, 2 * shown + 2, figsize=(12, 3.2), gridspec_kw={"wspace": 0.08})
    for row, modes in enumerate((2, 4)):
        rng = np.random.default_rng(0)
        data = sample_data(modes, 6.0, 400, rng)
        blurry = train_without_z(data)
        sharp = generate_with_z(rng.standard_normal((shown, 2)), modes, 6.0)
        panels = [*data[:shown], None, blurry, *sharp]
        for ax, img in zip(axes[row], panels):
            ax.set_xticks([])
            ax.set_yticks([])
            if img is None:
                ax.axis("off")
                continue
            ax.imshow(img, cmap="gray_r", vmin=0, vmax=1)
        axes[row, 0].set_ylabel(f"K = {modes}", rotation=0, labelpad=18, fontsize=10)
        axes[row, shown + 1].set_title("不给 z" if row == 0 else "", fontsize=9.5)
    axes[0, 2].set_title("真实样本（训练数据）", fontsize=9.5)
    axes[0, shown + 4].set_title("给 z：每个 z 一张", fontsize=9.5)
    fig.suptitle(
        "同一句描述有 K 种画法：确定性生成器只能输出平均的重影，加上随机向量 z 才能每次画清楚一种", fontsize=10.5
    )
    return fig

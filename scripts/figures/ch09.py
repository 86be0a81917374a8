"""Chapter 9 figures: the forward process, one step vs many steps, and how much noise an image survives.

All of them (and the classifier-free guidance figure) are drawn with the chapter demos' own functions (:mod:`demos._diffusion`,
:mod:`demos.diffusion_2d`, :mod:`demos.denoise_image`), so they show exactly what
the demos compute.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

BASE = "#4C72B0"
ACCENT = "#DD8452"
LIGHT = "#B8C9E3"
GRAY = "#999999"
FORWARD_STEPS = (0, 50, 150, 300, 500, 1000)


def _cloud(ax, pts, color, size=5, alpha=0.8, lim=3.2):
    ax.scatter(pts[:, 0], pts[:, 1], s=size, color=color, alpha=alpha, linewidths=0)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom", "top", "right"):
        ax.spines[side].set_visible(True)
        ax.spines[side].set_color("#cccccc")


@figure("ch09-forward")
def forward():
    """Top: the 「人」 dataset noised straight to several steps. Bottom: √ᾱ_t and √(1−ᾱ_t)."""
    import matplotlib.pyplot as plt

    from demos._diffusion import schedule
    from demos.diffusion_2d import forward_cloud, make_dataset

    data = make_dataset("ren")
    abar = schedule(1000)
    fig = plt.figure(figsize=(10, 5.6))
    grid = fig.add_gridspec(2, len(FORWARD_STEPS), height_ratios=[1, 1.05], hspace=0.35)
    for i, t in enumerate(FORWARD_STEPS):
        ax = fig.add_subplot(grid[0, i])
        _cloud(ax, forward_cloud(data, t, abar, np.random.default_rng(7)), BASE)
        ax.set_title(f"t = {t}\n√ᾱ = {np.sqrt(abar[t]):.3f}", fontsize=9.5)

    ax = fig.add_subplot(grid[1, :])
    ts = np.arange(1001)
    ax.plot(ts, np.sqrt(abar), color=BASE, lw=2, label="√ᾱ_t：原图还剩几成")
    ax.plot(ts, np.sqrt(1 - abar), color=ACCENT, lw=2, label="√(1−ᾱ_t)：噪声的标准差")
    for t in FORWARD_STEPS[1:-1]:
        ax.axvline(t, color=GRAY, lw=0.6, ls=":")
    ax.set_xlabel("步数 t（DDPM：β 从 0.0001 线性增加到 0.02，共 1000 步）")
    ax.set_xlim(0, 1000)
    ax.set_ylim(0, 1.02)
    ax.legend(frameon=False, loc="center right")
    ax.grid(alpha=0.3)
    fig.suptitle("前向过程：x_t = √ᾱ_t · x_0 + √(1−ᾱ_t) · ε，形状在 t ≈ 500 前后基本消失", fontsize=11)
    return fig


@figure("ch09-one-vs-many")
def one_vs_many():
    """The same 200 noise points denoised in 1, 5 and 40 steps, and in 40 steps without σz."""
    import matplotlib.pyplot as plt

    from demos.diffusion_2d import distinct, generate, make_dataset, spread

    data = make_dataset("ren")
    runs = [
        (1, "ddpm", "1 步（一步到位）"),
        (5, "ddpm", "5 步"),
        (40, "ddpm", "40 步（DDPM）"),
        (40, "ddpm_no_noise", "40 步，但去掉 σz"),
    ]
    fig, axes = plt.subplots(1, 4, figsize=(11, 3.4))
    for ax, (steps, sampler, name) in zip(axes, runs):
        _, x, _ = generate(data, steps, 200, sampler, seed=0)
        _cloud(ax, data, LIGHT, size=4, alpha=1.0, lim=1.3)
        _cloud(ax, x, ACCENT, size=9, alpha=0.75, lim=1.3)
        ax.set_title(f"{name}\n分散程度 {spread(x):.3f}，落点 {distinct(x)} 处", fontsize=9.5)
    fig.suptitle(
        "同样 200 个噪声点：一步只得到平均位置；多步才散开到「人」字上；不加噪声又挤回一处", fontsize=10.5, y=1.04
    )
    return fig


RECOVERY_SEEDS = range(8)


def recovery_rate(t, steps=20, seeds=RECOVERY_SEEDS):
    """Share of (shape, seed) runs whose DDPM restoration from step t is the original training image.

    The chapter's text quotes these rates (marked numbers), so the figure and the text share it.
    """
    from demos.denoise_image import SHAPES, image_dataset, noise_and_restore, shown_index, to_signal

    imgs = to_signal(image_dataset()[0])
    hits = 0
    for shape in SHAPES:
        for seed in seeds:
            _, _, restored, _, _ = noise_and_restore(shape, int(t), steps, "ddpm", seed)
            d2 = ((imgs - restored) ** 2).sum(axis=(1, 2))
            hits += int(np.argmin(d2) == shown_index(shape))
    return hits / (len(SHAPES) * len(seeds))


@figure("ch09-image-recovery")
def image_recovery():
    """Top: a triangle noised to several steps. Bottom: how often 20 DDPM steps bring back that exact image."""
    import matplotlib.pyplot as plt

    from demos._diffusion import forward_sample, schedule
    from demos.denoise_image import SHAPES, image_dataset, shown_index, to_pixels, to_signal

    abar = schedule(1000)
    imgs, _ = image_dataset()
    shown = (0, 100, 300, 500, 700, 1000)
    fig = plt.figure(figsize=(10, 5.6))
    grid = fig.add_gridspec(2, len(shown), height_ratios=[1, 1.3], hspace=0.4)
    clean = to_signal(imgs[shown_index("triangle")])
    for i, t in enumerate(shown):
        ax = fig.add_subplot(grid[0, i])
        x, _ = forward_sample(clean, t, abar, np.random.default_rng(1))
        ax.imshow(to_pixels(x), cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"t = {t}", fontsize=9.5)

    ts = np.arange(100, 1001, 100)
    seeds = RECOVERY_SEEDS
    rate = [recovery_rate(int(t)) for t in ts]
    ax = fig.add_subplot(grid[1, :])
    ax.plot(ts, rate, "o-", color=BASE, lw=2)
    ax.axhline(1 / len(imgs), color=GRAY, ls="--", lw=1)
    ax.text(1000, 1 / len(imgs) + 0.03, f"瞎猜：1/{len(imgs)}", ha="right", color=GRAY, fontsize=9)
    ax.set_xlabel("起点：加噪到第 t 步")
    ax.set_ylabel("还原出原来那张图的比例")
    ax.set_ylim(-0.03, 1.05)
    ax.set_xlim(80, 1020)
    ax.grid(alpha=0.3)
    ax.set_title(f"{len(SHAPES)} 种图形 × {len(seeds)} 个随机种子，每次 20 步 DDPM", fontsize=10)
    fig.suptitle("加噪越多，原图的信息丢得越多：去噪器最终只能「另画一张」训练集里的图", fontsize=11)
    return fig


GUIDANCE_WS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
SHOWN_WS = (0.0, 1.0, 3.0, 8.0)


@figure("ch09-cfg")
def cfg():
    """Top: 「人」 samples (DDIM, 40 steps) at several guidance weights. Bottom: fidelity and diversity vs w."""
    import matplotlib.pyplot as plt

    from demos.diffusion_2d import class_confidence, coverage, generate_guided, labelled_pair

    data, labels = labelled_pair("ren", "ring")
    fig = plt.figure(figsize=(10, 6))
    grid = fig.add_gridspec(2, len(SHOWN_WS), height_ratios=[1, 1.1], hspace=0.4)
    for i, w in enumerate(SHOWN_WS):
        ax = fig.add_subplot(grid[0, i])
        x = generate_guided("ren", "ring", w, 40, 200, "ddim", seed=0)
        _cloud(ax, data[:300:3], LIGHT, size=5, alpha=1.0, lim=1.3)  # every third point keeps the SVG small
        _cloud(ax, data[300::3], "#E6E6E6", size=5, alpha=1.0, lim=1.3)
        _cloud(ax, x, ACCENT, size=8, alpha=0.75, lim=1.3)
        ax.set_title(f"w = {w:g}", fontsize=10)

    seeds = (0, 1, 2)
    conf, cover = [], []
    for w in GUIDANCE_WS:
        runs = [generate_guided("ren", "ring", w, 40, 200, "ddim", seed=s) for s in seeds]
        conf.append(np.mean([class_confidence(x, data, labels) for x in runs]))
        cover.append(np.mean([coverage(x, data[:300]) for x in runs]))
    ax = fig.add_subplot(grid[1, :])
    ax.plot(GUIDANCE_WS, conf, "o-", color=BASE, lw=2, label="保真度：像「人」的把握 p(人 | x)")
    ax.plot(GUIDANCE_WS, cover, "s-", color=ACCENT, lw=2, label="多样性：盖住「人」字 300 个点的比例")
    ax.axvline(1.0, color=GRAY, ls=":", lw=1)
    ax.text(1.05, 0.05, "w = 1：普通的条件模型", color=GRAY, fontsize=9)
    ax.set_xlabel("引导强度 w（ε̃ = ε_u + w(ε_c − ε_u)；DDIM 40 步，200 个样本，3 个种子平均）")
    ax.set_ylim(0, 1.05)
    ax.legend(frameon=False, loc="center right")
    ax.grid(alpha=0.3)
    fig.suptitle(
        "无分类器引导：两类形状「人」与「圆环」，要求画「人」；w 越大越像，但越来越挤在少数地方", fontsize=10.5
    )
    return fig

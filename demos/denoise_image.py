"""给一张小图加噪到第 t 步，再用同一个反向过程把它一步步去噪还原（第 9 章）。"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from demos import _views as views
from demos._diffusion import (
    SAMPLER_LABELS,
    T_DEFAULT,
    forward_sample,
    frame_indices,
    posterior_weights,
    sample,
    schedule,
)
from demos._params import Choice, DemoError, Int, demo_entry

TITLE = "给小图去噪：加多少噪声还能认回来？"

SHAPES = ("circle", "square", "triangle", "cross", "letter_t")
SHAPE_LABELS = {"circle": "圆", "square": "正方形", "triangle": "三角形", "cross": "十字", "letter_t": "字母 T"}

PARAMS = {
    "shape": Choice(
        "triangle",
        choices=SHAPES,
        labels=SHAPE_LABELS,
        label="图形",
        help="要加噪再还原的那张 24×24 小图（居中、中等大小）",
    ),
    "t": Int(400, 1, T_DEFAULT, label="起点：加噪到第 t 步", help="越大越接近纯噪声；1000 时原图只剩约 0.6% 的信号"),
    "steps": Int(20, 1, 200, label="去噪步数", help="从第 t 步回到第 0 步，分几步走；不能多于 t"),
    "sampler": Choice(
        "ddpm",
        choices=tuple(SAMPLER_LABELS),
        labels=SAMPLER_LABELS,
        label="采样方法",
        help="每一步之后要不要再加一点新的随机噪声",
    ),
    "seed": Int(0, 0, 99999, label="随机种子", help="同样的种子、同样的设置，结果完全一样"),
}

PYODIDE_CASES = [
    {"shape": "cross", "t": 1000, "steps": 200, "sampler": "ddim", "seed": 3},
    {"shape": "circle", "t": 1, "steps": 1},
]

SIZE = 24  # pixels per side
SUPER = 4  # sub-samples per pixel side, for smooth edges
HALF_SIZES = (4.5, 6.5, 8.5)  # small, medium, large
OFFSETS = ((0, 0), (-3, -3), (3, 3), (-3, 3), (3, -3))
MAX_FRAMES = 20
SHOWN = (1, 0)  # (size index, offset index) of the image the demo noises


# --------------------------------------------------------------------------- the image dataset


def _inside(shape, dx, dy, h):
    """Boolean mask of the points (dx, dy) (relative to the centre) inside a shape of half-size h."""
    ax, ay = np.abs(dx), np.abs(dy)
    if shape == "circle":
        return dx**2 + dy**2 <= h**2
    if shape == "square":
        return (ax <= 0.8 * h) & (ay <= 0.8 * h)
    if shape == "triangle":  # apex up, base at 0.8 h below the centre
        depth = (dy + h) / (1.8 * h)
        return (dy >= -h) & (dy <= 0.8 * h) & (ax <= depth * h)
    if shape == "cross":
        return ((ax <= 0.3 * h) & (ay <= h)) | ((ay <= 0.3 * h) & (ax <= h))
    if shape == "letter_t":
        return ((dy >= -h) & (dy <= -0.5 * h) & (ax <= h)) | ((ax <= 0.28 * h) & (dy >= -h) & (dy <= h))
    raise ValueError(shape)


def draw(shape: str, half: float, offset=(0, 0), size: int = SIZE) -> np.ndarray:
    """A ``size``×``size`` grayscale image in [0, 1]: the shape in white on black, edges anti-aliased."""
    sub = (np.arange(size * SUPER) + 0.5) / SUPER  # sub-pixel centres in pixel units
    x, y = np.meshgrid(sub, sub)
    cx, cy = size / 2 + offset[0], size / 2 + offset[1]
    mask = _inside(shape, x - cx, y - cy, half).astype(float)
    return mask.reshape(size, SUPER, size, SUPER).mean(axis=(1, 3))


@lru_cache(maxsize=1)
def _images():
    imgs, names = [], []
    for shape in SHAPES:
        for i, h in enumerate(HALF_SIZES):
            for j, off in enumerate(OFFSETS):
                imgs.append(draw(shape, h, off))
                names.append((shape, i, j))
    arr = np.array(imgs)
    arr.setflags(write=False)
    return arr, tuple(names)


def image_dataset():
    """(images of shape (75, 24, 24) in [0, 1], their (shape, size index, offset index) names)."""
    arr, names = _images()
    return arr.copy(), list(names)


def to_signal(img):
    """Pixels in [0, 1] → the model's range [-1, 1] (as in DDPM)."""
    return 2.0 * np.asarray(img, dtype=float) - 1.0


def to_pixels(x):
    """The model's range back to displayable pixels, clipped to [0, 1]."""
    return np.clip((np.asarray(x, dtype=float) + 1.0) / 2.0, 0.0, 1.0)


def shown_index(shape: str) -> int:
    """Position in the dataset of the image the demo uses for ``shape``."""
    return list(_images()[1]).index((shape, *SHOWN))


def noise_and_restore(shape, t, steps, sampler, seed):
    """Noise the chosen image to step t, then run the reverse process back to 0.

    Returns (clean, noisy x_t, restored, [(step, x)] frames, posterior weights at step t),
    all images in the model's range [-1, 1] with shape (24, 24).
    """
    imgs, _ = image_dataset()
    data = to_signal(imgs).reshape(len(imgs), -1)
    abar = schedule(T_DEFAULT)
    rng = np.random.default_rng(seed)
    clean = data[shown_index(shape)]
    xt, _ = forward_sample(clean, t, abar, rng)
    keep = frame_indices(steps + 1, MAX_FRAMES)
    x0, path = sample(xt[None, :], data, abar, steps, rng, sampler, start=t, keep=keep)
    weights = posterior_weights(xt[None, :], data, abar[t])[0]
    square = (SIZE, SIZE)
    return (
        clean.reshape(square),
        xt.reshape(square),
        x0.reshape(square),
        [(s, x.reshape(square)) for s, x in path],
        weights,
    )


# --------------------------------------------------------------------------- the demo


@demo_entry(PARAMS)
def run(shape, t, steps, sampler, seed):
    if steps > t:
        raise DemoError(
            f"从第 {t} 步出发，最多只能分 {t} 步走回第 0 步；请把去噪步数调到 {t} 以下，或把 t 调大。", param="steps"
        )
    clean, noisy, restored, path, weights = noise_and_restore(shape, t, steps, sampler, seed)
    _, names = image_dataset()
    abar = schedule(T_DEFAULT)

    by_shape = np.array([weights[[i for i, n in enumerate(names) if n[0] == s]].sum() for s in SHAPES])
    mse = float(np.mean((to_pixels(restored) - to_pixels(clean)) ** 2))
    best = int(np.argmax(weights))
    nearest = int(
        np.argmin(((to_signal(image_dataset()[0]).reshape(len(names), -1) - restored.ravel()) ** 2).sum(axis=1))
    )
    rows = [
        ["起点的信号比例 √ᾱ_t", float(np.sqrt(abar[t]))],
        ["起点的噪声标准差 √(1−ᾱ_t)", float(np.sqrt(1 - abar[t]))],
        ["还原误差（均方，像素 0～1）", mse],
        ["还原结果最像哪张训练图", _describe(names[nearest])],
        ["是不是原来那张", nearest == shown_index(shape)],
        ["起点处后验概率最高的训练图", f"{_describe(names[best])}（{weights[best]:.1%}）"],
    ]
    return [
        views.image(to_pixels(clean), title=f"原图：{SHAPE_LABELS[shape]}"),
        views.image(to_pixels(noisy), title=f"加噪到第 {t} 步"),
        views.frames(
            [views.image(to_pixels(x), title=f"第 {s} 步") for s, x in path],
            labels=[f"t = {s}" for s, _ in path],
            title=f"反向过程：{steps} 步回到 t = 0",
        ),
        views.image(to_pixels(restored), title="还原结果"),
        views.bars(
            [SHAPE_LABELS[s] for s in SHAPES],
            by_shape,
            highlight=SHAPES.index(shape),
            title=f"在第 {t} 步猜原图的形状",
            ylabel="后验概率",
        ),
        views.table(["指标", "数值"], rows, title="还原得怎么样"),
    ]


def _describe(name) -> str:
    shape, size, offset = name
    where = ("居中", "偏左上", "偏右下", "偏左下", "偏右上")[offset]
    return f"{SHAPE_LABELS[shape]}（{('小', '中', '大')[size]}，{where}）"

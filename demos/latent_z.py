"""Why a generator needs a random vector z: without it the best answer is the blurry average (chapter 8).

The "images" are 16 × 16 strokes through the centre.  The same description
allows K ways of drawing it (K angles, each with some random wobble), so the
data is a multi-modal distribution.  A deterministic generator trained with
squared error can only output one image; the best one is the conditional mean
E[x | y], a ghostly overlay of every way of drawing.  A generator that also
reads a random vector z = (z₁, z₂) ~ N(0, I) can let z₁ choose the way of
drawing and z₂ the wobble, and every sample is sharp.
"""

from __future__ import annotations

import math

import numpy as np

from demos import _views as views
from demos._params import Float, Int, demo_entry

TITLE = "随机向量 z：没有它只能画出平均的模糊图"

PARAMS = {
    "modes": Int(2, 1, 6, label="画法种数 K", help="同一句描述有几种同样合理的画法（笔画的几种方向）"),
    "wobble": Float(6.0, 0.0, 30.0, step=1.0, label="细节抖动（度）", help="每种画法内部，笔画方向的随机偏差"),
    "samples": Int(6, 1, 12, label="抽几个 z", help="给生成器几个不同的随机向量"),
    "seed": Int(0, 0, 99999, label="随机种子", help="决定训练数据和抽到的 z"),
}

PYODIDE_CASES = [{"modes": 5, "wobble": 25.0, "samples": 12, "seed": 4}, {"modes": 1, "wobble": 0.0, "samples": 1}]

SIZE = 16
N_TRAIN = 400
TRAIN_STEPS = 300
TRAIN_LR = 0.05
WIDTH = 1.1  # stroke half-width in pixels
GAP = 1  # blank pixels between images in a montage


# --------------------------------------------------------------------------- drawing


def angles_of(modes: int) -> np.ndarray:
    """The K drawing directions (degrees), spread evenly over 180°, starting at 45° (a「/」)."""
    return 45.0 + 180.0 * np.arange(modes) / modes


def render(angle_deg) -> np.ndarray:
    """16 × 16 images of a stroke through the centre at each angle, values in [0, 1], anti-aliased."""
    angle = np.radians(np.atleast_1d(np.asarray(angle_deg, dtype=float)))
    c = (np.arange(SIZE) - (SIZE - 1) / 2)[None, :]
    xs, ys = c, -c.T  # image rows go down, y goes up
    dx, dy = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    dist = np.abs(xs[None] * dy - ys[None] * dx)  # distance to the line through the centre
    along = np.abs(xs[None] * dx + ys[None] * dy)
    ink = np.clip(WIDTH + 0.5 - dist, 0.0, 1.0) * np.clip(SIZE / 2 - along, 0.0, 1.0)
    return ink


def sample_data(modes, wobble, n, rng):
    """n training images: a uniformly chosen way of drawing, plus N(0, wobble²) on its angle."""
    k = rng.integers(0, modes, n)
    return render(angles_of(modes)[k] + wobble * rng.standard_normal(n))


# --------------------------------------------------------------------------- the two generators


def train_without_z(data, steps=TRAIN_STEPS, lr=TRAIN_LR):
    """Gradient descent on the mean squared error of a generator with no input but the description.

    Such a generator outputs one image θ; ∂/∂θ of mean ‖θ − x_i‖² is 2(θ − x̄),
    so θ walks to the data mean and stays there.
    """
    theta = np.zeros(data.shape[1:])
    for _ in range(steps):
        theta = theta - lr * 2.0 * (theta - data.mean(axis=0))
    return theta


def _phi(z):
    """The standard normal CDF."""
    return 0.5 * (1.0 + np.vectorize(math.erf)(np.asarray(z, dtype=float) / math.sqrt(2.0)))


def generate_with_z(z, modes, wobble):
    """The ideal generator G(z): z₁ picks the way of drawing (by its normal CDF), z₂ the wobble."""
    z = np.atleast_2d(z)
    k = np.minimum((_phi(z[:, 0]) * modes).astype(int), modes - 1)
    return render(angles_of(modes)[k] + wobble * z[:, 1])


# --------------------------------------------------------------------------- measurements


def expected_sq_error(images, data):
    """Average over images and data of ‖image − x‖², i.e. the squared-error loss against a random real sample."""
    a = images.reshape(len(images), -1)
    b = data.reshape(len(data), -1)
    sq = np.sum(a * a, 1)[:, None] - 2 * a @ b.T + np.sum(b * b, 1)[None, :]
    return float(np.maximum(sq, 0).mean())


def nearest_sq_distance(images, data):
    """Average over images of the squared distance to the closest real sample (small = looks real)."""
    a = images.reshape(len(images), -1)
    b = data.reshape(len(data), -1)
    sq = np.sum(a * a, 1)[:, None] - 2 * a @ b.T + np.sum(b * b, 1)[None, :]
    return float(np.maximum(sq, 0).min(axis=1).mean())


def total_variance(data) -> float:
    """tr Cov(x): the sum of the pixels' variances (the least squared error any fixed image can reach)."""
    return float(data.reshape(len(data), -1).var(axis=0).sum())


def gray_pixels(images, lo=0.2, hi=0.8) -> float:
    """Average number of half-inked pixels per image (strictly between ``lo`` and ``hi``): how blurry it is."""
    images = np.asarray(images).reshape(-1, SIZE, SIZE)
    return float(((images > lo) & (images < hi)).sum(axis=(1, 2)).mean())


def montage(images) -> np.ndarray:
    """Images side by side with a thin blank gap."""
    n = len(images)
    out = np.zeros((SIZE, n * SIZE + (n - 1) * GAP))
    for i, img in enumerate(images):
        out[:, i * (SIZE + GAP) : i * (SIZE + GAP) + SIZE] = img
    return out


# --------------------------------------------------------------------------- the demo


@demo_entry(PARAMS)
def run(modes, wobble, samples, seed):
    rng = np.random.default_rng(seed)
    data = sample_data(modes, wobble, N_TRAIN, rng)
    no_z = train_without_z(data)
    z = rng.standard_normal((samples, 2))
    with_z = generate_with_z(z, modes, wobble)
    real = sample_data(modes, wobble, samples, rng)  # fresh real images, not the training set

    var = total_variance(data)
    rows = [
        ["真实样本", expected_sq_error(real, data), nearest_sq_distance(real, data), gray_pixels(real)],
        [
            "不给 z（确定性生成器）",
            expected_sq_error(no_z[None], data),
            nearest_sq_distance(no_z[None], data),
            gray_pixels(no_z),
        ],
        [
            "给 z（每个 z 一张）",
            expected_sq_error(with_z, data),
            nearest_sq_distance(with_z, data),
            gray_pixels(with_z),
        ],
    ]
    zs = "；".join(f"({a:.2f}, {b:.2f})" for a, b in z[:4]) + ("…" if samples > 4 else "")
    return [
        views.image(
            montage(real), title=f"训练数据：同一句描述的 {samples} 张真实图（共 {N_TRAIN} 张，{modes} 种画法）"
        ),
        views.image(no_z, title=f"不给 z：用平方误差训练 {TRAIN_STEPS} 步后的唯一输出（所有画法的平均）"),
        views.image(montage(with_z), title=f"给 z：{samples} 个随机向量，各画一张（z = {zs}）"),
        views.table(
            ["", "对随机一张真图的平方误差", "离最近真图的平方距离", "半灰像素数（模糊程度）"],
            rows,
            title=f"平方误差偏爱平均图：它的误差是像素方差之和 {var:.2f}，清晰样本约是两倍",
        ),
    ]

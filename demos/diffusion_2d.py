"""二维点云上的扩散模型：前向加噪、用精确的最优去噪器一步步还原，对比一步与多步，以及无分类器引导（第 9 章）。"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from demos import _views as views
from demos._diffusion import (
    SAMPLER_LABELS,
    T_DEFAULT,
    forward_sample,
    frame_indices,
    nearest_distance,
    sample,
    schedule,
)
from demos._params import Choice, Float, Int, demo_entry

TITLE = "扩散模型：把一团噪声一步步推回形状上"

DATASETS = ("ren", "spiral", "moons", "ring", "ai")
DATASET_LABELS = {"ren": "「人」字", "spiral": "螺旋", "moons": "两个月牙", "ring": "圆环", "ai": "字母 AI"}

PARAMS = {
    "dataset": Choice(
        "ren",
        choices=DATASETS,
        labels=DATASET_LABELS,
        label="数据形状",
        help="300 个点组成的训练数据；去噪器只认识这些点",
    ),
    "t": Int(
        300, 0, T_DEFAULT, label="前向：看第 t 步", help="把每个数据点直接加噪到第 t 步（共 1000 步），看形状还剩多少"
    ),
    "steps": Int(40, 1, 200, label="采样步数", help="反向过程从第 1000 步走回第 0 步，分成几步走；1 表示一步到位"),
    "samples": Int(200, 10, 300, label="样本数", help="同时从多少个纯噪声点出发"),
    "sampler": Choice(
        "ddpm",
        choices=tuple(SAMPLER_LABELS),
        labels=SAMPLER_LABELS,
        label="采样方法",
        help="每一步之后要不要再加一点新的随机噪声",
    ),
    "other": Choice(
        "ring",
        choices=DATASETS,
        labels=DATASET_LABELS,
        label="引导：另一类形状",
        help="无分类器引导的训练数据是两类带标签的形状：上面选的「数据形状」和这一类",
    ),
    "guidance": Float(
        3.0,
        0.0,
        8.0,
        step=0.5,
        label="引导强度 w",
        help="ε̃ = ε_u + w(ε_c − ε_u)：0 不看标签，1 是普通的条件模型，大于 1 更「听话」",
    ),
    "seed": Int(0, 0, 99999, label="随机种子", help="同样的种子、同样的设置，结果完全一样"),
}

PYODIDE_CASES = [
    {"dataset": "ring", "steps": 200, "samples": 300, "sampler": "ddim", "t": 1000},
    {"dataset": "spiral", "steps": 1, "sampler": "ddpm_no_noise", "t": 0, "seed": 5},
    {"dataset": "moons", "other": "ai", "guidance": 8.0, "sampler": "ddim", "steps": 25, "seed": 2},
]

FUZZ_EXAMPLES = 30
SHORT = {"ddpm": "DDPM", "ddim": "DDIM", "ddpm_no_noise": "DDPM 去掉 σz"}
N_DATA = 300
N_REFERENCE = 100  # data points drawn faintly in every animation frame
MAX_FRAMES = 24
LIM = (-3.2, 3.2)  # axes for the forward process (noise has standard deviation 1)
LIM_DATA = (-1.5, 1.5)
JITTER = 0.012  # thickness of the strokes, fixed: the dataset never depends on the seed
GUIDED_SAMPLES = 100  # guidance runs two denoisers over 600 points: cap its samples to keep the demo fast
CONFIDENCE_WIDTH = 0.1  # the blur of the classifier that scores fidelity under guidance


# --------------------------------------------------------------------------- datasets


def _bezier(p0, p1, p2, n):
    """n points on the quadratic Bézier curve p0 → p2 pulled towards p1."""
    s = np.linspace(0.0, 1.0, n)[:, None]
    p0, p1, p2 = (np.asarray(p, dtype=float) for p in (p0, p1, p2))
    return (1 - s) ** 2 * p0 + 2 * (1 - s) * s * p1 + s**2 * p2


def _segments(segs, n):
    """n points spread along straight segments in proportion to their lengths."""
    segs = [(np.asarray(a, float), np.asarray(b, float)) for a, b in segs]
    lengths = np.array([np.linalg.norm(b - a) for a, b in segs])
    counts = np.floor(n * lengths / lengths.sum()).astype(int)
    counts[np.argmax(lengths)] += n - counts.sum()
    parts = [a + np.linspace(0, 1, c)[:, None] * (b - a) for (a, b), c in zip(segs, counts)]
    return np.concatenate(parts)


def _normalise(points):
    """Centre the bounding box on the origin and scale so the largest coordinate is 1."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    points = points - (lo + hi) / 2
    return points / np.abs(points).max()


@lru_cache(maxsize=8)
def _dataset(name: str) -> np.ndarray:
    n = N_DATA
    if name == "ring":
        th = np.linspace(0, 2 * np.pi, n, endpoint=False)
        pts = np.stack([np.cos(th), np.sin(th)], axis=1)
    elif name == "spiral":
        th = np.sqrt(np.linspace(0.3, 1.0, n)) * 3.2 * np.pi
        pts = np.stack([th * np.cos(th), th * np.sin(th)], axis=1)
    elif name == "moons":
        th = np.linspace(0, np.pi, n // 2)
        upper = np.stack([np.cos(th), np.sin(th)], axis=1)
        lower = np.stack([1 - np.cos(th), 0.5 - np.sin(th)], axis=1)
        pts = np.concatenate([upper, lower])
    elif name == "ren":
        pie = _bezier((0.05, 0.95), (0.0, -0.1), (-0.8, -0.9), n // 2)  # 撇
        na = _bezier((-0.02, 0.3), (0.3, -0.55), (0.85, -0.9), n - n // 2)  # 捺
        pts = np.concatenate([pie, na])
    elif name == "ai":
        pts = _segments(
            [
                ((-1.0, -1.0), (-0.5, 1.0)),
                ((-0.5, 1.0), (0.0, -1.0)),
                ((-0.75, 0.0), (-0.25, 0.0)),
                ((0.6, -1.0), (0.6, 1.0)),
                ((0.35, 1.0), (0.85, 1.0)),
                ((0.35, -1.0), (0.85, -1.0)),
            ],
            n,
        )
    else:
        raise ValueError(name)
    pts = pts + np.random.default_rng(2024).normal(0.0, JITTER, pts.shape)
    pts = _normalise(pts)
    pts.setflags(write=False)
    return pts


def make_dataset(name: str) -> np.ndarray:
    """The 300 training points of a named shape, scaled into [-1, 1]² (a fresh copy)."""
    return _dataset(name).copy()


# --------------------------------------------------------------------------- experiments


def forward_cloud(data, t, abar, rng):
    """Every data point noised straight to step t by q(x_t | x_0)."""
    return forward_sample(data, t, abar, rng)[0]


def generate(data, steps, samples, sampler, seed, keep_frames=MAX_FRAMES):
    """Start ``samples`` points from N(0, I) and run the reverse process.

    Returns (x_T, final points, [(t, points) for the kept frames]).
    """
    abar = schedule(T_DEFAULT)
    rng = np.random.default_rng(seed)
    xT = rng.standard_normal((samples, 2))
    keep = frame_indices(steps + 1, keep_frames)
    x0, path = sample(xT, data, abar, steps, rng, sampler, keep=keep)
    return xT, x0, path


def spread(points) -> float:
    """Average standard deviation of the two coordinates."""
    return float(np.asarray(points).std(axis=0).mean())


def labelled_pair(target, other):
    """The two labelled shapes for guidance: (all 600 points, labels 0 = target / 1 = other)."""
    data = np.concatenate([make_dataset(target), make_dataset(other)])
    labels = np.repeat([0, 1], N_DATA)
    return data, labels


def generate_guided(target, other, w, steps, samples, sampler, seed):
    """Samples of class ``target`` with classifier-free guidance weight ``w`` (same noise start as :func:`generate`)."""
    data, labels = labelled_pair(target, other)
    abar = schedule(T_DEFAULT)
    rng = np.random.default_rng(seed)
    xT = rng.standard_normal((samples, 2))
    x0, _ = sample(xT, data, abar, steps, rng, sampler, keep=[steps], guide=(labels, 0, w))
    return x0


def class_confidence(points, data, labels, label=0, width=CONFIDENCE_WIDTH):
    """Average p(label | x) under a blurred nearest-neighbour classifier (Gaussian kernel of ``width``): fidelity."""
    p = np.asarray(points, dtype=float)
    sq = np.sum(p * p, 1)[:, None] - 2 * p @ data.T + np.sum(data * data, 1)[None, :]
    logits = -np.maximum(sq, 0) / (2 * width**2)
    logits -= logits.max(axis=1, keepdims=True)
    k = np.exp(logits)
    return float(np.mean(k[:, labels == label].sum(axis=1) / k.sum(axis=1)))


def coverage(points, shape) -> float:
    """Share of the shape's points that are the nearest shape point of at least one sample: diversity."""
    p = np.asarray(points, dtype=float)
    sq = np.sum(p * p, 1)[:, None] - 2 * p @ shape.T + np.sum(shape * shape, 1)[None, :]
    return len(np.unique(sq.argmin(axis=1))) / len(shape)


def distinct(points, grid=0.01) -> int:
    """How many different landing spots, after rounding to ``grid``."""
    return len(np.unique(np.round(np.asarray(points) / grid).astype(np.int64), axis=0))


# --------------------------------------------------------------------------- the demo


@demo_entry(PARAMS)
def run(dataset, t, steps, samples, sampler, other, guidance, seed):
    data = make_dataset(dataset)
    abar = schedule(T_DEFAULT)
    noisy = forward_cloud(data, t, abar, np.random.default_rng(seed + 1))

    xT, final, path = generate(data, steps, samples, sampler, seed)
    _, one_step, _ = generate(data, 1, samples, sampler, seed, keep_frames=2)
    ref = data[:: N_DATA // N_REFERENCE]

    ts = np.arange(0, T_DEFAULT + 1, 10)
    schedule_view = views.line(
        ts,
        {"√ᾱ_t（信号）": np.sqrt(abar[ts]), "√(1−ᾱ_t)（噪声）": np.sqrt(1 - abar[ts])},
        title="噪声时间表（线性 β，T = 1000）",
        xlabel="步数 t",
        marks=[(t, np.sqrt(abar[t]), f"t = {t}")],
    )
    forward_view = views.scatter(
        {"原始数据 x_0": data, f"第 {t} 步的 x_t": noisy},
        title=f"前向第 {t} 步：x_t = {np.sqrt(abar[t]):.3f}·x_0 + {np.sqrt(1 - abar[t]):.3f}·ε",
        xlim=LIM,
        ylim=LIM,
    )
    anim = views.frames(
        [views.scatter({"数据（部分）": ref, "样本": x}, title=f"第 {s} 步", xlim=LIM, ylim=LIM) for s, x in path],
        labels=[f"t = {s}" for s, _ in path],
        title=f"反向过程：{steps} 步去噪（{SHORT[sampler]}）",
    )
    side_one = views.scatter({"数据（部分）": ref, "样本": one_step}, title="只走 1 步", xlim=LIM_DATA, ylim=LIM_DATA)
    side_many = views.scatter(
        {"数据（部分）": ref, "样本": final}, title=f"走 {steps} 步的结果", xlim=LIM_DATA, ylim=LIM_DATA
    )
    rows = [
        ["训练数据", spread(data), 0.0, distinct(data)],
        ["只走 1 步", spread(one_step), float(nearest_distance(one_step, data).mean()), distinct(one_step)],
        [f"走 {steps} 步", spread(final), float(nearest_distance(final, data).mean()), distinct(final)],
    ]
    table = views.table(["", "分散程度", "离数据平均距离", "不同落点数"], rows, title="一步与多步的比较")

    if other == dataset:  # the rest of the demo is still useful: say why this panel is missing
        note = "无分类器引导需要两类不同的形状：请给「引导：另一类形状」选一个和「数据形状」不同的，再运行。"
        return [forward_view, schedule_view, anim, side_one, side_many, table, views.text(note, title="无分类器引导")]
    both, labels = labelled_pair(dataset, other)
    guided = generate_guided(dataset, other, guidance, steps, min(samples, GUIDED_SAMPLES), sampler, seed)
    target_name, other_name = DATASET_LABELS[dataset], DATASET_LABELS[other]
    guided_view = views.scatter(
        {
            f"标签「{target_name}」（部分）": both[:N_DATA:3],
            f"标签「{other_name}」（部分）": both[N_DATA::3],
            f"要求「{target_name}」、w = {guidance:g} 的样本": guided,
        },
        title=f"无分类器引导：ε̃ = ε_u + {guidance:g}·(ε_c − ε_u)，{len(guided)} 个样本",
        xlim=LIM_DATA,
        ylim=LIM_DATA,
    )
    guided_table = views.table(
        [
            "引导强度 w",
            "保真度：像「" + target_name + "」的把握",
            "多样性：盖住目标形状的比例",
            "离目标形状的平均距离",
            "离另一类的平均距离",
        ],
        [
            [
                guidance,
                class_confidence(guided, both, labels),
                coverage(guided, both[:N_DATA]),
                float(nearest_distance(guided, both[:N_DATA]).mean()),
                float(nearest_distance(guided, both[N_DATA:]).mean()),
            ]
        ],
        title="w 越大越像目标、离另一类越远，但盖住的部分越少（改 w 再运行比较）",
    )
    return [forward_view, schedule_view, anim, side_one, side_many, table, guided_view, guided_table]

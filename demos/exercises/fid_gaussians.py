"""练一练 (chapter 8): the Fréchet distance between two Gaussians, the number FID reports."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import finite, make_check, solution_function

TITLE = "FID：两个高斯分布的 Fréchet 距离"
CHAPTER = 8
FUNCTION = "frechet_distance"

TASK = """\
写函数 `frechet_distance(mu1, cov1, mu2, cov2)`，返回两个高斯分布 $N(\\mu_1, \\Sigma_1)$ 与 $N(\\mu_2, \\Sigma_2)$ 之间的 Fréchet 距离（一个浮点数）：

$$\\text{FID} = \\lVert \\mu_1 - \\mu_2 \\rVert^2 + \\operatorname{Tr}\\!\\left(\\Sigma_1 + \\Sigma_2 - 2\\,(\\Sigma_1 \\Sigma_2)^{1/2}\\right)$$

协方差矩阵都是对称半正定矩阵。注意 $(\\Sigma_1\\Sigma_2)^{1/2}$ 是**矩阵**平方根，不是逐个元素开方。"""

STARTER = """\
import numpy as np


def frechet_distance(mu1, cov1, mu2, cov2):
    mean_term = np.sum((np.asarray(mu1) - np.asarray(mu2)) ** 2)
    # 协方差项：Tr(Σ1 + Σ2 − 2 (Σ1 Σ2)^(1/2))
    return None
"""

HINT = """\
$\\operatorname{Tr}\\big((\\Sigma_1\\Sigma_2)^{1/2}\\big) = \\operatorname{Tr}\\big((\\Sigma_1^{1/2}\\Sigma_2\\Sigma_1^{1/2})^{1/2}\\big)$，右边是对称矩阵，\
它的平方根的迹就是特征值开方之和：`np.sqrt(np.clip(np.linalg.eigvalsh(M), 0, None)).sum()`。\
对称矩阵 $S$ 的平方根可以用 `w, V = np.linalg.eigh(S)`，再 `V @ np.diag(np.sqrt(w)) @ V.T`。一维时答案化为 $(\\mu_1-\\mu_2)^2 + (\\sigma_1-\\sigma_2)^2$。"""

SOLUTION = r"""\
import numpy as np


def _sqrtm_psd(s):
    w, v = np.linalg.eigh(s)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def frechet_distance(mu1, cov1, mu2, cov2):
    mu1, mu2 = np.asarray(mu1, dtype=float), np.asarray(mu2, dtype=float)
    cov1, cov2 = np.asarray(cov1, dtype=float), np.asarray(cov2, dtype=float)
    root1 = _sqrtm_psd(cov1)
    middle = root1 @ cov2 @ root1
    tr_sqrt = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0.0, None)).sum()
    return float(np.sum((mu1 - mu2) ** 2) + np.trace(cov1) + np.trace(cov2) - 2.0 * tr_sqrt)
"""

reference = solution_function(SOLUTION, FUNCTION)
TOLERANCE = (1e-6, 1e-8)


def _random_cov(rng, d):
    m = rng.normal(0, 1, (d, d))
    return np.round(m @ m.T / d + 0.1 * np.eye(d), 4)


CASES = [
    {"label": "一维：0.29", "args": {"mu1": [0.0], "cov1": [[1.0]], "mu2": [0.5], "cov2": [[0.64]]}},
    {"label": "同一个分布：0", "args": {"mu1": [1.0, 2.0], "cov1": np.eye(2), "mu2": [1.0, 2.0], "cov2": np.eye(2)}},
    {
        "label": "八维：只平移第一维，标准差 0.8",
        "args": {"mu1": np.zeros(8), "cov1": np.eye(8), "mu2": np.eye(8)[0] * 0.5, "cov2": 0.64 * np.eye(8)},
    },
    {
        "label": "两个不能对易的协方差",
        "args": {
            "mu1": [0.0, 0.0],
            "cov1": [[2.0, 1.0], [1.0, 1.0]],
            "mu2": [1.0, -1.0],
            "cov2": [[1.0, 0.0], [0.0, 3.0]],
        },
    },
]


def random_case(rng):
    d = int(rng.integers(1, 5))
    return {
        "mu1": np.round(rng.normal(0, 1, d), 3),
        "cov1": _random_cov(rng, d),
        "mu2": np.round(rng.normal(0, 1, d), 3),
        "cov2": _random_cov(rng, d),
    }


PROPERTIES = [
    ("距离是有限的数", lambda a, got: finite(got)),
    ("距离不小于 0", lambda a, got: float(got) >= -1e-9),
]

check = make_check(__name__)

"""练一练 (chapter 9): DDPM's forward noising q(x_t | x_0) in one jump."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import make_check, solution_function

TITLE = "DDPM 前向加噪：一步跳到第 t 步"
CHAPTER = 9
FUNCTION = "forward_noise"

TASK = """\
DDPM 第 $s$ 步加入的噪声方差是 $\\beta_s$。记 $\\alpha_s = 1 - \\beta_s$、$\\bar\\alpha_t = \\alpha_1\\alpha_2\\cdots\\alpha_t$（$\\bar\\alpha_0 = 1$），则

$$x_t = \\sqrt{\\bar\\alpha_t}\\,x_0 + \\sqrt{1-\\bar\\alpha_t}\\,\\varepsilon$$

写函数 `forward_noise(x0, t, betas, eps)`：`betas` 是长度为 $T$ 的数组，**`betas[0]` 是 $\\beta_1$**，`betas[T-1]` 是 $\\beta_T$；`t` 是 0 到 $T$ 的整数；`eps` 是与 `x0` 形状相同的标准正态噪声。返回 $x_t$（与 `x0` 形状相同的数组）。"""

STARTER = """\
import numpy as np


def forward_noise(x0, t, betas, eps):
    alphas = 1.0 - np.asarray(betas, dtype=float)
    abar = None  # ᾱ_t = α_1 · α_2 · … · α_t（t 个数相乘；t = 0 时是 1）
    return None
"""

HINT = """\
`np.prod(alphas[:t])` 正好是前 $t$ 个 $\\alpha$ 的乘积（`betas[0]` 是 $\\beta_1$，所以切片到 `t` 为止，不含 `t`），$t = 0$ 时是空乘积 1。\
检查：$t = 0$ 时应原样返回 $x_0$；两个系数的平方和是 1。"""

SOLUTION = r"""\
import numpy as np


def forward_noise(x0, t, betas, eps):
    alphas = 1.0 - np.asarray(betas, dtype=float)
    abar = np.prod(alphas[:t])
    return np.sqrt(abar) * np.asarray(x0, dtype=float) + np.sqrt(1.0 - abar) * np.asarray(eps, dtype=float)
"""

reference = solution_function(SOLUTION, FUNCTION)

LINEAR_10 = np.linspace(0.05, 0.5, 10)
CASES = [
    {
        "label": "t = 0：还没加噪声",
        "args": {"x0": np.array([1.0, -2.0]), "t": 0, "betas": LINEAR_10, "eps": np.array([0.3, 0.7])},
    },
    {
        "label": "t = 1：只加一步",
        "args": {"x0": np.array([1.0, -2.0]), "t": 1, "betas": LINEAR_10, "eps": np.array([0.3, 0.7])},
    },
    {
        "label": "t = 3",
        "args": {"x0": np.array([[0.5, 0.0], [1.0, 1.0]]), "t": 3, "betas": LINEAR_10, "eps": np.ones((2, 2))},
    },
    {"label": "t = T：最后一步", "args": {"x0": np.array([2.0]), "t": 10, "betas": LINEAR_10, "eps": np.array([-1.0])}},
]


def random_case(rng):
    T = int(rng.integers(1, 30))
    shape = (int(rng.integers(1, 5)),)
    return {
        "x0": np.round(rng.normal(0, 1, shape), 3),
        "t": int(rng.integers(0, T + 1)),
        "betas": np.round(np.linspace(rng.uniform(1e-3, 0.05), rng.uniform(0.05, 0.3), T), 4),
        "eps": np.round(rng.normal(0, 1, shape), 3),
    }


check = make_check(__name__)

"""练一练 (chapter 12): fit a linear probe ŷ = wᵀh + b by least squares."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import make_check, solution_function

TITLE = "线性探针：用最小二乘读出嵌入里的信息"
CHAPTER = 12
FUNCTION = "fit_probe"

TASK = """\
线性探针是 $\\hat{y} = \\mathbf{w}^\\top \\mathbf{h} + b$。给定 $n$ 个嵌入 $\\mathbf{h}_i \\in \\mathbb{R}^d$（矩阵 `H` 的第 $i$ 行）和要读出的量 $y_i$（数组 `y`），写函数 `fit_probe(H, y)`，用最小二乘求使 $\\sum_i (\\mathbf{w}^\\top\\mathbf{h}_i + b - y_i)^2$ 最小的 $\\mathbf{w}$ 和 $b$，返回元组 `(w, b)`：`w` 是长度为 $d$ 的数组，`b` 是浮点数。测试里 $n > d + 1$，解是唯一的。"""

STARTER = """\
import numpy as np


def fit_probe(H, y):
    n, d = H.shape
    # 提示：给 H 加一列 1，截距 b 就成了普通的一个权重
    return None
"""

HINT = """\
`X = np.column_stack([np.ones(n), H])`，再 `coef, *_ = np.linalg.lstsq(X, y, rcond=None)`：`coef[0]` 是 $b$，`coef[1:]` 是 $\\mathbf{w}$。\
忘了那一列 1，探针就被迫穿过原点，$y$ 的平均值不为 0 时会读得很差。"""

SOLUTION = r"""\
import numpy as np


def fit_probe(H, y):
    n, d = H.shape
    X = np.column_stack([np.ones(n), H])
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    return coef[1:], float(coef[0])
"""

reference = solution_function(SOLUTION, FUNCTION)
TOLERANCE = (1e-6, 1e-8)

CASES = [
    {
        "label": "一维，y = 2h + 1 恰好成立",
        "args": {"H": np.array([[0.0], [1.0], [2.0], [3.0]]), "y": np.array([1.0, 3.0, 5.0, 7.0])},
    },
    {
        "label": "二维，有噪声",
        "args": {
            "H": np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 1.0], [0.0, 3.0]]),
            "y": np.array([10.0, 11.0, 12.5, 13.0, 13.9]),
        },
    },
]


def random_case(rng):
    d = int(rng.integers(1, 5))
    n = d + 2 + int(rng.integers(0, 10))
    H = np.round(rng.normal(0, 1, (n, d)), 3)
    y = np.round(H @ rng.normal(0, 2, d) + rng.normal(0, 3) + rng.normal(0, 0.3, n), 3)
    return {"H": H, "y": y}


def _normal_equations_hold(args, got):
    """The residual is orthogonal to every column of [1 H] (what least squares means)."""
    w, b = np.asarray(got[0], dtype=float), float(got[1])
    H, y = args["H"], args["y"]
    resid = H @ w + b - y
    return abs(resid.sum()) < 1e-6 * len(y) * (1 + np.abs(y).max()) and np.allclose(
        H.T @ resid, 0, atol=1e-6 * len(y) * (1 + np.abs(y).max())
    )


PROPERTIES = [("残差与每个特征（包括常数 1）都正交", _normal_equations_hold)]

check = make_check(__name__)

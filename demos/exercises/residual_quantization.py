"""练一练 (chapter 13): residual vector quantization (RVQ) of frames with a stack of codebooks."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import close, make_check, solution_function

TITLE = "残差向量量化：一层一层地量化误差"
CHAPTER = 13
FUNCTION = "rvq_encode"

TASK = """\
残差向量量化（RVQ）用 $Q$ 本码本依次量化一帧：第 1 本码本量化原帧，第 2 本量化原帧减去第 1 个码字后剩下的残差，以此类推；还原时把选中的码字加起来。

写函数 `rvq_encode(x, codebooks)`：`x` 是 $n \\times d$ 的矩阵（每行一帧），`codebooks` 是 $Q$ 个 $K \\times d$ 矩阵组成的列表。每一层对每一帧选与当前残差**欧氏距离最近**的码字（并列时取编号小的）。返回元组 `(codes, recon)`：`codes` 是 $n \\times Q$ 的整数矩阵，第 $q$ 列是第 $q$ 层选中的编号；`recon` 是 $n \\times d$ 的还原结果，即各层选中码字之和。"""

STARTER = """\
import numpy as np


def rvq_encode(x, codebooks):
    residual = np.asarray(x, dtype=float).copy()
    recon = np.zeros_like(residual)
    codes = []
    for codebook in codebooks:
        # 1. 每一帧的残差到每个码字的距离平方，(n, K)
        # 2. 取最近的编号；3. 更新 recon 和 residual
        pass
    return None
"""

HINT = """\
距离平方可以一次算完：`((residual[:, None, :] - codebook[None, :, :]) ** 2).sum(axis=2)`，再 `argmin(axis=1)`（并列时它取第一个）。\
选中的码字是 `codebook[idx]`：加进 `recon`，从 `residual` 里减掉。常见错误是每一层都拿原帧 `x` 去量化，那样第 2 层起就不是在修正误差了。\
最后 `np.stack(codes, axis=1)` 得到 $n \\times Q$。"""

SOLUTION = r"""\
import numpy as np


def rvq_encode(x, codebooks):
    residual = np.asarray(x, dtype=float).copy()
    recon = np.zeros_like(residual)
    codes = []
    for codebook in codebooks:
        codebook = np.asarray(codebook, dtype=float)
        d2 = ((residual[:, None, :] - codebook[None, :, :]) ** 2).sum(axis=2)
        idx = d2.argmin(axis=1)
        codes.append(idx)
        recon = recon + codebook[idx]
        residual = residual - codebook[idx]
    return np.stack(codes, axis=1), recon
"""

reference = solution_function(SOLUTION, FUNCTION)

CASES = [
    {
        "label": "一层码本：就是普通的向量量化",
        "args": {"x": np.array([[0.9, 0.1], [-1.2, 0.0]]), "codebooks": [np.array([[1.0, 0.0], [-1.0, 0.0]])]},
    },
    {
        "label": "两层：第 2 层量化残差",
        "args": {
            "x": np.array([[1.3, 0.0], [-0.7, 0.0], [1.0, 0.4]]),
            "codebooks": [np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([[0.25, 0.0], [-0.25, 0.0], [0.0, 0.5]])],
        },
    },
    {
        "label": "一维，三层",
        "args": {
            "x": np.array([[5.3], [-2.9], [0.4]]),
            "codebooks": [
                np.array([[-4.0], [0.0], [4.0]]),
                np.array([[-1.0], [0.0], [1.0]]),
                np.array([[-0.3], [0.3]]),
            ],
        },
    },
]


def random_case(rng):
    n, d, q = int(rng.integers(1, 7)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
    return {
        "x": np.round(rng.normal(0, 2, (n, d)), 3),
        "codebooks": [np.round(rng.normal(0, 2.0 / (i + 1), (int(rng.integers(2, 6)), d)), 3) for i in range(q)],
    }


def _recon_is_the_sum_of_chosen_codewords(args, got):
    codes, recon = np.asarray(got[0]).astype(int), got[1]
    total = sum(np.asarray(cb)[codes[:, i]] for i, cb in enumerate(args["codebooks"]))
    return close(recon, total)


PROPERTIES = [("还原结果等于各层选中码字之和", _recon_is_the_sum_of_chosen_codewords)]

check = make_check(__name__)

"""练一练 (chapter 4): merge a LoRA update ΔW = BA into W and count its trainable parameters."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import make_check, solution_function

TITLE = "LoRA：ΔW = BA 与可训练参数量"
CHAPTER = 4
FUNCTION = "lora_merge"

TASK = """\
LoRA 把权重的改变写成两个瘦矩阵的乘积 $\\Delta W = BA$。写函数 `lora_merge(W, B, A)`：`W` 是 $d \\times k$ 的冻结权重，`B` 是 $d \\times r$，`A` 是 $r \\times k$。返回元组 `(W_new, n_trainable)`：

- `W_new`：训练完合并回去的权重 $W + BA$（推理时不再需要旁路）；
- `n_trainable`：LoRA 训练的参数个数（整数），即 $B$ 和 $A$ 的元素总数。

正文里 $W$ 是方阵（$k = d$），这时参数个数是 $2rd$；这里 $k$ 可以不等于 $d$。"""

STARTER = """\
import numpy as np


def lora_merge(W, B, A):
    d, r = B.shape
    # W_new = ?
    # n_trainable = ?（不是 W 的元素个数）
    return None
"""

HINT = """\
矩阵乘法用 `B @ A`（顺序不能反：$(d \\times r)(r \\times k)$ 才得到 $d \\times k$）。\
参数个数是 `B.size + A.size`，也就是 $r(d + k)$，比全量微调的 $dk$ 少得多。"""

SOLUTION = r"""\



def lora_merge(W, B, A):
    d, r = B.shape
    W_new = W + B @ A
    n_trainable = d * r + r * A.shape[1]
    return W_new, n_trainable
"""

reference = solution_function(SOLUTION, FUNCTION)

CASES = [
    {
        "label": "d = k = 2，r = 1",
        "args": {"W": np.eye(2), "B": np.array([[1.0], [2.0]]), "A": np.array([[3.0, -1.0]])},
    },
    {
        "label": "B 为 0（LoRA 的初始化）：W 不变",
        "args": {"W": np.arange(6.0).reshape(2, 3), "B": np.zeros((2, 2)), "A": np.ones((2, 3))},
    },
    {
        "label": "长方形：d = 4，k = 3，r = 2",
        "args": {
            "W": np.zeros((4, 3)),
            "B": np.arange(8.0).reshape(4, 2) / 4,
            "A": np.arange(6.0).reshape(2, 3) - 2,
        },
    },
]


def random_case(rng):
    d, k, r = int(rng.integers(1, 7)), int(rng.integers(1, 7)), int(rng.integers(1, 4))
    return {
        "W": np.round(rng.normal(0, 1, (d, k)), 3),
        "B": np.round(rng.normal(0, 1, (d, r)), 3),
        "A": np.round(rng.normal(0, 1, (r, k)), 3),
    }


PROPERTIES = [
    (
        "合并后的权重与 W 形状相同",
        lambda a, got: np.shape(got[0]) == a["W"].shape,
    ),
]

check = make_check(__name__)

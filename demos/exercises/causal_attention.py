"""练一练 (chapter 3): the weights of causal (masked) scaled dot-product attention."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import close, make_check, solution_function

TITLE = "因果注意力的权重"
CHAPTER = 3
FUNCTION = "attention_weights"

TASK = """\
写函数 `attention_weights(Q, K)`：`Q` 和 `K` 都是 $n \\times d_k$ 的矩阵（第 $i$ 行是位置 $i$ 的查询或键）。返回 $n \\times n$ 的因果注意力权重 $w$：

1. 打分：$s_{ij} = q_i \\cdot k_j / \\sqrt{d_k}$；
2. 遮罩：$j > i$ 的分数设为 $-\\infty$（位置 $i$ 只能看自己和前面）；
3. 归一：每一行做 softmax。

所以右上角全是 0，每一行加起来等于 1，第 1 行是 $(1, 0, \\dots, 0)$。"""

STARTER = """\
import numpy as np


def attention_weights(Q, K):
    n, d_k = Q.shape
    scores = Q @ K.T / np.sqrt(d_k)
    # 把 j > i 的分数设成 -inf，再对每一行做 softmax
    return None
"""

HINT = """\
`np.triu(np.ones((n, n), dtype=bool), k=1)` 正好是 $j > i$ 的位置（注意 `k=1`：对角线自己要保留）。\
`np.where(mask, -np.inf, scores)` 把它们设为 $-\\infty$；softmax 前每行减去该行最大值，`np.exp(-np.inf)` 就是 0。"""

SOLUTION = r"""\
import numpy as np


def attention_weights(Q, K):
    n, d_k = Q.shape
    scores = Q @ K.T / np.sqrt(d_k)
    future = np.triu(np.ones((n, n), dtype=bool), k=1)  # j > i
    scores = np.where(future, -np.inf, scores)
    scores = scores - scores.max(axis=1, keepdims=True)
    w = np.exp(scores)
    return w / w.sum(axis=1, keepdims=True)
"""

reference = solution_function(SOLUTION, FUNCTION)

CASES = [
    {
        "label": "正文的例子：d_k = 2，三个位置",
        "args": {
            "Q": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 2.0]]),
            "K": np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
        },
    },
    {"label": "只有一个位置", "args": {"Q": np.array([[0.3, -0.2, 0.5]]), "K": np.array([[1.0, 2.0, -1.0]])}},
    {
        "label": "很大的分数",
        "args": {"Q": np.array([[40.0, 0.0], [0.0, 40.0]]), "K": np.array([[40.0, 10.0], [40.0, 40.0]])},
    },
]


def random_case(rng):
    n, d = int(rng.integers(2, 7)), int(rng.integers(1, 6))
    return {"Q": np.round(rng.normal(0, 1.5, (n, d)), 3), "K": np.round(rng.normal(0, 1.5, (n, d)), 3)}


PROPERTIES = [
    ("右上角（j > i）的权重都是 0", lambda a, w: bool(np.all(np.triu(np.asarray(w), k=1) == 0))),
    ("每一行的权重加起来等于 1", lambda a, w: close(np.asarray(w).sum(axis=1), np.ones(len(a["Q"])))),
]

check = make_check(__name__)

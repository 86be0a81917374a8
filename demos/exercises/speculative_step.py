"""练一练 (chapter 7): speculative decoding's accept-or-resample step for one drafted token."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import make_check, solution_function

TITLE = "投机解码：接受，还是重抽"
CHAPTER = 7
FUNCTION = "verify"

TASK = """\
预测者（草稿模型）按分布 $q$ 写出了 token `x`，大模型在这个位置的分布是 $p$。写函数 `verify(p, q, x, u, v)`，返回最终留下的 token 编号（整数）：

1. 以概率 $\\min\\!\\big(1, p(x)/q(x)\\big)$ 接受：若 `u < min(1, p[x] / q[x])`，返回 `x`；
2. 否则拒绝，从剩余分布 $\\mathrm{norm}\\big(\\max(0, p - q)\\big)$ 中重抽一个 token，用逆累积分布和 `v`：返回第一个使累计概率 **大于** `v` 的编号。

`u`、`v` 是事先抽好的 $[0, 1)$ 均匀随机数，这样结果可以核对。拒绝只会在 $p(x) < q(x)$ 时发生，此时剩余分布一定不全为 0。"""

STARTER = """\
import numpy as np


def verify(p, q, x, u, v):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if u < min(1.0, p[x] / q[x]):
        return x
    # 拒绝：剩余分布 r = max(0, p - q)，归一化后用 v 逆累积采样
    return None
"""

HINT = """\
`r = np.maximum(p - q, 0); r = r / r.sum()`，再 `np.searchsorted(np.cumsum(r), v, side="right")` 找到第一个累计概率大于 `v` 的位置。\
常见错误：拒绝后直接从 $p$ 重抽（会让 $x$ 被多算），或者把 $p - q$ 的负数部分也留下。"""

SOLUTION = r"""\
import numpy as np


def verify(p, q, x, u, v):
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if u < min(1.0, p[x] / q[x]):
        return int(x)
    r = np.maximum(p - q, 0.0)
    cum = np.cumsum(r / r.sum())
    return int(min(np.searchsorted(cum, v, side="right"), len(p) - 1))
"""

reference = solution_function(SOLUTION, FUNCTION)

P3 = [0.5, 0.3, 0.2]
Q3 = [0.2, 0.6, 0.2]
CASES = [
    {"label": "p(x) ≥ q(x)：一定接受", "args": {"p": P3, "q": Q3, "x": 0, "u": 0.99, "v": 0.5}},
    {"label": "p(x)/q(x) = 0.5，u = 0.4：接受", "args": {"p": P3, "q": Q3, "x": 1, "u": 0.4, "v": 0.5}},
    {"label": "p(x)/q(x) = 0.5，u = 0.6：拒绝后重抽", "args": {"p": P3, "q": Q3, "x": 1, "u": 0.6, "v": 0.5}},
    {
        "label": "拒绝后剩余分布有两个 token",
        "args": {"p": [0.3, 0.1, 0.4, 0.2], "q": [0.1, 0.6, 0.1, 0.2], "x": 1, "u": 0.9, "v": 0.55},
    },
]


def random_case(rng):
    n = int(rng.integers(2, 7))
    p, q = rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(n))
    return {
        "p": [float(a) for a in p],
        "q": [float(a) for a in q],
        "x": int(rng.choice(n, p=q)),
        "u": float(rng.uniform()),
        "v": float(rng.uniform()),
    }


def _rejected_token_has_room(args, token):
    """After a rejection the token comes from max(0, p − q), so p > q there."""
    p, q, x = np.asarray(args["p"]), np.asarray(args["q"]), args["x"]
    accepted = args["u"] < min(1.0, p[x] / q[x])
    return accepted or p[int(token)] > q[int(token)]


PROPERTIES = [("被拒绝后重抽的 token 必须满足 p > q（来自剩余分布 max(0, p − q)）", _rejected_token_has_room)]

check = make_check(__name__)

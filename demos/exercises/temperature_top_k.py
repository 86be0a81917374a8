"""练一练 (chapter 1): from logits to a sampling distribution with temperature and top-k."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import close, make_check, solution_function

TITLE = "温度与 top-k：把分数变成采样分布"
CHAPTER = 1
FUNCTION = "sampling_probs"

TASK = """\
语言模型每一步给词表里每个 token 一个分数（logit）$z_i$。写函数 `sampling_probs(logits, temperature, top_k)`，返回采样时真正使用的概率分布：

1. 温度：$p_i \\propto e^{z_i / T}$（$T$ 就是 `temperature`，总是大于 0）；
2. top-k：只保留概率最高的 `top_k` 个 token，其余概率设为 0；`top_k = 0` 表示不限制；
3. 重新归一化，让概率之和为 1。

返回一个与 `logits` 形状相同的 numpy 数组。测试里的分数可能很大（例如 1000），请注意数值溢出；不会出现需要决定并列名次的情形。"""

STARTER = """\
import numpy as np


def sampling_probs(logits, temperature, top_k):
    z = np.asarray(logits, dtype=float) / temperature
    # 1. softmax：e^z 再除以总和（小心 z 很大时 e^z 会溢出）
    # 2. top-k：top_k > 0 时，只留概率最大的 top_k 个
    # 3. 重新归一化
    return None
"""

HINT = """\
softmax 之前先减去最大值：$e^{z_i - \\max z} / \\sum_j e^{z_j - \\max z}$ 与原式相等，却不会溢出。\
top-k 可以用 `np.argsort(-p)[:top_k]` 找到要保留的下标，其余设为 0，最后再除以总和。"""

SOLUTION = r"""\
import numpy as np


def sampling_probs(logits, temperature, top_k):
    z = np.asarray(logits, dtype=float) / temperature
    z = z - z.max()  # e^z would overflow for large logits; the shift cancels in the ratio
    p = np.exp(z)
    p = p / p.sum()
    if 0 < top_k < len(p):
        keep = np.argsort(-p, kind="stable")[:top_k]
        mask = np.zeros(len(p), dtype=bool)
        mask[keep] = True
        p = np.where(mask, p, 0.0)
    return p / p.sum()
"""

reference = solution_function(SOLUTION, FUNCTION)

CASES = [
    {"label": "温度 1，不限制", "args": {"logits": np.array([2.0, 1.0, 0.0]), "temperature": 1.0, "top_k": 0}},
    {"label": "温度 0.5：分布更尖", "args": {"logits": np.array([2.0, 1.0, 0.0]), "temperature": 0.5, "top_k": 0}},
    {"label": "top-k = 2", "args": {"logits": np.array([0.5, 3.0, 1.0, -1.0]), "temperature": 1.0, "top_k": 2}},
    {"label": "top-k = 1：只剩最高的", "args": {"logits": np.array([0.1, 0.3, 0.2]), "temperature": 2.0, "top_k": 1}},
    {"label": "很大的分数", "args": {"logits": np.array([1000.0, 999.0, 998.0]), "temperature": 1.0, "top_k": 0}},
    {"label": "k 大于词表", "args": {"logits": np.array([1.0, -2.0]), "temperature": 1.5, "top_k": 5}},
]


def random_case(rng):
    n = int(rng.integers(2, 9))
    return {
        "logits": np.round(rng.normal(0, 3, n), 3),
        "temperature": float(np.round(rng.uniform(0.2, 2.0), 2)),
        "top_k": int(rng.integers(0, n + 1)),
    }


PROPERTIES = [
    ("概率都不小于 0，且加起来等于 1", lambda a, p: bool(np.all(np.asarray(p) >= 0)) and close(np.sum(p), 1.0)),
    (
        "top-k 之后最多只有 k 个概率大于 0",
        lambda a, p: a["top_k"] == 0 or int(np.count_nonzero(np.asarray(p) > 1e-12)) <= a["top_k"],
    ),
]

check = make_check(__name__)

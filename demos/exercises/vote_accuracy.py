"""练一练 (chapter 5): the exact accuracy of self-consistency's majority vote."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import make_check, solution_function

TITLE = "自洽性：投票后答对的概率"
CHAPTER = 5
FUNCTION = "vote_accuracy"

TASK = """\
模型每写一条推理链，得到答案 $i$ 的概率是 `probs[i]`，其中 `probs[0]` 是正确答案，其余是各种错误答案。独立采样 `k` 条推理链，选票数最多的答案；几个答案并列第一时，从它们中均匀随机选一个。

写函数 `vote_accuracy(probs, k)`，返回最终选中正确答案的**精确**概率（一个浮点数）。正文的例子：`probs = [0.4, 0.3, 0.3]`、`k = 3` 时是 0.424。测试里答案种类不超过 4 个，`k` 不超过 6。"""

STARTER = """\
import itertools

import numpy as np


def vote_accuracy(probs, k):
    m = len(probs)
    total = 0.0
    for votes in itertools.product(range(m), repeat=k):
        # 这一组票出现的概率是多少？正确答案（0 号）在这组票里被选中的机会是多少？
        pass
    return None
"""

HINT = """\
穷举 $m^k$ 种投票结果：一组票出现的概率是各票概率的乘积。数出每个答案的票数，\
若 0 号答案的票数等于最高票数、且有 $t$ 个答案并列最高，它被选中的机会是 $1/t$；否则是 0。\
检查：`k = 1` 和 `k = 2` 时结果都应等于 `probs[0]`。"""

SOLUTION = r"""\
import itertools

import numpy as np


def vote_accuracy(probs, k):
    m = len(probs)
    total = 0.0
    for votes in itertools.product(range(m), repeat=k):
        chance = float(np.prod([probs[v] for v in votes]))
        counts = np.bincount(votes, minlength=m)
        top = counts.max()
        if counts[0] == top:
            total += chance / int(np.sum(counts == top))
    return total
"""

reference = solution_function(SOLUTION, FUNCTION)

CASES = [
    {"label": "只采 1 条", "args": {"probs": [0.4, 0.3, 0.3], "k": 1}},
    {"label": "正文情形一：A、B 各 0.3，k = 3", "args": {"probs": [0.4, 0.3, 0.3], "k": 3}},
    {"label": "正文情形二：A 0.5、B 0.1，k = 3", "args": {"probs": [0.4, 0.5, 0.1], "k": 3}},
    {"label": "k = 2：平票掷硬币", "args": {"probs": [0.6, 0.4], "k": 2}},
    {"label": "四种答案，k = 4", "args": {"probs": [0.3, 0.3, 0.2, 0.2], "k": 4}},
]


def random_case(rng):
    m = int(rng.integers(2, 5))
    probs = rng.dirichlet(np.ones(m))
    return {"probs": [float(x) for x in np.round(probs / probs.sum(), 4)], "k": int(rng.integers(1, 6))}


PROPERTIES = [("结果是 0 到 1 之间的概率", lambda a, got: 0.0 <= float(got) <= 1.0 + 1e-12)]

check = make_check(__name__)

"""练一练 (chapter 6): the reward model's Bradley–Terry loss, computed stably."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import finite, make_check, solution_function

TITLE = "奖励模型的 Bradley–Terry 损失"
CHAPTER = 6
FUNCTION = "bt_loss"

TASK = """\
奖励模型给每次比较中胜出的回答打分 $r_{\\text{胜}}$、落败的打分 $r_{\\text{负}}$。按 Bradley–Terry 模型，人选中胜者的概率是 $\\sigma(r_{\\text{胜}} - r_{\\text{负}})$，训练损失是负对数似然的平均：

$$\\mathcal{L} = -\\frac{1}{n}\\sum_{i=1}^{n} \\log \\sigma\\big(r_{\\text{胜},i} - r_{\\text{负},i}\\big)$$

写函数 `bt_loss(r_win, r_lose)`：两个长度为 $n$ 的数组，返回一个浮点数。分差可能很大（例如 −800），结果必须仍是有限的数。"""

STARTER = """\
import numpy as np


def bt_loss(r_win, r_lose):
    diff = np.asarray(r_win, dtype=float) - np.asarray(r_lose, dtype=float)
    # -log σ(diff) 的平均；σ(x) = 1 / (1 + e^(-x))
    return None
"""

HINT = """\
$-\\log\\sigma(x) = \\log(1 + e^{-x})$。直接算 `np.log(1 / (1 + np.exp(-x)))` 在 $x = -800$ 时会溢出成 inf；\
`np.logaddexp(0, -x)` 算的正是 $\\log(e^0 + e^{-x})$，而且不会溢出。"""

SOLUTION = r"""\
import numpy as np


def bt_loss(r_win, r_lose):
    diff = np.asarray(r_win, dtype=float) - np.asarray(r_lose, dtype=float)
    return float(np.mean(np.logaddexp(0.0, -diff)))
"""

reference = solution_function(SOLUTION, FUNCTION)

CASES = [
    {"label": "正文例子：分差 1.0", "args": {"r_win": [1.2], "r_lose": [0.2]}},
    {"label": "分数相同：损失 ln 2", "args": {"r_win": [0.5, -1.0], "r_lose": [0.5, -1.0]}},
    {"label": "选了分低的那个", "args": {"r_win": [0.2], "r_lose": [1.2]}},
    {"label": "分差很大", "args": {"r_win": [0.0, 900.0], "r_lose": [800.0, 0.0]}},
]


def random_case(rng):
    n = int(rng.integers(1, 9))
    return {
        "r_win": [float(x) for x in np.round(rng.normal(0, 2, n), 3)],
        "r_lose": [float(x) for x in np.round(rng.normal(0, 2, n), 3)],
    }


PROPERTIES = [
    ("损失是有限的数", lambda a, got: finite(got)),
    ("损失不小于 0", lambda a, got: float(got) >= 0),
]

check = make_check(__name__)

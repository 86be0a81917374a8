"""练一练 (chapter 10): the watermark detector's z-score from green-token flags."""

from __future__ import annotations

import numpy as np

from demos.exercises._grade import make_check, solution_function

TITLE = "水印检测的 z 分数"
CHAPTER = 10
FUNCTION = "z_score"

TASK = """\
检测水印时，对一段 $T$ 个 token 的文字逐个判断它在不在（由前一个 token 决定的）绿色名单里，得到一串 `True`/`False`。没有水印时每个 token 是绿色的机会是 $\\gamma$，所以

$$z = \\frac{|s|_G - \\gamma T}{\\sqrt{T\\gamma(1-\\gamma)}}$$

其中 $|s|_G$ 是绿色 token 的个数。写函数 `z_score(green, gamma)`：`green` 是布尔值列表，返回 $z$（一个浮点数）。正文的例子：$\\gamma = 0.5$，100 个 token 里 70 个绿色，$z = 4.0$。"""

STARTER = """\
import numpy as np


def z_score(green, gamma):
    T = len(green)
    count = None  # 绿色 token 的个数 |s|_G
    return None
"""

HINT = """\
`np.sum(green)` 就是绿色个数。分母是标准差 $\\sqrt{T\\gamma(1-\\gamma)}$：别忘了开方，也别写成 $\\sqrt{\\gamma(1-\\gamma)/T}$（那是比例的标准差，分子就该用比例）。"""

SOLUTION = r"""\
import numpy as np


def z_score(green, gamma):
    T = len(green)
    count = int(np.sum(np.asarray(green, dtype=bool)))
    return float((count - gamma * T) / np.sqrt(T * gamma * (1.0 - gamma)))
"""

reference = solution_function(SOLUTION, FUNCTION)

CASES = [
    {"label": "正文例子：100 个里 70 个绿色", "args": {"green": [True] * 70 + [False] * 30, "gamma": 0.5}},
    {"label": "正好是平均数：z = 0", "args": {"green": [True, False, False, False], "gamma": 0.25}},
    {"label": "一个绿色都没有", "args": {"green": [False] * 16, "gamma": 0.5}},
    {"label": "γ = 0.25，200 个里 80 个绿色", "args": {"green": [True] * 80 + [False] * 120, "gamma": 0.25}},
]


def random_case(rng):
    T = int(rng.integers(1, 300))
    gamma = float(np.round(rng.uniform(0.1, 0.9), 2))
    return {"green": [bool(b) for b in rng.uniform(size=T) < rng.uniform(0.05, 0.95)], "gamma": gamma}


check = make_check(__name__)

"""练一练 (chapter 2): Chinchilla's compute-optimal split of compute into parameters and tokens."""

from __future__ import annotations

from demos.exercises._grade import close, make_check, solution_function

TITLE = "Chinchilla：算力该怎么分"
CHAPTER = 2
FUNCTION = "optimal_allocation"

TASK = """\
按 Chinchilla 的拟合公式 $L(N, D) = E + A/N^{\\alpha} + B/D^{\\beta}$（$A = 406.4$，$B = 410.7$，$\\alpha = 0.34$，$\\beta = 0.28$）和算力估计 $C \\approx 6ND$，写函数 `optimal_allocation(C)`，返回算力为 `C` 时损失最低的参数量与 token 数 `(N_opt, D_opt)`：

$$N_{\\text{opt}} = G\\left(\\frac{C}{6}\\right)^{\\frac{\\beta}{\\alpha+\\beta}},\\quad D_{\\text{opt}} = \\frac{1}{G}\\left(\\frac{C}{6}\\right)^{\\frac{\\alpha}{\\alpha+\\beta}},\\quad G = \\left(\\frac{\\alpha A}{\\beta B}\\right)^{\\frac{1}{\\alpha+\\beta}}$$

返回两个浮点数组成的元组。"""

STARTER = """\
A, B = 406.4, 410.7
ALPHA, BETA = 0.34, 0.28


def optimal_allocation(C):
    G = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))
    # N_opt = ?
    # D_opt = ?
    return None
"""

HINT = """\
两个指数分别是 $\\beta/(\\alpha+\\beta)$ 和 $\\alpha/(\\alpha+\\beta)$，加起来等于 1，所以 $6 N_{\\text{opt}} D_{\\text{opt}} = C$ 正好成立：\
可以用它检查自己的答案。别把 $C/6$ 写成 $C$，也别把两个指数对调。"""

SOLUTION = r"""\



A, B = 406.4, 410.7
ALPHA, BETA = 0.34, 0.28


def optimal_allocation(C):
    G = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))
    n_opt = G * (C / 6) ** (BETA / (ALPHA + BETA))
    d_opt = (C / 6) ** (ALPHA / (ALPHA + BETA)) / G
    return float(n_opt), float(d_opt)
"""

reference = solution_function(SOLUTION, FUNCTION)

CASES = [
    {"label": "Gopher 的算力 5.76×10²³", "args": {"C": 5.76e23}},
    {"label": "10²⁰ FLOPs", "args": {"C": 1e20}},
    {"label": "10²⁵ FLOPs", "args": {"C": 1e25}},
]


def random_case(rng):
    return {"C": float(10 ** rng.uniform(18, 26))}


PROPERTIES = [("6·N·D 等于算力 C", lambda a, got: close(6 * got[0] * got[1], a["C"], rtol=1e-6))]

check = make_check(__name__)

"""In-context linear regression: one linear self-attention layer equals one gradient-descent step (chapter 5).

The construction is von Oswald et al. (2022, arXiv 2212.07677, Proposition 1).
Every example in the prompt is one token ``e_i = (x_i, y_i)``; the question is
the token ``(x_q, 0)``.  A linear self-attention layer (no softmax) updates each
token by ``e_j ← e_j + P Σ_i (W_V e_i)(W_K e_i)ᵀ(W_Q e_j)``, the sum running over
the N example tokens.  With

    W_K = W_Q = [[I, 0], [0, 0]],   W_V = [[0, 0], [0, −I]],   P = (η / N) I

the y-part of every token moves by ``−ΔW x_j``, where ``ΔW = −η ∇L(W)`` is one
gradient step on ``L(W) = 1/(2N) Σ ‖W x_i − y_i‖²`` from ``W = 0``; the answer
is read off as minus the question token's y-part.  Stacking the same layer L
times performs L steps (each layer sees the residuals the previous one left).
"""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._params import Float, Int, demo_entry

TITLE = "上下文学习线性回归：一层线性注意力 = 一步梯度下降"

PARAMS = {
    "examples": Int(8, 1, 64, label="范例数 N", help="提示里放几个「x → y」的例子"),
    "dim": Int(1, 1, 5, label="输入维度 d", help="x 有几个数；为 1 时可以画成平面上的点"),
    "noise": Float(0.1, 0.0, 1.0, step=0.05, label="标签噪声", help="每个 y 加上的噪声标准差"),
    "lr": Float(1.0, 0.1, 2.0, step=0.1, label="学习率 η", help="梯度下降的步长，也就是注意力层输出前乘的系数"),
    "layers": Int(1, 1, 8, label="注意力层数", help="叠几层同样的线性注意力，也就是走几步梯度下降"),
    "seed": Int(17, 0, 99999, label="随机种子", help="决定这道题的真实 w、范例和问题"),
}

PYODIDE_CASES = [
    {"examples": 40, "dim": 3, "noise": 0.5, "layers": 4, "seed": 7},
    {"examples": 1, "lr": 0.3, "seed": 3},
]

N_QUERIES = 5  # questions shown in the table
N_TASKS = 2000  # tasks averaged for the error-vs-N curve (batched, cheap)
CURVE_N = (1, 2, 4, 8, 16, 32, 64)


# --------------------------------------------------------------------------- the two computations


def make_task(dim, examples, noise, rng, queries=N_QUERIES):
    """A random regression task: true w ~ N(0, I), x ~ N(0, I), y = w·x + noise."""
    w = rng.standard_normal(dim)
    x = rng.standard_normal((examples, dim))
    y = x @ w + noise * rng.standard_normal(examples)
    xq = rng.standard_normal((queries, dim))
    return w, x, y, xq


def construction(dim, examples, lr):
    """(W_K, W_Q, W_V, P) of the paper's construction with W_0 = 0, for tokens of size d + 1."""
    n = dim + 1
    wk = np.zeros((n, n))
    wk[:dim, :dim] = np.eye(dim)
    wv = np.zeros((n, n))
    wv[dim, dim] = -1.0
    return wk, wk.copy(), wv, (lr / examples) * np.eye(n)


def attention_layer(tokens, n_context, wk, wq, wv, p):
    """One linear self-attention layer with a residual; keys and values come from the first ``n_context`` tokens."""
    ctx = tokens[:n_context]
    keys, values, queries = ctx @ wk.T, ctx @ wv.T, tokens @ wq.T
    scores = queries @ keys.T  # no softmax: linear attention
    return tokens + (scores @ values) @ p.T


def attention_predict(x, y, xq, lr, layers=1):
    """Answers to the questions ``xq`` read from a stack of ``layers`` constructed attention layers."""
    examples, dim = x.shape
    tokens = np.concatenate(
        [np.column_stack([x, y]), np.column_stack([xq, np.zeros(len(xq))])],
        axis=0,
    )
    weights = construction(dim, examples, lr)
    for _ in range(layers):
        tokens = attention_layer(tokens, examples, *weights)
    return -tokens[examples:, dim]


def gd_weights(x, y, lr, steps=1):
    """W after ``steps`` gradient steps on L(W) = 1/(2N) Σ (W·x_i − y_i)², starting from W = 0."""
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        w = w - lr * (x.T @ (x @ w - y)) / len(y)
    return w


def ridge(x, y, noise):
    """The best possible answer for these tasks: the posterior mean of w, (XᵀX + σ²I)⁻¹ Xᵀy.

    With w ~ N(0, I) and label noise σ this is Bayes-optimal; a tiny floor keeps
    it defined when σ = 0 and there are fewer examples than dimensions.
    """
    lam = noise**2 + 1e-6
    return np.linalg.solve(x.T @ x + lam * np.eye(x.shape[1]), x.T @ y)


def error_curve(dim, noise, lr, layers, ns=CURVE_N, tasks=N_TASKS, seed=0):
    """Mean squared error on fresh questions vs N, for GD (= attention) and the Bayes-optimal ridge answer.

    All tasks of one N are done at once as stacked arrays (the same formulas as
    :func:`gd_weights` and :func:`ridge`, batched so the curve stays cheap).
    """
    rng = np.random.default_rng(seed)
    gd, ls = [], []
    for n in ns:
        w = rng.standard_normal((tasks, dim))
        x = rng.standard_normal((tasks, n, dim))
        xt = np.swapaxes(x, 1, 2)
        y = (x @ w[..., None])[..., 0] + noise * rng.standard_normal((tasks, n))
        gram, xty = xt @ x, (xt @ y[..., None])[..., 0]
        w_gd = np.zeros((tasks, dim))
        for _ in range(layers):  # ∇L = (XᵀX w − Xᵀy) / N
            w_gd = w_gd - lr * ((gram @ w_gd[..., None])[..., 0] - xty) / n
        lam = noise**2 + 1e-6  # the same formula as ridge(), batched
        w_ls = np.linalg.solve(gram + lam * np.eye(dim), xty[..., None])[..., 0]
        # fresh questions x_q ~ N(0, I): E[(x_q·(ŵ − w))²] = ‖ŵ − w‖², no sampling needed
        gd.append(np.mean(np.sum((w_gd - w) ** 2, axis=1)))
        ls.append(np.mean(np.sum((w_ls - w) ** 2, axis=1)))
    return np.array(gd), np.array(ls)


# --------------------------------------------------------------------------- the demo


@demo_entry(PARAMS)
def run(examples, dim, noise, lr, layers, seed):
    rng = np.random.default_rng(seed)
    w, x, y, xq = make_task(dim, examples, noise, rng)
    by_attention = attention_predict(x, y, xq, lr, layers)
    w_gd = gd_weights(x, y, lr, layers)
    by_gd = xq @ w_gd
    gap = float(np.max(np.abs(by_attention - by_gd)))
    out = []

    if dim == 1:
        grid = np.linspace(-3, 3, 61)[:, None]
        out.append(
            views.scatter(
                {
                    "提示里的范例 (x, y)": np.column_stack([x[:, 0], y]),
                    "真实关系 y = w·x": np.column_stack([grid[:, 0], grid @ w]),
                    f"{layers} 步梯度下降学到的直线": np.column_stack([grid[:, 0], grid @ w_gd]),
                    "注意力对问题的回答": np.column_stack([xq[:, 0], by_attention]),
                },
                title=f"{examples} 个范例；真实 w = {w[0]:.3f}，梯度下降得到 {w_gd[0]:.3f}",
                xlim=(-3, 3),
                ylim=(-6, 6),
            )
        )

    rows = [
        [", ".join(f"{v:.2f}" for v in q), float(q @ w), float(a), float(g), float(abs(a - g))]
        for q, a, g in zip(xq, by_attention, by_gd)
    ]
    out.append(
        views.table(
            ["问题 x", "真实 y（无噪声）", "注意力的回答", f"{layers} 步梯度下降的回答", "两者之差"],
            rows,
            title=(
                "同一组问题，两种算法（最大差不到 10⁻¹²，只是浮点舍入）"
                if gap < 1e-12
                else f"同一组问题，两种算法（最大差 {gap:.1e}）"
            ),
        )
    )

    gd_err, ls_err = error_curve(dim, noise, lr, layers, seed=seed)
    out.append(
        views.line(
            list(CURVE_N),
            {f"注意力 = {layers} 步梯度下降": gd_err, "理论上最好的答案（岭回归）": ls_err},
            title=f"范例越多答得越准（{N_TASKS} 道随机题的平均）",
            xlabel="范例数 N",
            ylabel="回答的均方误差",
            logx=True,
            logy=True,
        )
    )
    out.append(
        views.text(
            "注意力层的权重是固定的：W_K = W_Q 只取出 x，W_V 只取出 −y，输出前乘 η/N。"
            f"它对第 j 个 token 加上 (η/N)·Σ_i (−y_i)(x_i·x_j)，正好是一步梯度下降对 y 的修正；"
            f"问题 token 的 y 位置起初是 0，读出时取负号，就是 W·x_q。当前 η = {lr:g}，N = {examples}。",
            title="这一层注意力在做什么",
        )
    )
    return out

"""自洽性投票：采样 k 条推理链、多数决，准确率随 k 怎样变化，模拟与精确计算对照 (chapter 5)."""

from __future__ import annotations

import math

import numpy as np

from demos import _views as views
from demos._params import DemoError, Float, Int, demo_entry

TITLE = "自洽性：多采几条推理链再投票"

PARAMS = {
    "p_correct": Float(0.4, 0.01, 0.99, 0.01, label="单条链答对的概率 p", help="模型写一条推理链、最后答对的概率"),
    "wrong": Int(4, 1, 12, label="错误答案的种数 m", help="答错时，会落在几种不同的错误答案上"),
    "ratio": Float(
        0.5,
        0.05,
        1.0,
        0.05,
        label="错误答案的衰减比 r",
        help="第 j+1 种错误答案的概率是第 j 种的 r 倍；r 越小，错误越集中在同一个答案上",
    ),
    "max_k": Int(15, 1, 40, label="最多采样几条链", help="横轴从 k=1 画到这里，奇数和偶数都算"),
    "trials": Int(2000, 100, 10000, label="每个 k 的模拟次数", help="每个 k 重复多少次「采样 k 条再投票」来估计准确率"),
    "seed": Int(7, 0, 99999, label="随机种子", help="同样的种子、同样的设置，模拟结果完全一样"),
}

MAX_WORK = 100_000  # trials × max_k: keeps the simulation well under a second in Pyodide
PYODIDE_CASES = [
    {"p_correct": 0.4, "wrong": 2, "ratio": 0.2, "max_k": 30, "trials": 3000, "seed": 1},
    {"p_correct": 0.3, "wrong": 12, "ratio": 1.0, "max_k": 40, "trials": 2500, "seed": 3},
]
FUZZ_EXAMPLES = 30


def answer_probs(p_correct, wrong, ratio):
    """[p, q_1, …, q_m]: the correct answer first, then wrong answers with geometric weights r^j."""
    w = ratio ** np.arange(wrong, dtype=float)
    return np.concatenate([[p_correct], (1.0 - p_correct) * w / w.sum()])


def exact_accuracy(probs, max_k):
    """P(majority vote of k i.i.d. answers is the correct one), for k = 1..max_k, exactly.

    ``probs[0]`` is the correct answer.  A tie for first place among t answers that
    includes the correct one counts as a win with probability 1/t (uniform tie-break).

    With n votes for the correct answer, the other k−n votes must give every wrong
    answer at most n votes; t of them reaching exactly n makes a (t+1)-way tie.  The
    multinomial probability factorises as k! · p^n/n! · Π q_j^{c_j}/c_j!, so for each n
    a dynamic programme over the wrong answers carries Σ Π q_j^{c_j}/c_j! indexed by
    (votes used r, answers at the threshold t).  Each step is a convolution in r,
    written as a Toeplitz matrix product.
    """
    probs = np.asarray(probs, dtype=float)
    p, q = probs[0], probs[1:]
    m, K = len(q), int(max_k)
    fact = np.array([math.factorial(i) for i in range(K + 1)], dtype=float)
    acc = np.zeros(K + 1)
    diff = np.subtract.outer(np.arange(K + 1), np.arange(K + 1))  # r_new − r_old
    for n in range(K + 1):
        # f[r, t]: weight of the wrong answers so far using r votes, t of them exactly at n.
        f = np.zeros((K + 1, m + 1))
        f[0, 0] = 1.0
        for j in range(m):
            c = np.arange(n + 1)
            terms = q[j] ** c / fact[: n + 1]
            below = np.where((diff >= 0) & (diff < n), terms[np.clip(diff, 0, n)], 0.0)
            new = below @ f
            at = np.zeros_like(f)
            at[n:, 1:] = terms[n] * f[: K + 1 - n, :-1]
            f = new + at
        share = 1.0 / (1.0 + np.arange(m + 1))  # the correct answer's tie share
        win_given = f @ share  # indexed by r = k − n
        for k in range(max(n, 1), K + 1):
            acc[k] += fact[k] * p**n / fact[n] * win_given[k - n]
    return acc[1:]


def simulate_votes(probs, k, trials, rng):
    """Simulated accuracy of the k-vote majority with uniform tie-break, over ``trials`` runs."""
    probs = np.asarray(probs, dtype=float)
    a = len(probs)
    votes = rng.choice(a, size=(trials, k), p=probs).astype(np.intp)  # intp: 32-bit in Pyodide
    flat = votes + a * np.arange(trials, dtype=np.intp)[:, None]
    counts = np.bincount(flat.ravel(), minlength=trials * a).reshape(trials, a)
    tied = counts == counts.max(axis=1, keepdims=True)
    winner = np.argmax(rng.random((trials, a)) * tied, axis=1)  # uniform among the tied
    return float(np.mean(winner == 0))


def simulate_accuracy(probs, max_k, trials, seed):
    """Simulated accuracy for k = 1..max_k (one generator, k in order)."""
    rng = np.random.default_rng(seed)
    return np.array([simulate_votes(probs, k, trials, rng) for k in range(1, max_k + 1)])


def limit_accuracy(probs):
    """Accuracy as k → ∞: 1 if p beats every wrong answer, 0 if one beats p, 1/(t+1) at a t-way tie."""
    p, q = probs[0], np.asarray(probs[1:])
    top = q.max()
    if np.isclose(p, top, rtol=0, atol=1e-12):
        return 1.0 / (1 + int(np.sum(np.isclose(q, top, rtol=0, atol=1e-12))))
    return 1.0 if p > top else 0.0


@demo_entry(PARAMS)
def run(p_correct, wrong, ratio, max_k, trials, seed):
    """Views: accuracy vs k (exact and simulated), the answer distribution, a table, a verdict."""
    if trials * max_k > MAX_WORK:
        raise DemoError(
            f"「每个 k 的模拟次数」×「最多采样几条链」不能超过 {MAX_WORK:,}，"
            f"现在是 {trials}×{max_k}={trials * max_k:,}。请减少其中一个。",
            param="trials",
        )
    probs = answer_probs(p_correct, wrong, ratio)
    ks = np.arange(1, max_k + 1)
    exact = exact_accuracy(probs, max_k)
    sim = simulate_accuracy(probs, max_k, trials, seed)
    top = float(probs[1:].max())
    best = int(np.argmax(exact))

    labels = ["正确答案"] + [f"错误 {j + 1}" for j in range(wrong)]
    rows = []
    for k in ks:
        i = k - 1
        se = math.sqrt(max(exact[i] * (1 - exact[i]), 0.0) / trials)
        rows.append(
            [
                int(k),
                "奇" if k % 2 else "偶",
                round(float(exact[i]), 4),
                round(float(sim[i]), 4),
                round(float(sim[i] - exact[i]), 4),
                round(se, 4),
            ]
        )

    limit = limit_accuracy(probs)
    if limit == 1.0:
        verdict = (
            f"正确答案的概率 p = {p_correct:.2f} 高于最常见的错误答案 {top:.3f}，"
            f"所以投票越多越可靠：k → ∞ 时准确率趋于 1。k = {max_k} 时精确值为 {exact[-1]:.3f}。"
        )
    elif limit == 0.0:
        verdict = (
            f"最常见的错误答案概率 {top:.3f} 高于正确答案的 p = {p_correct:.2f}，"
            f"投票只会越来越坚定地选错：k → ∞ 时准确率趋于 0。k = {max_k} 时精确值为 {exact[-1]:.3f}。"
        )
    else:
        verdict = f"正确答案与最常见的错误答案打平（都是 {top:.3f}），k → ∞ 时准确率趋于 {limit:.3f}。"
    verdict += (
        " 平票时从并列第一的答案里均匀随机选一个。"
        f" 在 k = 1…{max_k} 中，k = {best + 1} 的精确准确率最高（{exact[best]:.3f}）。"
    )

    return [
        views.line(
            ks,
            {"精确计算": exact, f"模拟（每个 k {trials} 次）": sim, "只采一条（p）": np.full(max_k, p_correct)},
            title="多数决的准确率随采样条数 k 的变化",
            xlabel="采样的推理链条数 k",
            ylabel="投票选出正确答案的概率",
            marks=[(best + 1, exact[best], "最高")],
        ),
        views.bars(labels, probs, title="一条推理链最后给出各个答案的概率", ylabel="概率", highlight=0),
        views.text(verdict, title="结论"),
        views.table(
            ["k", "奇偶", "精确", "模拟", "差", "标准误"], rows, title="逐个 k 对照（差值通常在 2 个标准误之内）"
        ),
    ]

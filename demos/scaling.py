"""算力怎么分：固定训练算力下，按 Chinchilla 拟合公式（原论文或复现研究的常数）找最优的参数量与数据量（chapter 2）."""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._params import Bool, Choice, DemoError, Float, demo_entry

TITLE = "算力怎么分：模型大一点，还是多读点书？"

# L(N, D) = E + A / N^ALPHA + B / D^BETA, N = parameters, D = training tokens.
# "hoffmann": Hoffmann et al. 2022 (arXiv 2203.15556), approach 3, as printed in the paper.
# "besiroglu": the refit of the same functional form by Besiroglu, Erdil, Barnett & You 2024
# (arXiv 2404.10102 v2, their estimate), fitted to data reconstructed from Hoffmann's plots. Checked
# against several independent restatements of the paper (with its standard errors), not against the
# paper's table itself, which we could not open; chapter 2 says so.
FITS = {
    "hoffmann": (1.69, 406.4, 410.7, 0.34, 0.28),
    "besiroglu": (1.8172, 482.01, 2085.43, 0.3478, 0.3658),
}
FIT_LABELS = {"hoffmann": "Hoffmann 等 2022 论文原值", "besiroglu": "Besiroglu 等 2024 复现重拟合"}
E, A, B, ALPHA, BETA = FITS["hoffmann"]  # the default fit, as printed in chapter 2
RULE_TOKENS_PER_PARAM = 20.0  # the rule of thumb readers remember (Chinchilla: 1.4T tokens / 70B)

# Real models: (name, parameters, training tokens), from their papers.
MODELS = (
    ("GPT-3", 175e9, 300e9),
    ("Gopher", 280e9, 300e9),
    ("Chinchilla", 70e9, 1.4e12),
)

SPAN = 2.0  # the curve covers the optimum ± this many decades of N
POINTS = 121  # points on the fixed-compute curve
MIN_TOKENS_PER_PARAM = 0.1
NEAR = 0.5  # a real model is marked when its compute is within this many decades

PARAMS = {
    "log10_compute": Float(
        23.76,
        18.0,
        26.0,
        0.01,
        label="训练算力 log₁₀C（FLOPs）",
        help="23.76 约等于 Gopher 与 Chinchilla 的算力 5.76×10²³；每加 1 表示算力乘 10",
    ),
    "log10_params": Float(
        11.7,
        7.0,
        13.0,
        0.05,
        label="你的模型参数量 log₁₀N",
        help="11.7 约 5,000 亿参数，11 是 1,000 亿；算力固定时，数据量随之定为 D = C / (6N)",
    ),
    "fit": Choice(
        "hoffmann",
        label="拟合常数",
        help="原论文正文印出的常数，或 2024 年复现研究重新拟合的常数；两者的最优配比差别很大",
        choices=tuple(FITS),
        labels=FIT_LABELS,
    ),
    "show_models": Bool(
        True, label="标出真实模型", help="在曲线图上标出算力与当前设置相近的 GPT-3、Gopher、Chinchilla"
    ),
}

PYODIDE_CASES = [
    {"log10_compute": 20.0, "log10_params": 9.0, "show_models": False},
    {"log10_compute": 26.0, "log10_params": 7.0},
    {"log10_compute": 22.0, "log10_params": 10.0, "fit": "besiroglu"},
    {"log10_compute": 18.0, "log10_params": 13.0},  # refused: too few tokens per parameter
]


def loss(n_params, n_tokens, fit="hoffmann"):
    """Predicted pretraining loss (nats per token) under one of the Chinchilla fits."""
    e, a, b, alpha, beta = FITS[fit]
    n = np.asarray(n_params, dtype=float)
    d = np.asarray(n_tokens, dtype=float)
    return e + a / n**alpha + b / d**beta


def compute_flops(n_params, n_tokens):
    """Training compute by the usual estimate C ≈ 6·N·D (forward + backward pass)."""
    return 6.0 * np.asarray(n_params, dtype=float) * np.asarray(n_tokens, dtype=float)


def tokens_for(compute, n_params):
    """Tokens a model of ``n_params`` can read with ``compute`` FLOPs: D = C / (6N)."""
    return np.asarray(compute, dtype=float) / (6.0 * np.asarray(n_params, dtype=float))


def optimal_allocation(compute, fit="hoffmann"):
    """Closed-form compute-optimal (N, D) for the fit: minimise L subject to 6ND = C.

    N_opt = G·(C/6)^a, D_opt = (C/6)^b / G, with a = β/(α+β), b = α/(α+β),
    G = (αA / (βB))^(1/(α+β)).
    """
    _, a, b, alpha, beta = FITS[fit]
    c6 = np.asarray(compute, dtype=float) / 6.0
    g = (alpha * a / (beta * b)) ** (1.0 / (alpha + beta))
    n_opt = g * c6 ** (beta / (alpha + beta))
    d_opt = c6 ** (alpha / (alpha + beta)) / g
    return n_opt, d_opt


def rule_allocation(compute, tokens_per_param=RULE_TOKENS_PER_PARAM):
    """(N, D) with D = k·N and 6ND = C: N = sqrt(C / (6k)), the "20 tokens per parameter" rule."""
    n = np.sqrt(np.asarray(compute, dtype=float) / (6.0 * tokens_per_param))
    return n, tokens_per_param * n


def isoflop_curve(compute, lo, hi, points=POINTS, fit="hoffmann"):
    """Parameter counts from ``lo`` to ``hi`` (log-spaced) and the loss each gets at fixed compute."""
    n = np.logspace(np.log10(lo), np.log10(hi), points)
    return n, loss(n, tokens_for(compute, n), fit)


def human(x):
    """A count in Chinese units: 万 / 亿 / 万亿 (three significant digits)."""
    x = float(x)
    for unit, size in (("万亿", 1e12), ("亿", 1e8), ("万", 1e4)):
        if x >= size:
            v = x / size
            return f"{v:,.0f} {unit}" if v >= 100 else f"{v:.3g} {unit}"
    return f"{x:,.0f}"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sci(x):
    """``5.76×10²³`` style, for FLOPs."""
    exp = int(np.floor(np.log10(x)))
    return f"{x / 10**exp:.2f}×10{str(exp).translate(_SUPERSCRIPT)}"


@demo_entry(PARAMS)
def run(log10_compute, log10_params, fit, show_models):
    """Views: loss along the fixed-compute curve, the compute-optimal frontier, a table, a summary."""
    c = 10.0**log10_compute
    n_pick = 10.0**log10_params
    d_pick = float(tokens_for(c, n_pick))
    if d_pick / n_pick < MIN_TOKENS_PER_PARAM:
        raise DemoError(
            f"算力 {sci(c)} FLOPs 只够 {human(n_pick)}参数的模型读 {human(d_pick)}个 token，"
            f"平均每个参数不到 {MIN_TOKENS_PER_PARAM} 个 token，远超拟合公式可信的范围。"
            "请调小参数量或调大算力。",
            param="log10_params",
        )

    n_opt, d_opt = (float(v) for v in optimal_allocation(c, fit))
    n_rule, d_rule = (float(v) for v in rule_allocation(c))
    l_opt, l_pick = float(loss(n_opt, d_opt, fit)), float(loss(n_pick, d_pick, fit))
    l_rule = float(loss(n_rule, d_rule, fit))
    lo = min(n_opt / 10**SPAN, n_pick / 2, n_rule / 2)
    hi = max(n_opt * 10**SPAN, n_pick * 2, n_rule * 2)
    ns, ls = isoflop_curve(c, lo, hi, fit=fit)

    marks = [
        (n_opt, l_opt, f"最优 {human(n_opt)}"),
        (n_pick, l_pick, f"你的选择 {human(n_pick)}"),
        (n_rule, l_rule, "每参数 20 token"),
    ]
    if show_models:
        for name, n, d in MODELS:
            if abs(np.log10(compute_flops(n, d)) - log10_compute) <= NEAR and lo <= n <= hi:
                marks.append((n, float(loss(n, d, fit)), name))

    cs = np.logspace(18, 26, 81)
    frontier = loss(*optimal_allocation(cs, fit), fit)
    rule_line = loss(*rule_allocation(cs), fit)

    rows = [
        ["算力最优", human(n_opt), human(d_opt), round(d_opt / n_opt, 1), round(l_opt, 4)],
        ["你的选择", human(n_pick), human(d_pick), round(d_pick / n_pick, 2), round(l_pick, 4)],
        ["每参数 20 token", human(n_rule), human(d_rule), RULE_TOKENS_PER_PARAM, round(l_rule, 4)],
    ]
    for name, n, d in MODELS:
        rows.append([name, human(n), human(d), round(d / n, 1), round(float(loss(n, d, fit)), 4)])
    used = "、".join(f"{name} {sci(float(compute_flops(n, d)))}" for name, n, d in MODELS)

    gap = max(l_pick - l_opt, 0.0)  # the optimum is the minimum; clip rounding noise
    verdict = (
        "你的选择就在最优点附近。"
        if gap < 0.005
        else ("模型偏大、读的数据太少。" if n_pick > n_opt else "模型偏小，读再多数据也装不下。")
    )
    summary = (
        f"算力 C = {sci(c)} FLOPs，拟合常数：{FIT_LABELS[fit]}。按拟合公式，最划算的分法是 {human(n_opt)}参数、"
        f"{human(d_opt)}个训练 token（每个参数约 {d_opt / n_opt:.0f} 个 token），预测损失 {l_opt:.3f}。"
        f"你选的 {human(n_pick)}参数在这个算力下能读 {human(d_pick)}个 token，预测损失 {l_pick:.3f}，"
        f"比最优高 {gap:.3f}。{verdict}"
        f"按「每参数 20 token」的经验法则则是 {human(n_rule)}参数，预测损失 {l_rule:.3f}。"
        f"\n（作为对照，按 6ND 估算的训练算力：{used} FLOPs。）"
    )

    return [
        views.line(
            ns,
            {"预测损失": ls},
            title="同样的算力，不同的模型大小",
            xlabel="参数量 N（对数坐标）",
            ylabel="预测损失 L",
            marks=marks,
            logx=True,
        ),
        views.line(
            cs,
            {"最优损失": frontier, "每参数 20 token": rule_line},
            title="算力每乘 10，最优损失降多少",
            xlabel="训练算力 C（FLOPs，对数坐标）",
            ylabel="预测损失 L",
            marks=[(c, l_opt, "当前算力")],
            logx=True,
        ),
        views.table(["配置", "参数量", "token 数", "D/N", "预测损失"], rows, title="参数量、数据量与预测损失"),
        views.text(summary, title="结论"),
    ]

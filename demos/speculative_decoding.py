"""投机解码：小模型先打草稿、大模型一次检查，输出分布与大模型逐字生成完全相同（第 7 章）。"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from demos import _views as views
from demos._lm import END, course_model, reshape
from demos._params import Float, Int, Text, demo_entry

TITLE = "投机解码：让小模型先猜，大模型一次验收"

PARAMS = {
    "prompt": Text("语言模型", label="开头", help="两个模型都从这段文字后面接着写", max_len=40),
    "length": Int(30, 1, 80, label="最多生成字数", help="遇到句号「。」会提前停下"),
    "gamma": Int(4, 1, 8, label="草稿长度 γ", help="小模型每次先猜几个字，再交给大模型一起检查"),
    "draft_order": Int(
        2,
        1,
        3,
        label="草稿模型的 n（看前 n−1 个字）",
        help="草稿模型是 n-gram：1 只看字频，2 看前一个字，3 看前两个字（与大模型相同）",
    ),
    "cost_ratio": Float(0.1, 0.0, 1.0, 0.05, label="草稿成本比 c", help="小模型算一次的时间 ÷ 大模型算一次的时间"),
    "temperature": Float(1.0, 0.0, 2.0, 0.1, label="温度", help="同时用于两个模型；0 表示每步都选概率最高的字"),
    "seed": Int(42, 0, 99999, label="随机种子", help="同样的种子、同样的设置，结果完全一样"),
    "samples": Int(
        1000,
        0,
        5000,
        label="采样 N 次",
        help="把「接下一个字」各做 N 次：投机解码一次 vs 直接从大模型抽，比较两者与大模型分布的差距；0 表示不做",
    ),
}
SHOW_CHARS = 8  # rows of the sampling panel

TARGET_ORDER = 3
GAMMAS = np.arange(1, 9)


# --------------------------------------------------------------------------- the rule


def draw(probs: np.ndarray, u: float) -> int:
    """Inverse-CDF draw from ``probs`` (need not be normalised) with a uniform ``u`` in [0, 1)."""
    cum = np.cumsum(probs)
    return int(min(np.searchsorted(cum, u * cum[-1], side="right"), len(probs) - 1))


def acceptance_prob(p: np.ndarray, q: np.ndarray, x: int) -> float:
    """Speculative sampling keeps a drafted ``x`` with probability min(1, p(x)/q(x))."""
    return 1.0 if p[x] >= q[x] else float(p[x] / q[x])


def residual(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """After a rejection, sample from norm(max(0, p − q)); if p ≤ q everywhere, that is p itself."""
    r = np.maximum(p - q, 0.0)
    total = r.sum()
    return r / total if total > 0 else p


def overlap(p: np.ndarray, q: np.ndarray) -> float:
    """β = Σ min(p, q): the chance a token drafted from q is accepted under target p."""
    return float(np.minimum(p, q).sum())


def expected_tokens_per_call(alpha: float, gamma) -> np.ndarray:
    """(1 − α^{γ+1}) / (1 − α): expected tokens each target call yields (Leviathan et al. 2023)."""
    gamma = np.asarray(gamma, dtype=float)
    if alpha >= 1.0:
        return gamma + 1.0
    return (1.0 - alpha ** (gamma + 1.0)) / (1.0 - alpha)


def expected_speedup(alpha: float, gamma, c: float) -> np.ndarray:
    """(1 − α^{γ+1}) / ((1 − α)(γc + 1)): wall-clock gain over plain decoding with the target."""
    gamma = np.asarray(gamma, dtype=float)
    return expected_tokens_per_call(alpha, gamma) / (gamma * c + 1.0)


# --------------------------------------------------------------------------- the loop


def speculative_generate(target, draft, length: int, gamma: int, rng, stop=None):
    """Generate up to ``length`` token ids; ``target``/``draft`` map the ids so far to a distribution.

    Each step drafts γ tokens from ``draft``, scores the γ + 1 positions with one
    (notionally parallel) ``target`` call, keeps the accepted prefix, and adds one
    token from the target: the residual after a rejection, or a bonus token when
    every draft was accepted.  Returns (ids, steps); each step records the drafted
    ids, how many were accepted, the target's own id and the overlaps β of the
    positions that were checked.  ``stop`` (an id) ends generation once produced.
    """
    out, steps = [], []
    while len(out) < length:
        drafts, qs = [], []
        for _ in range(gamma):
            q = draft(out + drafts)
            drafts.append(draw(q, rng.random()))
            qs.append(q)
        ps = [target(out + drafts[:i]) for i in range(gamma + 1)]  # one parallel pass in a real model
        accepted, extra, betas = 0, None, []
        for i, x in enumerate(drafts):
            betas.append(overlap(ps[i], qs[i]))
            if rng.random() < acceptance_prob(ps[i], qs[i], x):
                accepted += 1
            else:
                extra = draw(residual(ps[i], qs[i]), rng.random())
                break
        if extra is None:
            extra = draw(ps[gamma], rng.random())
        steps.append({"drafts": drafts, "accepted": accepted, "extra": extra, "betas": betas})
        for tok in drafts[:accepted] + [extra]:
            if len(out) >= length:
                break
            out.append(tok)
            if stop is not None and tok == stop:
                return out, steps
    return out, steps


@lru_cache(maxsize=1024)
def _distribution(order: int, context: str, temperature: float) -> np.ndarray:
    """The course model's reshaped distribution; ``context`` is the history's last order − 1 characters.

    An order-n model only looks that far back, so this cache key is exact; it saves
    recomputing the same contexts (the drafts and their checks share many).
    """
    out = reshape(course_model(order).distribution(context), temperature)
    out.flags.writeable = False
    return out


def course_models(prompt: str, draft_order: int, temperature: float):
    """Target (order 3) and draft n-gram models as functions of the generated ids, and the vocabulary."""
    vocab = course_model(TARGET_ORDER).vocab
    assert course_model(draft_order).vocab == vocab  # both read the same corpus

    def wrap(order):
        def dist(ids):
            history = prompt + "".join(vocab[i] for i in ids[-(order - 1) :]) if order > 1 else ""
            return _distribution(order, history[-(order - 1) :] if order > 1 else "", temperature)

        return dist

    return wrap(TARGET_ORDER), wrap(draft_order), vocab


def generate_text(prompt, length, gamma, draft_order, temperature, seed):
    """The demo's generation: returns (generated text, steps with characters instead of ids)."""
    target, draft, vocab = course_models(prompt, draft_order, temperature)
    rng = np.random.default_rng(seed)
    ids, steps = speculative_generate(target, draft, length, gamma, rng, stop=vocab.index(END))
    for s in steps:
        s["drafts"] = [vocab[i] for i in s["drafts"]]
        s["extra"] = vocab[s["extra"]]
    return "".join(vocab[i] for i in ids), steps


def measure(steps, produced: int, gamma: int, c: float) -> dict:
    """Counts from a run: target calls, acceptance rate and the measured speed-up.

    Time is counted in target-call units: a plain decoder spends one call per
    token; speculative decoding spends one per step plus c per drafted token.
    """
    calls = len(steps)
    checked = sum(len(s["betas"]) for s in steps)
    accepted = sum(s["accepted"] for s in steps)
    betas = [b for s in steps for b in s["betas"]]
    alpha = accepted / checked if checked else 0.0
    spec_time = calls + c * gamma * calls
    return {
        "calls": calls,
        "checked": checked,
        "accepted": accepted,
        "alpha": alpha,
        "beta": float(np.mean(betas)) if betas else 0.0,
        "tokens_per_call": produced / calls if calls else 0.0,
        "speedup": produced / spec_time if spec_time else 0.0,
    }


def total_variation(a: np.ndarray, b: np.ndarray) -> float:
    """Total-variation distance ½·Σ|a − b| between two distributions on the same support."""
    return 0.5 * float(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)).sum())


def first_token_samples(prompt, gamma, draft_order, temperature, n, seed):
    """(exact target p, speculative frequencies, plain-sampling frequencies, vocab) of the next token.

    A round's first output token depends only on the first position: the draft x ~ q is kept
    with probability min(1, p(x)/q(x)), otherwise the token comes from the residual
    (with γ ≥ 1 there is always a first draft). Each speculative sample runs exactly that,
    with the same functions the generator uses; each plain sample draws from p directly.
    """
    target, draft, vocab = course_models(prompt, draft_order, temperature)
    rng = np.random.default_rng([seed, 1])  # separate stream: the generated text stays the same
    p, q = target([]), draft([])
    res = residual(p, q)
    spec = np.zeros(len(vocab))
    plain = np.zeros(len(vocab))
    for _ in range(n):
        x = draw(q, rng.random())
        keep = rng.random() < acceptance_prob(p, q, x)
        spec[x if keep else draw(res, rng.random())] += 1
        plain[draw(p, rng.random())] += 1
    return p, spec / n, plain / n, vocab


# --------------------------------------------------------------------------- the demo


def _split(step) -> tuple[str, str, str]:
    """Drafted tokens split into (accepted prefix, the rejected one, the discarded rest); "—" if none."""
    a, drafts = step["accepted"], [_show(t) for t in step["drafts"]]
    return ("".join(drafts[:a]) or "—", drafts[a] if a < len(drafts) else "—", "".join(drafts[a + 1 :]) or "—")


def _show(tok: str) -> str:
    return "␠" if tok == " " else tok


@demo_entry(PARAMS)
def run(prompt, length, gamma, draft_order, cost_ratio, temperature, seed, samples):
    """Per-step drafts, the text, measured vs theoretical tokens per call, and the speed-up curve."""
    text, steps = generate_text(prompt, length, gamma, draft_order, temperature, seed)
    m = measure(steps, len(text), gamma, cost_ratio)
    alpha = m["alpha"]
    # The theory column must not be fed by the measurement it is compared with: it uses the
    # expected acceptance rate β = Σmin(p, q) from the two models' distributions, not α.
    beta = m["beta"]
    theory_tpc = float(expected_tokens_per_call(beta, gamma))
    theory_speed = float(expected_speedup(beta, gamma, cost_ratio))

    rows = [[i + 1, *_split(s), _show(s["extra"]), s["accepted"] + 1] for i, s in enumerate(steps)]
    numbers = [
        ["生成字数", len(text), "—"],
        ["大模型调用", m["calls"], len(text)],
        ["检查/接受", f"{m['checked']} / {m['accepted']}", "—"],
        ["接受率 α", round(alpha, 3), round(m["beta"], 3)],
        ["每次调用产出", round(m["tokens_per_call"], 3), round(theory_tpc, 3)],
        ["加速比", round(m["speedup"], 3), round(theory_speed, 3)],
    ]
    best = int(GAMMAS[np.argmax(expected_speedup(beta, GAMMAS, cost_ratio))])
    extra = []
    if samples:
        p, spec, plain, vocab = first_token_samples(prompt, gamma, draft_order, temperature, samples, seed)
        top = np.argsort(-p, kind="stable")[:SHOW_CHARS]
        tv_spec, tv_plain = total_variation(spec, p), total_variation(plain, p)
        extra = [
            views.table(
                ["下一个字", "大模型的概率 p", "投机解码的频率", "直接采样的频率"],
                [
                    [_show(vocab[i]), round(float(p[i]), 4), round(float(spec[i]), 4), round(float(plain[i]), 4)]
                    for i in top
                ],
                title=f"采样 {samples} 次：「{prompt}」之后的第一个字",
            ),
            views.text(
                f"与大模型分布 p 的总变差距离（½·Σ|频率 − p|）：投机解码 {tv_spec:.4f}，直接从大模型采样 {tv_plain:.4f}。"
                "两者一样小：直接采样也有这么大的误差，它只是有限次采样的随机波动，N 越大越小。"
                "投机解码没有改变输出的分布，只是少调用了几次大模型。",
                title="投机解码的输出分布对不对",
            ),
        ]
    return [
        views.table(
            ["调用", "✓ 接受", "✗ 拒绝", "· 作废", "补上", "产出"],
            rows,
            title=f"小模型每次先猜 {gamma} 个字，大模型一次验收",
        ),
        views.text(prompt + text, title="生成结果（分布与大模型逐字生成相同）"),
        views.table(["指标", "实测", "理论"], numbers, title=f"实测与理论（c = {cost_ratio:g}）"),
        views.text(
            f"「理论」栏：大模型调用一行是逐字生成需要的次数；α 一行是按两个模型的分布算出的期望接受率"
            f" β = Σmin(p, q) 的平均；最后两行把 β = {beta:.3f}（而不是实测的 α = {alpha:.3f}）代入 "
            f"(1 − β^(γ+1)) / (1 − β) 和再除以 (γc + 1) 的公式，所以理论与实测是两个独立的数。"
            f"时间以「大模型算一次」为单位，小模型每猜一个字花 c。",
            title="怎么读这些数",
        ),
        views.line(
            GAMMAS,
            {
                "每次调用产出的字数": expected_tokens_per_call(beta, GAMMAS),
                "加速比": expected_speedup(beta, GAMMAS, cost_ratio),
            },
            title=f"理论曲线（期望接受率 {beta:.2f}，c = {cost_ratio:g}）：γ = {best} 最划算",
            xlabel="草稿长度 γ",
            ylabel="倍数",
            marks=[(gamma, theory_speed, f"当前 γ = {gamma}")],
        ),
    ] + extra


PYODIDE_CASES = [
    {"draft_order": 1, "gamma": 8, "cost_ratio": 0.5, "seed": 7, "samples": 300},
    {"temperature": 0.0, "prompt": "台湾最高的山是", "length": 10},
]

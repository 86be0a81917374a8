"""RLHF in miniature: pairwise comparisons → Bradley–Terry reward model → KL-penalised policy ascent (chapter 6)."""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._params import Choice, DemoError, Float, Int, demo_entry

TITLE = "RLHF 微缩版：从两两比较到奖励模型，再到讨好它的策略"

PROMPT = "我最近总是失眠，有什么办法？"

# The K candidate answers to PROMPT: short label, what the answer does, hidden true
# preference score (mean 0), and how often the reference (SFT) model says it.
ANSWERS = (
    ("具体建议", "给出作息、光线、咖啡因等可操作的建议", 1.6, 0.15),
    ("简短正确", "说得对，但只有一两句", 1.1, 0.30),
    ("冗长有用", "有用，但绕了很多弯", 0.7, 0.25),
    ("泛泛而谈", "「注意休息、放松心情」之类的套话", -0.5, 0.15),
    ("满篇恭维", "先大段夸提问者，再附一点建议", 0.3, 0.03),
    ("只劝就医", "只说「请去看医生」，别的不谈", -0.1, 0.03),
    ("拒绝回答", "「我无法提供医疗建议」", -1.0, 0.05),
    ("编造研究", "自信地引用并不存在的研究", -1.6, 0.04),
)
LABELS = tuple(a[0] for a in ANSWERS)
K = len(ANSWERS)
TRUE_SCORES = np.array([a[2] for a in ANSWERS]) - np.mean([a[2] for a in ANSWERS])
REF_PROBS = np.array([a[3] for a in ANSWERS]) / np.sum([a[3] for a in ANSWERS])

L2 = 0.1  # Gaussian prior on each learned score: keeps "won its only comparison" finite
FIT_ITERS = 4000  # upper bound on reward-model iterations (it stops earlier once converged)
FIT_TOL = 1e-10  # stop when no score moves more than this in one iteration
SNAPSHOTS = 21  # heatmap rows
LINE_POINTS = 201  # points per line chart at most
MAX_LR_BETA = 4.0  # beyond this the KL term's step overshoots (checked in the tests: 5 already oscillates)

PARAMS = {
    "comparisons": Int(
        30, 5, 5000, label="人类比较次数", help="标注者做了多少次「两个回答哪个好」的判断；越多，奖励模型越准"
    ),
    "pairs": Choice(
        "policy",
        choices=("policy", "uniform"),
        label="拿哪些回答去比",
        labels={"policy": "参考模型常说的（按其概率抽）", "uniform": "八个回答机会均等"},
        help="实际做法是让模型自己生成回答再请人比较，所以冷门回答很少被比到",
    ),
    "beta": Float(0.05, 0.0, 2.0, 0.01, label="KL 惩罚 β", help="策略偏离参考模型要付的代价；0 表示不拦着"),
    "steps": Int(300, 10, 1000, label="训练步数", help="策略做多少次梯度上升"),
    "lr": Float(3.0, 0.1, 10.0, 0.1, label="学习率", help="每一步沿梯度走多远；学习率 × β 不能超过 4，否则会震荡"),
    "seed": Int(
        6, 0, 9999, label="随机种子", help="决定抽到哪些回答对、标注者在每一对上怎么选；同样的种子结果完全一样"
    ),
}

PYODIDE_CASES = [
    {"comparisons": 5000, "beta": 0.5},
    {"pairs": "uniform", "beta": 0.0, "steps": 1000, "seed": 7},
]


# --------------------------------------------------------------------------- small pure functions


def softmax(z):
    """Probabilities from logits (shifted by the max for numerical safety)."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max())
    return e / e.sum()


def sigmoid(x):
    """The logistic function σ(x) = 1 / (1 + e^{-x})."""
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def sample_pairs(probs, n, rng):
    """``n`` pairs of distinct answers: the first drawn from ``probs``, the second from ``probs`` without it."""
    probs = np.asarray(probs, dtype=float)
    first = rng.choice(len(probs), size=n, p=probs)
    rest = np.tile(probs, (n, 1))
    rest[np.arange(n), first] = 0.0
    cdf = np.cumsum(rest / rest.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(n)
    second = np.minimum((cdf < u[:, None]).sum(axis=1), len(probs) - 1)
    return first, second


def simulate_comparisons(true_scores, probs, n, rng):
    """Win counts ``W[a, b]`` = how often a labeller preferred a over b.

    Labellers follow the Bradley–Terry model with the hidden true scores:
    P(a ≻ b) = σ(s_a − s_b), so close calls are often decided "wrongly".
    """
    a, b = sample_pairs(probs, n, rng)
    a_wins = rng.random(n) < sigmoid(true_scores[a] - true_scores[b])
    winners = np.where(a_wins, a, b)
    losers = np.where(a_wins, b, a)
    wins = np.zeros((len(true_scores), len(true_scores)))
    np.add.at(wins, (winners, losers), 1.0)
    return wins


def bt_log_likelihood(r, wins, l2=L2):
    """Σ W[a,b]·log σ(r_a − r_b) − (l2/2)·Σ r²: the reward model's training objective."""
    r = np.asarray(r, dtype=float)
    diff = r[:, None] - r[None, :]
    return float(np.sum(wins * -np.logaddexp(0.0, -diff)) - 0.5 * l2 * np.sum(r * r))


def bt_gradient(r, wins, l2=L2):
    """Gradient of :func:`bt_log_likelihood`: for each answer, wins not yet 'explained' minus losses."""
    p = sigmoid(r[:, None] - r[None, :])  # p[a, b] = σ(r_a − r_b)
    return (wins * (1.0 - p)).sum(axis=1) - (wins.T * p).sum(axis=1) - l2 * r


def fit_reward_model(wins, l2=L2, iters=FIT_ITERS, tol=FIT_TOL):
    """Scores maximising the Bradley–Terry log-likelihood, by (per-answer scaled) gradient ascent.

    Each answer's step is 1 / (l2 + its number of comparisons / 2), a safe bound on the
    curvature (σ' ≤ 1/4), so rarely compared answers still converge quickly.  The optimum has
    mean 0 (the data's gradient sums to 0 over the answers, so the prior's −l2·Σr must vanish
    too), and the likelihood ignores a common shift, so the scores are re-centred after each
    step.  Returns (scores, iterations used).
    """
    wins = np.asarray(wins, dtype=float)
    seen = wins + wins.T
    step = 1.0 / (l2 + seen.sum(axis=1) / 2.0)
    r = np.zeros(len(wins))
    for it in range(1, iters + 1):  # noqa: B007 (the count is returned)
        move = step * bt_gradient(r, wins, l2)
        r = r + move
        r = r - r.mean()  # shifting all scores leaves the data's fit unchanged and can only help the prior
        if np.max(np.abs(move)) < tol:
            break
    return r, it


def kl_divergence(p, q):
    """KL(p‖q) = Σ p·log(p/q) in nats (terms with p = 0 count as 0)."""
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    mask = p > 0
    return float(np.sum(p[mask] * (np.log(p[mask]) - np.log(q[mask]))))


def objective(p, reward, ref, beta):
    """E_π[r̂] − β·KL(π‖π_ref): what the policy is trained to maximise."""
    return float(p @ reward) - beta * kl_divergence(p, ref)


def objective_gradient(logits, reward, ref, beta):
    """Exact gradient of :func:`objective` with respect to the policy's logits.

    With g_a = r̂_a − β·log(π_a / π_ref,a), the gradient is π_a·(g_a − E_π[g]).
    """
    p = softmax(logits)
    g = reward - beta * (np.log(p) - np.log(ref))
    return p * (g - p @ g)


def optimal_policy(reward, ref, beta):
    """Closed-form maximiser of E_π[r̂] − β·KL(π‖π_ref): π* ∝ π_ref·exp(r̂/β) (β > 0)."""
    return softmax(np.log(ref) + np.asarray(reward, dtype=float) / beta)


def train_policy(reward, ref, beta, steps, lr):
    """Gradient ascent on the logits, starting at the reference; returns π after each step (steps+1 rows)."""
    logits = np.log(ref)
    history = np.empty((steps + 1, len(ref)))
    history[0] = softmax(logits)
    for t in range(1, steps + 1):
        logits = logits + lr * objective_gradient(logits, reward, ref, beta)
        history[t] = softmax(logits)
    return history


def curves(history, reward, true_scores, ref):
    """Per step: expected true score, expected learned reward, KL to the reference."""
    true_curve = history @ true_scores
    learned_curve = history @ reward
    kl = np.array([kl_divergence(p, ref) for p in history])
    return true_curve, learned_curve, kl


def _thin(n, most):
    """At most ``most`` evenly spread indices of range(n), always including the first and last."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, most)).astype(int))


# --------------------------------------------------------------------------- the demo


@demo_entry(PARAMS)
def run(comparisons, pairs, beta, steps, lr, seed):
    """Simulate labels, fit the reward model, optimise the policy; views: summary, table, curves, heatmap."""
    if lr * beta > MAX_LR_BETA:
        raise DemoError(
            f"学习率 × β = {lr * beta:g}，超过了 {MAX_LR_BETA:g}：KL 项每一步的拉力太猛，"
            "策略会在最优点两侧来回震荡。请调小学习率或 β。",
            param="lr",
        )
    rng = np.random.default_rng(seed)
    probs = REF_PROBS if pairs == "policy" else np.full(K, 1.0 / K)
    wins = simulate_comparisons(TRUE_SCORES, probs, comparisons, rng)
    reward, _ = fit_reward_model(wins)
    history = train_policy(reward, REF_PROBS, beta, steps, lr)
    true_curve, learned_curve, kl = curves(history, reward, TRUE_SCORES, REF_PROBS)

    peak = int(np.argmax(true_curve))
    top = int(np.argmax(reward))
    true_rank = int(np.sum(TRUE_SCORES > TRUE_SCORES[top])) + 1
    seen = (wins + wins.T).sum(axis=1)
    final = history[-1]
    star = optimal_policy(reward, REF_PROBS, beta) if beta > 0 else np.eye(K)[top]

    lines = [
        f"问题：「{PROMPT}」。标注者一共比较了 {comparisons} 对回答。",
        f"奖励模型最看好「{LABELS[top]}」（它被比较过 {int(seen[top])} 次；真实排名第 {true_rank}）。",
        f"真人眼中的期望得分：开始时 {true_curve[0]:.2f}，第 {peak} 步达到最高 {true_curve[peak]:.2f}，"
        f"训练结束时 {true_curve[-1]:.2f}；奖励模型给的分则从 {learned_curve[0]:.2f} 涨到 {learned_curve[-1]:.2f}，"
        f"KL = {kl[-1]:.2f}。",
    ]
    drop = true_curve[peak] - true_curve[-1]
    if drop > 0.1:
        lines.append(
            f"先升后降：后 {steps - peak} 步里奖励模型的分数还在涨，真人的满意度却掉了 {drop:.2f}。"
            "策略在讨好奖励模型的错误。"
        )
    elif true_rank == 1:
        lines.append("奖励模型认对了最好的回答，越优化越好。")
    elif final[top] > 0.5:
        lines.append("奖励模型选中的回答不是真正最好的，但也不差，所以真人的满意度没有回落。")
    elif np.max(np.abs(final - star)) < 0.05:
        lines.append("奖励模型虽然看走了眼，但 KL 惩罚让策略停在参考模型附近，没有一路奔向它的错处。")
    else:
        lead = int(np.argmax(final))
        lines.append(
            f"策略还没走到理论最优 π*：它先集中到了「{LABELS[lead]}」上，奖励模型最看好的回答概率已小到"
            "梯度几乎为零，要很多步才翻得过来（β > 0 时，KL 项不让任何回答的概率缩到零）。"
        )

    shown = _thin(steps + 1, LINE_POINTS)
    rows = _thin(steps + 1, SNAPSHOTS)
    table_rows = [
        [
            LABELS[a],
            round(float(TRUE_SCORES[a]), 2),
            round(float(reward[a]), 2),
            int(seen[a]),
            round(float(REF_PROBS[a]), 3),
            round(float(final[a]), 3),
            round(float(star[a]), 3),
        ]
        for a in range(K)
    ]
    return [
        views.text("\n".join(lines), title="发生了什么"),
        views.table(
            ["回答", "真实分", "奖励模型分", "比较次数", "π_ref", "训练后 π", "π*"],
            table_rows,
            title="八个回答：真实分、奖励模型的估计、策略概率（π* 为理论最优）",
        ),
        views.line(
            shown,
            {"真人眼中的期望得分": true_curve[shown], "奖励模型给的期望得分": learned_curve[shown]},
            title="优化奖励模型：它的分一路上涨，真人的感受未必",
            xlabel="训练步数",
            ylabel="期望得分",
            marks=[(peak, true_curve[peak], "真人最满意")],
        ),
        views.line(
            shown, {"KL(π‖π_ref)": kl[shown]}, title="策略离参考模型有多远", xlabel="训练步数", ylabel="KL（nats）"
        ),
        views.heatmap(
            history[rows], rows=[f"第 {t} 步" for t in rows], cols=LABELS, title="策略的概率分布随训练的变化"
        ),
    ]

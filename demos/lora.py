"""LoRA 与全量微调、只调偏置：用秩 r 的 B·A 去逼近任务需要的改变 ΔW，并算多任务的存储账 (chapter 4)."""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._params import Choice, DemoError, Float, Int, demo_entry

TITLE = "LoRA：用两个瘦矩阵逼近一次微调"

PARAMS = {
    "d": Int(32, 8, 64, label="矩阵维度 d", help="被冻结的权重 W 是 d×d；全量微调要训练 d² 个数"),
    "rank": Int(4, 1, 16, label="LoRA 的秩 r", help="ΔW 用 B（d×r）乘 A（r×d）表示，可训练参数 2rd 个"),
    "decay": Float(
        0.6,
        0.1,
        1.0,
        0.05,
        label="奇异值衰减率",
        help="ΔW 第 k 个奇异值正比于 衰减率^k；越小越「低秩」，1 表示毫不衰减",
    ),
    "noise": Float(
        0.1, 0.0, 1.0, 0.05, label="数据噪声", help="训练数据 Y 的每个数加上的高斯噪声的标准差（信号每个数约为 1）"
    ),
    "samples": Int(256, 8, 1024, label="训练样本数 n", help="输入 X 是 n×d 的标准正态随机数"),
    "steps": Int(300, 10, 1000, label="梯度下降步数", help="三种做法都从「完全不改」出发，走同样多步"),
    "seed": Int(0, 0, 99999, label="随机种子", help="决定 W、ΔW 的方向、训练数据和 A 的初值"),
    "tasks": Int(100, 1, 10000, label="任务数 N", help="存储计算器：要为多少个任务各存一份微调结果"),
    "model_b": Float(7.0, 0.1, 1000.0, 0.1, label="基础模型参数量（十亿）", help="存储计算器：例如 7 表示 70 亿个参数"),
    "model_dim": Int(
        4096, 64, 32768, label="隐藏层宽度 d_model", help="存储计算器：注意力里 Wq、Wk、Wv、Wo 都是 d_model×d_model"
    ),
    "layers": Int(32, 1, 200, label="层数", help="存储计算器：Transformer 层数"),
    "dtype": Choice(
        "fp16",
        choices=("fp32", "fp16", "int8"),
        labels={"fp32": "fp32（4 字节）", "fp16": "fp16 / bf16（2 字节）", "int8": "int8（1 字节）"},
        label="每个参数的存法",
        help="存储计算器：每个参数占几个字节",
    ),
}

BYTES = {"fp32": 4, "fp16": 2, "int8": 1}
SWEEP = (1, 2, 4, 8, 16)  # ranks trained for the error-vs-rank curve
CURVE_POINTS = 40  # points kept of each training curve
PYODIDE_CASES = [
    {"d": 64, "rank": 16, "decay": 0.9, "samples": 512, "steps": 1000},
    {"d": 8, "rank": 8, "decay": 1.0, "noise": 0.5, "samples": 8, "dtype": "fp32", "tasks": 1},
]


# --------------------------------------------------------------------------- the task


def spectrum(d, decay):
    """Singular values s_k ∝ decay**k (k = 0..d-1), scaled so that ||ΔW||_F = sqrt(d)."""
    s = decay ** np.arange(d, dtype=float)
    return s * np.sqrt(d) / np.sqrt(np.sum(s * s))


def random_orthogonal(d, rng):
    """A d×d orthogonal matrix from the QR of a Gaussian matrix, signs fixed so it is unique."""
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    return q * np.where(np.diag(r) < 0, -1.0, 1.0)


def make_task(d, decay, noise, samples, seed):
    """Frozen W, the needed change ΔW = U diag(s) Vᵀ, and data Y = X (W+ΔW)ᵀ + noise."""
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((d, d)) / np.sqrt(d)
    s = spectrum(d, decay)
    U, V = random_orthogonal(d, rng), random_orthogonal(d, rng)
    dW = (U * s) @ V.T
    X = rng.standard_normal((samples, d))
    Y = X @ (W + dW).T + noise * rng.standard_normal((samples, d))
    return {"W": W, "dW": dW, "s": s, "X": X, "Y": Y, "rng": rng}


def moments(X, Y, W):
    """Σ = XᵀX/n and C = R̃ᵀX/n for the residual target R̃ = Y − X Wᵀ (W stays frozen)."""
    n = X.shape[0]
    R = Y - X @ W.T
    return X.T @ X / n, R.T @ X / n, R.mean(axis=0)


def svd_bound(s, r):
    """Eckart–Young: the smallest ||ΔW − M||_F over rank-r M is sqrt(sum of the dropped s_k²)."""
    s = np.sort(np.asarray(s, dtype=float))[::-1]
    return float(np.sqrt(np.sum(s[r:] ** 2)))


def output_error(dW, dW_hat, b_hat=None):
    """sqrt(E||(ΔŴ−ΔW)x + b̂||²) for x ~ N(0, I): ||ΔŴ−ΔW||_F² + ||b̂||² under the root."""
    err = float(np.sum((dW_hat - dW) ** 2))
    if b_hat is not None:
        err += float(np.sum(b_hat**2))
    return float(np.sqrt(err))


# --------------------------------------------------------------------------- training


def _record_every(steps):
    return max(1, steps // CURVE_POINTS)


def train_full(S, C, steps):
    """Full fine-tuning: gradient descent on all d² entries of Δ, from Δ = 0 (i.e. from W).

    Loss ½·mean‖R̃ − XΔᵀ‖² has gradient ΔΣ − C; the step 1/λmax(Σ) is the largest safe one.
    """
    lr = 1.0 / float(np.linalg.eigvalsh(S)[-1])
    D = np.zeros_like(C)
    path = [D.copy()]
    every = _record_every(steps)
    for t in range(1, steps + 1):
        D -= lr * (D @ S - C)
        if t % every == 0 or t == steps:
            path.append(D.copy())
    return D, path


def lora_init(d, rank, rng):
    """LoRA's start (Hu et al. 2021): A Gaussian, B zero, so B·A = 0 before training."""
    return np.zeros((d, rank)), rng.standard_normal((rank, d)) / np.sqrt(d)


def lora_step_size(S, C, A0):
    """A safe step for the factored loss: its curvature is about λmax(Σ)·(‖A‖² + ‖B‖²).

    ‖B·A‖ ends near ‖C‖ (C ≈ ΔW·Σ), and A starts at ‖A0‖, so both enter the bound.
    """
    lam = float(np.linalg.eigvalsh(S)[-1])
    return 0.8 / (lam * (float(np.linalg.norm(C, 2)) + float(np.linalg.norm(A0, 2)) ** 2))


def train_lora(S, C, B, A, steps, lr=None):
    """Gradient descent on B (d×r) and A (r×d) only; W stays frozen. Returns B, A, path of B·A."""
    if lr is None:
        lr = lora_step_size(S, C, A)
    B, A = B.copy(), A.copy()
    path = [B @ A]
    every = _record_every(steps)
    for t in range(1, steps + 1):
        G = B @ (A @ S) - C  # gradient of the loss with respect to Δ = B·A
        B, A = B - lr * (G @ A.T), A - lr * (B.T @ G)
        if t % every == 0 or t == steps:
            path.append(B @ A)
    return B, A, path


def train_bias(mean_residual, steps, lr=0.5):
    """BitFit-style: only a bias vector b is trained; its gradient is b − mean(R̃)."""
    b = np.zeros_like(mean_residual)
    path = [b.copy()]
    every = _record_every(steps)
    for t in range(1, steps + 1):
        b -= lr * (b - mean_residual)
        if t % every == 0 or t == steps:
            path.append(b.copy())
    return b, path


def curve_steps(steps):
    """The step numbers at which the training functions record their state."""
    every = _record_every(steps)
    marks = list(range(every, steps + 1, every))
    if not marks or marks[-1] != steps:
        marks.append(steps)
    return [0] + marks


# --------------------------------------------------------------------------- counting


def param_counts(d, rank):
    """Trainable numbers for one d×d matrix: full d², LoRA r·2d, bias-only d."""
    return {"full": d * d, "lora": 2 * rank * d, "bias": d}


def storage(tasks, model_params, model_dim, layers, rank, bytes_per):
    """Bytes to keep N fine-tuned versions of a model, three ways.

    full: N complete copies.  LoRA on Wq, Wk, Wv, Wo (or only Wq, Wv): one shared base
    model plus, per task, layers × matrices × r·(d_model + d_model) numbers.
    """
    per_matrix = rank * 2 * model_dim
    lora_all = layers * 4 * per_matrix
    lora_qv = layers * 2 * per_matrix
    base = model_params * bytes_per
    return {
        "full_per_task": model_params * bytes_per,
        "full_total": tasks * model_params * bytes_per,
        "lora_all_per_task": lora_all * bytes_per,
        "lora_all_total": base + tasks * lora_all * bytes_per,
        "lora_qv_per_task": lora_qv * bytes_per,
        "lora_qv_total": base + tasks * lora_qv * bytes_per,
        "lora_all_params": lora_all,
        "lora_qv_params": lora_qv,
    }


def human_bytes(n):
    """Bytes in decimal units (1 GB = 10⁹ bytes), three significant digits."""
    for unit, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:.0f} B"


# --------------------------------------------------------------------------- the demo


@demo_entry(PARAMS)
def run(d, rank, decay, noise, samples, steps, seed, tasks, model_b, model_dim, layers, dtype):
    """Fit ΔW three ways; views: comparison table, error vs rank, training curves, spectrum, storage."""
    if rank > d:
        raise DemoError(f"秩 r = {rank} 不能超过矩阵维度 d = {d}：d×d 矩阵的秩最多是 d。", param="rank")
    if samples < d:
        raise DemoError(
            f"样本数 n = {samples} 少于维度 d = {d}：全量微调有 d² = {d * d} 个未知数，"
            f"而数据只提供 n·d = {samples * d} 个方程，解不唯一。请把 n 调到至少 d。",
            param="samples",
        )
    model_params = model_b * 1e9
    attention = layers * 4 * model_dim * model_dim
    if attention > model_params:
        raise DemoError(
            f"{layers} 层、宽 {model_dim} 的注意力矩阵就有 {attention / 1e9:.3g} 十亿个参数，"
            f"超过了整个模型的 {model_b:g} 十亿，请调大参数量或调小宽度、层数。",
            param="model_b",
        )

    task = make_task(d, decay, noise, samples, seed)
    dW, s = task["dW"], task["s"]
    norm = float(np.sqrt(np.sum(dW**2)))
    S, C, mean_res = moments(task["X"], task["Y"], task["W"])

    D_full, full_path = train_full(S, C, steps)
    B0, A0 = lora_init(d, max(SWEEP[-1], rank), task["rng"])
    lr = lora_step_size(S, C, A0[:rank])
    B, A, lora_path = train_lora(S, C, B0[:, :rank], A0[:rank], steps, lr)
    b, bias_path = train_bias(mean_res, steps)

    pct = lambda e: 100.0 * e / norm  # noqa: E731 - relative error in percent
    err_full = pct(output_error(dW, D_full))
    err_lora = pct(output_error(dW, B @ A))
    err_bias = pct(output_error(dW, np.zeros_like(dW), b))
    bound = pct(svd_bound(s, rank))
    counts = param_counts(d, rank)

    table = views.table(
        ["做法", "参数个数", "公式", "占 d²", "误差 %"],
        [
            ["不微调", 0, "0", "0%", 100.0],
            ["全量微调", counts["full"], "d²", "100%", err_full],
            [f"LoRA r={rank}", counts["lora"], "2rd", f"{100 * counts['lora'] / counts['full']:.3g}%", err_lora],
            ["只调偏置", counts["bias"], "d", f"{100 * counts['bias'] / counts['full']:.3g}%", err_bias],
            [f"SVD 下限 r={rank}", "—", "—", "—", bound],
        ],
        title=f"d = {d}：训练多少个数，离 ΔW 多远",
    )

    ranks = sorted({r for r in SWEEP if r <= d} | {rank})
    lora_sweep = []
    for r in ranks:
        Br, Ar, _ = train_lora(S, C, B0[:, :r], A0[:r], steps, lora_step_size(S, C, A0[:r]))
        lora_sweep.append(pct(output_error(dW, Br @ Ar)))
    rank_view = views.line(
        ranks,
        {
            "LoRA 梯度下降的结果": lora_sweep,
            "截断 SVD 下限（Eckart–Young）": [pct(svd_bound(s, r)) for r in ranks],
            "全量微调": [err_full] * len(ranks),
        },
        title="误差随秩 r 的变化",
        xlabel="LoRA 的秩 r",
        ylabel="相对误差 %",
        marks=[(rank, err_lora, f"r = {rank}")],
    )

    xs = curve_steps(steps)
    curve = views.line(
        xs,
        {
            "全量微调": [pct(output_error(dW, D)) for D in full_path],
            f"LoRA（秩 {rank}）": [pct(output_error(dW, M)) for M in lora_path],
            "只调偏置": [pct(output_error(dW, np.zeros_like(dW), v)) for v in bias_path],
        },
        title="训练过程（都从 100% 出发）",
        xlabel="梯度下降步数",
        ylabel="相对误差 %",
    )

    shown = min(d, 32)
    energy = np.cumsum(s**2) / np.sum(s**2)
    spectrum_view = views.bars(
        [str(k + 1) for k in range(shown)],
        s[:shown],
        title=f"ΔW 的奇异值：前 {rank} 个占 {100 * energy[rank - 1]:.1f}% 能量",
        ylabel="奇异值",
        highlight=rank - 1,
    )

    bpp = BYTES[dtype]
    st = storage(tasks, model_params, model_dim, layers, rank, bpp)
    store = views.table(
        ["方案", "每个任务", "总计", "≈几份模型"],
        [
            ["整份复制", human_bytes(st["full_per_task"]), human_bytes(st["full_total"]), tasks],
            [
                f"LoRA qkvo r={rank}",
                human_bytes(st["lora_all_per_task"]),
                human_bytes(st["lora_all_total"]),
                st["lora_all_total"] / st["full_per_task"],
            ],
            [
                f"LoRA qv r={rank}",
                human_bytes(st["lora_qv_per_task"]),
                human_bytes(st["lora_qv_total"]),
                st["lora_qv_total"] / st["full_per_task"],
            ],
        ],
        title=f"存储：{model_b:g}B 参数 × {bpp} 字节，{tasks} 个任务",
    )

    arithmetic = views.text(
        f"一份完整模型：{model_b:g}×10⁹ 个参数 × {bpp} 字节 = {human_bytes(st['full_per_task'])}。"
        f"LoRA 每个矩阵加 r×(d_model + d_model) = {rank}×{2 * model_dim} = {rank * 2 * model_dim:,} 个参数；"
        f"每层 4 个矩阵、共 {layers} 层，就是 {st['lora_all_params']:,} 个参数，"
        f"乘 {bpp} 字节 = {human_bytes(st['lora_all_per_task'])}，"
        f"约为完整模型的 {100 * st['lora_all_per_task'] / st['full_per_task']:.3g}%。",
        title="存储的算式",
    )
    return [table, rank_view, curve, spectrum_view, store, arithmetic]

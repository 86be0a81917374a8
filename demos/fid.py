"""FID on toy Gaussian features: the closed form, its estimate from n samples, and the small-n bias (chapter 8)."""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._params import DemoError, Float, Int, demo_entry

TITLE = "FID：两团特征有多远，要多少张图才量得准"

PARAMS = {
    "dim": Int(8, 2, 16, label="特征维度 d", help="每张图片被压成 d 个数；真正的 FID 用 Inception 的 2048 维"),
    "shift": Float(0.5, 0.0, 3.0, 0.1, label="均值偏移", help="生成特征沿第一维整体挪动多少（真实特征的均值在原点）"),
    "spread": Float(
        0.8, 0.2, 3.0, 0.1, label="标准差比", help="生成特征的标准差 ÷ 真实特征的标准差；小于 1 表示生成结果不够多样"
    ),
    "n": Int(200, 10, 5000, label="样本数 n", help="真实与生成各取 n 张图的特征来估计 FID；必须大于维度 d"),
    "repeats": Int(20, 5, 50, label="重复次数", help="每个 n 重新采样多少次，用来看估计值的平均和波动"),
    "seed": Int(0, 0, 99999, label="随机种子", help="同样的种子、同样的设置，结果完全一样"),
}

PYODIDE_CASES = [
    {"dim": 16, "n": 5000, "repeats": 10, "shift": 1.0, "spread": 0.5},
    {"dim": 2, "n": 10, "shift": 0.0, "spread": 1.0, "seed": 7},
]

FUZZ_EXAMPLES = 25  # the largest settings take ~1 s on CPython

GRID = (10, 20, 50, 100, 200, 500, 1000, 2000)  # sample counts along the curve (+ the reader's n)
SHOW = 400  # points per cloud in the scatter


# ----------------------------------------------------------------- linear algebra


def sqrtm_psd(a):
    """Square root of a symmetric positive semi-definite matrix (or a stack of them), via eigh.

    Tiny negative eigenvalues from rounding are clipped to 0, so the result is real.
    """
    a = np.asarray(a, dtype=float)
    a = (a + np.swapaxes(a, -1, -2)) / 2
    w, v = np.linalg.eigh(a)
    root = np.sqrt(np.clip(w, 0.0, None))
    return (v * root[..., None, :]) @ np.swapaxes(v, -1, -2)


def trace_sqrt_product(cov1, cov2):
    """Tr((Σ₁Σ₂)^{1/2}) through the symmetric form Tr((Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}).

    Σ₁Σ₂ and Σ₁^{1/2}Σ₂Σ₁^{1/2} are similar, so they share eigenvalues; the second is
    symmetric PSD, so its eigenvalues are real and ≥ 0 and the trace of its root is the
    sum of their square roots.  Works on stacks of matrices.
    """
    s1 = sqrtm_psd(cov1)
    m = s1 @ np.asarray(cov2, dtype=float) @ s1
    m = (m + np.swapaxes(m, -1, -2)) / 2
    return np.sqrt(np.clip(np.linalg.eigvalsh(m), 0.0, None)).sum(axis=-1)


def frechet_parts(mu1, cov1, mu2, cov2):
    """(mean term ‖μ₁−μ₂‖², covariance term Tr(Σ₁+Σ₂−2(Σ₁Σ₂)^{1/2})); stacks allowed."""
    mu1, mu2 = np.asarray(mu1, dtype=float), np.asarray(mu2, dtype=float)
    cov1, cov2 = np.asarray(cov1, dtype=float), np.asarray(cov2, dtype=float)
    mean_term = ((mu1 - mu2) ** 2).sum(axis=-1)
    trace = np.trace(cov1, axis1=-2, axis2=-1) + np.trace(cov2, axis1=-2, axis2=-1)
    cov_term = np.clip(trace - 2 * trace_sqrt_product(cov1, cov2), 0.0, None)
    return mean_term, cov_term


def frechet_distance(mu1, cov1, mu2, cov2):
    """Fréchet distance between N(μ₁, Σ₁) and N(μ₂, Σ₂): the number FID reports."""
    mean_term, cov_term = frechet_parts(mu1, cov1, mu2, cov2)
    return mean_term + cov_term


# ----------------------------------------------------------------- the toy world


def true_stats(dim, shift, spread):
    """Real features ~ N(0, I); generated ~ N(shift·e₁, spread²·I)."""
    mu_real, mu_gen = np.zeros(dim), np.zeros(dim)
    mu_gen[0] = shift
    return mu_real, np.eye(dim), mu_gen, spread**2 * np.eye(dim)


def sample_stats(x):
    """Sample mean and covariance (ddof = 1, as the reference FID code) of (…, n, d) features."""
    x = np.asarray(x, dtype=float)
    mu = x.mean(axis=-2)
    c = x - mu[..., None, :]
    cov = np.swapaxes(c, -1, -2) @ c / (x.shape[-2] - 1)
    return mu, cov


def draw(rng, repeats, n, dim, shift, spread):
    """``repeats`` independent pairs of clouds, each (repeats, n, dim): (real, generated)."""
    real = rng.standard_normal((repeats, n, dim))
    gen = spread * rng.standard_normal((repeats, n, dim))
    gen[..., 0] += shift
    return real, gen


def estimate_parts(real, gen):
    """FID's two terms estimated from samples: fit a Gaussian to each cloud, use the closed form."""
    mu1, cov1 = sample_stats(real)
    mu2, cov2 = sample_stats(gen)
    return frechet_parts(mu1, cov1, mu2, cov2)


def estimate_fid(real, gen):
    """FID estimated from samples (the sum of :func:`estimate_parts`)."""
    mean_term, cov_term = estimate_parts(real, gen)
    return mean_term + cov_term


def fid_curve(dim, shift, spread, ns, repeats, seed):
    """Estimated (mean term, covariance term), each (len(ns), repeats), and the first draw per n."""
    rng = np.random.default_rng(seed)
    mean_terms, cov_terms, first = np.empty((len(ns), repeats)), np.empty((len(ns), repeats)), {}
    for i, n in enumerate(ns):
        real, gen = draw(rng, repeats, n, dim, shift, spread)
        mean_terms[i], cov_terms[i] = estimate_parts(real, gen)
        first[n] = (real[0], gen[0])
    return mean_terms, cov_terms, first


def grid_for(n, dim):
    """The sample counts on the curve: the fixed grid above ``dim``, plus the reader's n."""
    return sorted({g for g in GRID if g > dim} | {n})


@demo_entry(PARAMS)
def run(dim, shift, spread, n, repeats, seed):
    """Views: the two clouds, the estimate vs n against the true value, and the numbers at n."""
    if n <= dim:
        raise DemoError(
            f"样本数 n（{n}）必须大于特征维度 d（{dim}）：否则样本协方差矩阵不满秩，"
            "FID 的参考实现也要求样本数多于特征维度。",
            param="n",
        )
    mu1, cov1, mu2, cov2 = true_stats(dim, shift, spread)
    mean_true, cov_true = (float(v) for v in frechet_parts(mu1, cov1, mu2, cov2))
    truth = mean_true + cov_true

    ns = grid_for(n, dim)
    mean_terms, cov_terms, first = fid_curve(dim, shift, spread, ns, repeats, seed)
    est = mean_terms + cov_terms
    mean, std = est.mean(axis=1), est.std(axis=1, ddof=1)
    k = ns.index(n)

    real, gen = first[n]
    cloud = views.scatter(
        {"真实图片的特征": real[:SHOW, :2], "生成图片的特征": gen[:SHOW, :2]},
        title=f"前两维的散点（各画 {min(n, SHOW)} 个，共 {n} 个样本）",
    )
    curve = views.line(
        ns,
        {
            "真实 FID（公式）": np.full(len(ns), truth),
            "估计值的平均": mean,
            "平均 + 1 个标准差": mean + std,
            "平均 − 1 个标准差": mean - std,
        },
        title=f"用 n 个样本估计 FID（每个 n 重复 {repeats} 次）",
        xlabel="样本数 n（对数刻度）",
        ylabel="FID",
        marks=[(n, mean[k], f"n = {n}")],
        logx=True,
    )

    expected_mean_term = shift**2 + dim * (1 + spread**2) / n
    rows = [
        ["FID", truth, mean[k], std[k], "—"],
        ["均值项", mean_true, mean_terms[k].mean(), mean_terms[k].std(ddof=1), expected_mean_term],
        ["协方差项", cov_true, cov_terms[k].mean(), cov_terms[k].std(ddof=1), "—"],
    ]
    table = views.table(
        ["", "真实值", "估计的平均", "估计的标准差", "理论期望"],
        rows,
        title=f"n = {n} 时的数字（均值项的理论期望为 δ² + d(1+s²)/n）",
    )

    bias = mean[k] - truth
    side = f"比真实值高 {bias:.3g}" if bias >= 0 else f"比真实值低 {-bias:.3g}"
    note = (
        f"按公式，两团特征的真实 FID 是 {truth:.4g}。用 {n} 个样本估计 {repeats} 次，"
        f"平均得到 {mean[k]:.4g}，{side}，每次之间相差约 ±{std[k]:.2g}。"
    )
    if ns[-1] != n:
        note += f"样本增加到 {ns[-1]} 时，平均是 {mean[-1]:.4g}。"
    note += "样本少时估计值几乎总是偏高：有限样本的均值和协方差带着采样噪声，噪声本身就被算成了「距离」。"
    return [cloud, curve, table, views.text(note, title="怎么读")]

"""Diffusion-model helpers shared by the chapter 9 demos: schedule, forward noising, exact denoiser, samplers.

Everything follows DDPM (Ho et al., 2020) with the index convention
``t = 0, 1, …, T``: arrays ``betas`` and ``alpha_bars`` have length ``T + 1``
and position 0 is the clean data (``β_0 = 0``, ``ᾱ_0 = 1``), so ``alpha_bars[t]``
is the paper's ``ᾱ_t`` for ``t ≥ 1``.

The "denoiser" is not a trained network but the *exact* optimal one for a
finite dataset: the posterior mean ``E[x_0 | x_t]`` when ``x_0`` is drawn
uniformly from the data points.  It is a softmax-weighted average of the data,
computed in log space.  A trained noise predictor approximates exactly this
function, so the samplers below behave as they would with a perfect network.

Samplers move along a strided list of steps ``T = τ_K > … > τ_1 > τ_0 = 0``
(``K`` sampling steps).  Between two steps ``t > s`` the DDPM update uses the
combined ``α_{t|s} = ᾱ_t / ᾱ_s`` and ``β_{t|s} = 1 − α_{t|s}``; with ``s = t − 1``
it is exactly the paper's Algorithm 2.  DDIM (Song et al., 2020) with ``η = 0``
is the deterministic alternative.
"""

from __future__ import annotations

import numpy as np

T_DEFAULT = 1000
BETA_START = 1e-4
BETA_END = 0.02
SAMPLERS = ("ddpm", "ddim", "ddpm_no_noise")
SAMPLER_LABELS = {
    "ddpm": "DDPM（每步再加一点噪声）",
    "ddim": "DDIM（不加噪声的确定版）",
    "ddpm_no_noise": "DDPM 但去掉噪声项 σz",
}


# --------------------------------------------------------------------------- the noise schedule


def linear_betas(T: int = T_DEFAULT, start: float = BETA_START, end: float = BETA_END) -> np.ndarray:
    """DDPM's linear schedule: β_1..β_T evenly from ``start`` to ``end``; index 0 holds β_0 = 0."""
    if T < 1:
        raise ValueError("T must be at least 1")
    inner = np.linspace(start, end, T) if T > 1 else np.array([start])
    return np.concatenate([[0.0], inner])


def alpha_bars(betas: np.ndarray) -> np.ndarray:
    """ᾱ_t = Π_{s ≤ t} (1 − β_s), with ᾱ_0 = 1."""
    return np.cumprod(1.0 - np.asarray(betas, dtype=float))


def schedule(T: int = T_DEFAULT) -> np.ndarray:
    """ᾱ_0..ᾱ_T for the linear schedule (the only schedule the demos use)."""
    return alpha_bars(linear_betas(T))


def timesteps(T: int, steps: int, start: int | None = None) -> np.ndarray:
    """``steps + 1`` strictly decreasing integers from ``start`` (default ``T``) down to 0."""
    start = T if start is None else start
    if not 1 <= steps <= start:
        raise ValueError("need 1 <= steps <= start")
    grid = np.rint(np.linspace(start, 0, steps + 1)).astype(int)
    # linspace with steps <= start never repeats after rounding, but keep the promise explicit
    assert np.all(np.diff(grid) < 0)
    return grid


# --------------------------------------------------------------------------- the forward process


def forward_sample(x0: np.ndarray, t: int, abar: np.ndarray, rng: np.random.Generator):
    """Draw x_t ~ q(x_t | x_0) = N(√ᾱ_t x_0, (1 − ᾱ_t) I) in one go; return (x_t, the noise ε)."""
    x0 = np.asarray(x0, dtype=float)
    eps = rng.standard_normal(x0.shape)
    a = abar[t]
    return np.sqrt(a) * x0 + np.sqrt(1.0 - a) * eps, eps


# --------------------------------------------------------------------------- the exact denoiser


def posterior_logits(xt: np.ndarray, data: np.ndarray, a: float) -> np.ndarray:
    """log P(x_0 = data[i] | x_t) up to a constant per row (shape n × m).

    log w_i = −‖x_t − √ᾱ x^(i)‖² / (2(1 − ᾱ)) + const; the ‖x_t‖² part is the same
    for every i and is dropped.
    """
    xt = np.atleast_2d(np.asarray(xt, dtype=float))
    data = np.asarray(data, dtype=float).reshape(len(data), -1)
    xt = xt.reshape(len(xt), -1)
    var = max(1.0 - a, 1e-12)
    ra = np.sqrt(a)
    return (ra * (xt @ data.T) - 0.5 * a * np.sum(data * data, axis=1)[None, :]) / var


def softmax_rows(logits: np.ndarray) -> np.ndarray:
    """A numerically stable softmax over each row."""
    logits = logits - logits.max(axis=1, keepdims=True)
    w = np.exp(logits)
    return w / w.sum(axis=1, keepdims=True)


def posterior_weights(xt: np.ndarray, data: np.ndarray, a: float) -> np.ndarray:
    """P(x_0 = data[i] | x_t) for each row of ``xt`` (shape n × m), a stable softmax of :func:`posterior_logits`."""
    return softmax_rows(posterior_logits(xt, data, a))


def denoise_x0(xt: np.ndarray, data: np.ndarray, a: float) -> np.ndarray:
    """The optimal denoiser E[x_0 | x_t] for the empirical dataset: a weighted average of the data."""
    shape = np.shape(xt)
    flat = np.asarray(data, dtype=float).reshape(len(data), -1)
    w = posterior_weights(xt, flat, a)
    return (w @ flat).reshape(shape)


def eps_from_x0(xt: np.ndarray, x0_hat: np.ndarray, a: float) -> np.ndarray:
    """The noise implied by a guess of x_0: ε = (x_t − √ᾱ x̂_0) / √(1 − ᾱ)."""
    return (xt - np.sqrt(a) * x0_hat) / np.sqrt(max(1.0 - a, 1e-12))


def predict_eps(xt: np.ndarray, data: np.ndarray, a: float) -> np.ndarray:
    """The optimal noise predictor ε_θ(x_t, t) for the dataset (what DDPM trains a network to be)."""
    return eps_from_x0(xt, denoise_x0(xt, data, a), a)


# --------------------------------------------------------------------------- classifier-free guidance


def conditional_and_unconditional_eps(xt, data, labels, label, a):
    """(ε_c, ε_u): the exact noise predictors given the label, and ignoring it.

    ``data`` holds every class (rows), ``labels`` their class, each point equally
    likely.  One softmax over all points serves both: the unconditional posterior
    mean uses every point, the conditional one only the points whose label is
    ``label`` (Bayes' rule with p(c | x_0) = 1 for its own class).
    """
    xt = np.asarray(xt, dtype=float)
    flat = np.asarray(data, dtype=float).reshape(len(data), -1)
    logits = posterior_logits(xt, flat, a)
    mine = np.asarray(labels) == label
    # two separate softmaxes over the same logits, so neither underflows when the other dominates
    x0_c = (softmax_rows(logits[:, mine]) @ flat[mine]).reshape(xt.shape)
    x0_u = (softmax_rows(logits) @ flat).reshape(xt.shape)
    return eps_from_x0(xt, x0_c, a), eps_from_x0(xt, x0_u, a)


def guided_eps(eps_c, eps_u, w):
    """Classifier-free guidance: ε̃ = ε_u + w (ε_c − ε_u).

    w = 0 ignores the label, w = 1 is the plain conditional model, w > 1
    pushes further along the direction the label adds.  (Ho & Salimans 2022
    write ε̃ = (1 + w′) ε_c − w′ ε_u; it is the same thing with w = 1 + w′.)
    """
    return eps_u + w * (eps_c - eps_u)


# --------------------------------------------------------------------------- one reverse step


def forward_posterior(t: int, s: int, abar: np.ndarray):
    """q(x_s | x_t, x_0) = N(a·x_t + b·x_0, v) for s < t: return (a, b, v).

    With α_{t|s} = ᾱ_t / ᾱ_s and β_{t|s} = 1 − α_{t|s} (s = t − 1 gives DDPM's β_t):
    a = √α_{t|s}(1 − ᾱ_s)/(1 − ᾱ_t), b = √ᾱ_s β_{t|s}/(1 − ᾱ_t), v = β_{t|s}(1 − ᾱ_s)/(1 − ᾱ_t).
    Substituting x_0 = (x_t − √(1 − ᾱ_t) ε)/√ᾱ_t turns a·x_t + b·x_0 into :func:`ddpm_step`'s mean.
    """
    a_t, a_s = abar[t], abar[s]
    alpha = a_t / a_s
    beta = 1.0 - alpha
    return (
        np.sqrt(alpha) * (1.0 - a_s) / (1.0 - a_t),
        np.sqrt(a_s) * beta / (1.0 - a_t),
        beta * (1.0 - a_s) / (1.0 - a_t),
    )


def ddpm_step(xt, eps, t, s, abar, z=None):
    """DDPM from step t to s < t, in the paper's ε-form.

    x_s = (x_t − β_{t|s} / √(1 − ᾱ_t) · ε) / √α_{t|s} + σ z,  σ² = β_{t|s}(1 − ᾱ_s)/(1 − ᾱ_t).
    ``z=None`` drops the noise term (the "no noise" variant the chapter warns about).
    """
    a_t, a_s = abar[t], abar[s]
    alpha = a_t / a_s
    beta = 1.0 - alpha
    mean = (xt - beta / np.sqrt(1.0 - a_t) * eps) / np.sqrt(alpha)
    if z is None:
        return mean
    sigma = np.sqrt(beta * (1.0 - a_s) / (1.0 - a_t))
    return mean + sigma * z


def ddim_step(xt, eps, t, s, abar):
    """DDIM (η = 0) from t to s: rebuild x̂_0 from ε, then re-noise it to level s with the same ε."""
    a_t, a_s = abar[t], abar[s]
    x0_hat = (xt - np.sqrt(1.0 - a_t) * eps) / np.sqrt(a_t)
    return np.sqrt(a_s) * x0_hat + np.sqrt(1.0 - a_s) * eps


def sample(xT, data, abar, steps, rng, sampler="ddpm", start=None, keep=None, guide=None):
    """Run the reverse process from ``xT`` at step ``start`` (default T) down to 0.

    ``data`` is the dataset the exact denoiser averages over (rows = items, any
    trailing shape flattened).  Returns ``(x_0, path)``, where ``path`` is a list
    of ``(t, x_t)`` for the states listed in ``keep`` (indices into the step list,
    default every state), ``path[0]`` being the start.  ``guide = (labels, label, w)``
    samples with classifier-free guidance towards ``label`` (see :func:`guided_eps`).
    """
    if sampler not in SAMPLERS:
        raise ValueError(f"unknown sampler {sampler!r}")
    T = len(abar) - 1
    start = T if start is None else start
    ts = timesteps(T, steps, start)
    keep = set(range(len(ts))) if keep is None else set(keep)
    x = np.array(xT, dtype=float)
    path = [(int(ts[0]), x.copy())] if 0 in keep else []
    for k in range(steps):
        t, s = int(ts[k]), int(ts[k + 1])
        if guide is None:
            eps = predict_eps(x, data, abar[t])
        else:
            labels, label, w = guide
            eps = guided_eps(*conditional_and_unconditional_eps(x, data, labels, label, abar[t]), w)
        if sampler == "ddim":
            x = ddim_step(x, eps, t, s, abar)
        elif sampler == "ddpm":
            x = ddpm_step(x, eps, t, s, abar, rng.standard_normal(x.shape))
        else:
            x = ddpm_step(x, eps, t, s, abar, None)
        if k + 1 in keep:
            path.append((s, x.copy()))
    return x, path


def frame_indices(n_states: int, most: int) -> list[int]:
    """At most ``most`` evenly spread indices into ``n_states`` states, always the first and last."""
    if n_states <= most:
        return list(range(n_states))
    return sorted({int(round(v)) for v in np.linspace(0, n_states - 1, most)})


def nearest_distance(points: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Euclidean distance from each point to its nearest data point."""
    p = np.asarray(points, dtype=float).reshape(len(points), -1)
    d = np.asarray(data, dtype=float).reshape(len(data), -1)
    sq = np.sum(p * p, axis=1)[:, None] - 2 * p @ d.T + np.sum(d * d, axis=1)[None, :]
    return np.sqrt(np.maximum(sq.min(axis=1), 0.0))

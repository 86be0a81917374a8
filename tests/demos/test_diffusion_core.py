"""The shared diffusion helpers (demos/_diffusion.py) against closed forms, brute force and statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from demos import _diffusion as dif

ABAR = dif.schedule(1000)


# --------------------------------------------------------------------------- schedule


def test_linear_schedule_endpoints_and_length():
    betas = dif.linear_betas(1000)
    assert len(betas) == 1001 and betas[0] == 0.0
    assert betas[1] == pytest.approx(1e-4) and betas[1000] == pytest.approx(0.02)
    np.testing.assert_allclose(np.diff(betas[1:]), (0.02 - 1e-4) / 999)


def test_alpha_bar_is_the_plain_python_product():
    betas = dif.linear_betas(1000)
    prod = 1.0
    for t in range(1, 1001):
        prod *= 1.0 - float(betas[t])
        assert ABAR[t] == pytest.approx(prod, rel=1e-12)
    assert ABAR[0] == 1.0


def test_alpha_bar_closed_form_for_a_constant_beta():
    """With β_t ≡ β the product is (1 − β)^t exactly."""
    abar = dif.alpha_bars(dif.linear_betas(50, 0.03, 0.03))
    for t in range(51):
        assert abar[t] == pytest.approx((1 - 0.03) ** t, rel=1e-12)


def test_alpha_bar_matches_exp_of_minus_sum_of_betas():
    """log ᾱ_t = Σ log(1 − β) ≈ −Σβ − Σβ²/2; at t = 1000: Σβ = 10.05, so ᾱ_T ≈ 4.0e-5."""
    betas = dif.linear_betas(1000)
    approx = math.exp(-betas.sum() - (betas**2).sum() / 2)
    assert ABAR[1000] == pytest.approx(approx, rel=0.01)
    assert 3.9e-5 < ABAR[1000] < 4.1e-5
    assert np.all(np.diff(ABAR) < 0)


def test_timesteps():
    np.testing.assert_array_equal(dif.timesteps(1000, 1), [1000, 0])
    np.testing.assert_array_equal(dif.timesteps(1000, 4), [1000, 750, 500, 250, 0])
    np.testing.assert_array_equal(dif.timesteps(10, 10), np.arange(10, -1, -1))
    for steps in (1, 3, 7, 33, 200):
        ts = dif.timesteps(1000, steps, start=437 if steps <= 437 else None)
        assert len(ts) == steps + 1 and ts[-1] == 0 and np.all(np.diff(ts) < 0)
    with pytest.raises(ValueError):
        dif.timesteps(1000, 5, start=3)


def test_frame_indices():
    assert dif.frame_indices(5, 20) == [0, 1, 2, 3, 4]
    idx = dif.frame_indices(201, 24)
    assert idx[0] == 0 and idx[-1] == 200 and len(idx) <= 24 and idx == sorted(set(idx))


# --------------------------------------------------------------------------- forward process


@pytest.mark.parametrize("t", [1, 100, 400, 1000])
def test_forward_samples_follow_q_xt_given_x0(t):
    """Mean √ᾱ_t x_0 and variance 1 − ᾱ_t, within 5 standard errors over 100,000 draws."""
    n = 100_000
    x0 = np.array([0.8, -0.5, 0.0])
    xt, eps = dif.forward_sample(np.tile(x0, (n, 1)), t, ABAR, np.random.default_rng(t))
    a = ABAR[t]
    var = 1 - a
    se_mean = math.sqrt(var / n)
    np.testing.assert_array_less(np.abs(xt.mean(axis=0) - math.sqrt(a) * x0), 5 * se_mean)
    se_var = var * math.sqrt(2 / (n - 1))
    np.testing.assert_array_less(np.abs(xt.var(axis=0, ddof=1) - var), 5 * se_var)
    np.testing.assert_allclose(xt, math.sqrt(a) * x0 + math.sqrt(var) * eps)  # ε is the noise used


# --------------------------------------------------------------------------- exact denoiser

TINY = np.array([[1.0, 0.0], [-1.0, 0.5], [0.2, -0.8]])


def brute_posterior_mean(xt, data, a):
    """E[x_0 | x_t] with loops and math.exp: a second, plain implementation."""
    logs = []
    for x in data:
        d2 = sum((xt[k] - math.sqrt(a) * x[k]) ** 2 for k in range(len(xt)))
        logs.append(-d2 / (2 * (1 - a)))
    top = max(logs)
    w = [math.exp(v - top) for v in logs]
    z = sum(w)
    return [sum(w[i] * data[i][k] for i in range(len(data))) / z for k in range(len(xt))], [v / z for v in w]


@pytest.mark.parametrize("t", [5, 50, 200, 600, 1000])
def test_denoiser_equals_brute_force_posterior_mean(t):
    rng = np.random.default_rng(t)
    xt = rng.normal(size=(6, 2)) * 1.5
    got = dif.denoise_x0(xt, TINY, ABAR[t])
    weights = dif.posterior_weights(xt, TINY, ABAR[t])
    for row, g, w in zip(xt, got, weights):
        mean, ref_w = brute_posterior_mean(row, TINY, ABAR[t])
        np.testing.assert_allclose(g, mean, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(w, ref_w, rtol=1e-9, atol=1e-300)


def test_denoiser_is_stable_when_the_posterior_is_very_sharp():
    """At t = 1 the exponents are around −10⁴: a naive exp would underflow to 0/0."""
    xt = np.array([[0.9, 0.1], [-3.0, 3.0]])
    out = dif.denoise_x0(xt, TINY, ABAR[1])
    assert np.all(np.isfinite(out))


def test_denoiser_tends_to_the_nearest_point_at_low_noise():
    rng = np.random.default_rng(0)
    x0 = TINY[rng.integers(0, 3, size=50)]
    xt, _ = dif.forward_sample(x0, 3, ABAR, rng)
    np.testing.assert_allclose(dif.denoise_x0(xt, TINY, ABAR[3]), x0, atol=1e-9)
    # a point placed between data points still snaps to the closest one
    np.testing.assert_allclose(dif.denoise_x0(np.array([[0.5, 0.0]]), TINY, ABAR[1]), [[1.0, 0.0]], atol=1e-9)


def test_denoiser_tends_to_the_data_mean_at_high_noise():
    """At t = T the signal is √ᾱ ≈ 0.0064, so the posterior is almost uniform: E[x_0|x_T] ≈ mean."""
    xt = np.random.default_rng(1).normal(size=(200, 2))
    out = dif.denoise_x0(xt, TINY, ABAR[1000])
    assert np.abs(out - TINY.mean(axis=0)).max() < 0.05
    w = dif.posterior_weights(xt, TINY, ABAR[1000])
    assert np.abs(w - 1 / 3).max() < 0.03


def test_predicted_noise_reconstructs_x_t():
    rng = np.random.default_rng(2)
    xt = rng.normal(size=(10, 2))
    a = ABAR[300]
    eps = dif.predict_eps(xt, TINY, a)
    np.testing.assert_allclose(math.sqrt(a) * dif.denoise_x0(xt, TINY, a) + math.sqrt(1 - a) * eps, xt)


def test_denoiser_works_on_images():
    """Trailing dimensions are flattened: a (k, 4, 4) dataset and a (1, 4, 4) x_t."""
    data = np.random.default_rng(3).uniform(-1, 1, size=(5, 4, 4))
    xt = data[2:3] * math.sqrt(ABAR[10])
    np.testing.assert_allclose(dif.denoise_x0(xt, data, ABAR[10]), data[2:3], atol=1e-6)


# --------------------------------------------------------------------------- reverse steps


@pytest.mark.parametrize("t,s", [(1000, 999), (500, 499), (2, 1), (1000, 750), (400, 37), (300, 0)])
def test_ddpm_step_equals_the_posterior_form(t, s):
    """ε-form (the paper's sampling line) = mean of q(x_s | x_t, x̂_0), variance β̃."""
    rng = np.random.default_rng(t + s)
    xt, eps, z = rng.normal(size=(3, 4))
    a_t, a_s = ABAR[t], ABAR[s]
    alpha, beta = a_t / a_s, 1 - a_t / a_s
    x0 = (xt - math.sqrt(1 - a_t) * eps) / math.sqrt(a_t)
    mean = math.sqrt(a_s) * beta / (1 - a_t) * x0 + math.sqrt(alpha) * (1 - a_s) / (1 - a_t) * xt
    var = beta * (1 - a_s) / (1 - a_t)
    np.testing.assert_allclose(dif.ddpm_step(xt, eps, t, s, ABAR, None), mean, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(dif.ddpm_step(xt, eps, t, s, ABAR, z), mean + math.sqrt(var) * z, rtol=1e-9, atol=1e-12)


def test_ddpm_single_step_is_algorithm_2_of_the_paper():
    betas = dif.linear_betas(1000)
    t = 321
    xt, eps, z = np.random.default_rng(5).normal(size=(3, 2))
    b = betas[t]
    sigma = math.sqrt(b * (1 - ABAR[t - 1]) / (1 - ABAR[t]))  # β̃_t
    expected = (xt - b / math.sqrt(1 - ABAR[t]) * eps) / math.sqrt(1 - b) + sigma * z
    np.testing.assert_allclose(dif.ddpm_step(xt, eps, t, t - 1, ABAR, z), expected, rtol=1e-10)


def test_last_step_returns_the_denoised_guess():
    xt, eps = np.random.default_rng(6).normal(size=(2, 3))
    x0 = (xt - math.sqrt(1 - ABAR[40]) * eps) / math.sqrt(ABAR[40])
    np.testing.assert_allclose(dif.ddpm_step(xt, eps, 40, 0, ABAR, np.ones(3)), x0)
    np.testing.assert_allclose(dif.ddim_step(xt, eps, 40, 0, ABAR), x0)


@pytest.mark.parametrize("sampler", ["ddpm", "ddim"])
def test_single_point_data_keeps_exact_marginals(sampler):
    """With one data point x*, the exact sampler started from q(x_T | x*) stays on q(x_s | x*) at every step."""
    star = np.array([[0.7, -0.4]])
    n = 40_000
    rng = np.random.default_rng(11)
    xT, _ = dif.forward_sample(np.repeat(star, n, axis=0), 1000, ABAR, rng)
    _, path = dif.sample(xT, star, ABAR, 8, rng, sampler)
    for s, x in path[1:-1]:
        var = 1 - ABAR[s]
        assert np.abs(x.mean(axis=0) - math.sqrt(ABAR[s]) * star[0]).max() < 5 * math.sqrt(var / n)
        assert np.abs(x.var(axis=0) - var).max() < 5 * var * math.sqrt(2 / n), (s, x.var(axis=0), var)
    np.testing.assert_allclose(path[-1][1], np.repeat(star, n, axis=0), atol=1e-9)


def test_one_step_from_noise_lands_on_the_mean_and_many_steps_on_the_data():
    ring = np.stack(
        [np.cos(np.linspace(0, 2 * np.pi, 60, endpoint=False)), np.sin(np.linspace(0, 2 * np.pi, 60, endpoint=False))],
        axis=1,
    )
    rng = np.random.default_rng(0)
    xT = rng.standard_normal((300, 2))
    one, _ = dif.sample(xT, ring, ABAR, 1, rng, "ddpm")
    many, _ = dif.sample(xT, ring, ABAR, 100, rng, "ddpm")
    assert one.std(axis=0).max() < 0.02 * ring.std(axis=0).min()
    assert np.abs(one.mean(axis=0)).max() < 0.02  # the ring's centre
    # back on the ring: radius ≈ 1, and within half the 0.105 spacing of a data point
    assert np.abs(np.linalg.norm(many, axis=1) - 1).mean() < 0.02
    assert dif.nearest_distance(many, ring).mean() < 0.05 < 0.9 < dif.nearest_distance(one, ring).mean()
    assert abs(many.std(axis=0).mean() - ring.std(axis=0).mean()) < 0.1


def test_sample_respects_start_keep_and_rejects_unknown_sampler():
    rng = np.random.default_rng(0)
    _, path = dif.sample(np.zeros((2, 2)), TINY, ABAR, 10, rng, "ddim", start=300, keep=[0, 5, 10])
    assert [s for s, _ in path] == [300, 150, 0]
    with pytest.raises(ValueError):
        dif.sample(np.zeros((2, 2)), TINY, ABAR, 2, rng, "euler")


def test_nearest_distance_brute_force():
    pts = np.random.default_rng(9).normal(size=(20, 2))
    expected = [min(math.dist(p, d) for d in TINY) for p in pts]
    np.testing.assert_allclose(dif.nearest_distance(pts, TINY), expected, rtol=1e-9, atol=1e-7)


@pytest.mark.parametrize("t,s", [(1, 0), (2, 1), (10, 9), (300, 299), (1000, 999), (500, 250), (1000, 0)])
def test_forward_posterior_is_gaussian_conditioning(t, s):
    """q(x_s | x_t, x_0) from the joint Gaussian of (x_s, x_t) given x_0, and its mean equals the DDPM step's."""
    from demos._diffusion import ddpm_step, forward_posterior, schedule

    abar = schedule(1000)
    a, b, v = forward_posterior(t, s, abar)
    # given x_0: x_s = √ᾱ_s x_0 + noise of variance 1 − ᾱ_s; x_t = √α_{t|s} x_s + fresh noise of variance β_{t|s}
    root = np.sqrt(abar[t] / abar[s])
    cov_st, var_t, var_s = root * (1 - abar[s]), 1 - abar[t], 1 - abar[s]
    assert a == pytest.approx(cov_st / var_t, abs=1e-12)
    assert b == pytest.approx(np.sqrt(abar[s]) - cov_st / var_t * np.sqrt(abar[t]), abs=1e-12)
    assert v == pytest.approx(var_s - cov_st**2 / var_t, abs=1e-12)
    x0, xt = 0.7, -0.4
    eps = (xt - np.sqrt(abar[t]) * x0) / np.sqrt(1 - abar[t])
    assert ddpm_step(xt, eps, t, s, abar) == pytest.approx(a * xt + b * x0, abs=1e-9)

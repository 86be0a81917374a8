"""FID (fid): the closed form against hand cases, the eigh square root, and the small-sample bias."""

from __future__ import annotations

import math

import numpy as np
import pytest

from demos import fid as demo
from demos._params import DemoError


def random_spd(rng, d, rank=None):
    a = rng.standard_normal((d, rank or d))
    return a @ a.T + (0 if rank else 0.1 * np.eye(d))


# ------------------------------------------------------------------ the matrix square root


@pytest.mark.parametrize("d", [1, 2, 5, 16])
def test_sqrtm_squares_back(d):
    rng = np.random.default_rng(d)
    a = random_spd(rng, d)
    r = demo.sqrtm_psd(a)
    np.testing.assert_allclose(r @ r, a, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(r, r.T, atol=1e-12)
    assert np.linalg.eigvalsh(r).min() > 0  # the principal (PSD) root


def test_sqrtm_hand_cases_and_rank_deficient():
    np.testing.assert_allclose(demo.sqrtm_psd(np.diag([4.0, 9.0, 0.0])), np.diag([2.0, 3.0, 0.0]), atol=1e-12)
    # [[2,1],[1,2]] = [[a,b],[b,a]]² with a² + b² = 2, 2ab = 1 → a = (√3+1)/2, b = (√3−1)/2
    a, b = (math.sqrt(3) + 1) / 2, (math.sqrt(3) - 1) / 2
    np.testing.assert_allclose(demo.sqrtm_psd([[2.0, 1.0], [1.0, 2.0]]), [[a, b], [b, a]], atol=1e-12)
    low = random_spd(np.random.default_rng(3), 6, rank=2)  # rank 2: four zero eigenvalues
    r = demo.sqrtm_psd(low)
    assert np.isfinite(r).all()
    np.testing.assert_allclose(r @ r, low, atol=1e-8)


def test_sqrtm_works_on_stacks():
    rng = np.random.default_rng(0)
    stack = np.stack([random_spd(rng, 3) for _ in range(4)])
    roots = demo.sqrtm_psd(stack)
    for a, r in zip(stack, roots):
        np.testing.assert_allclose(r, demo.sqrtm_psd(a), atol=1e-12)


# ------------------------------------------------------------------ the closed form


def reference_fd(mu1, c1, mu2, c2):
    """Independent route: Tr((Σ₁Σ₂)^{1/2}) = Σ √λ over the eigenvalues of the non-symmetric product."""
    lam = np.linalg.eigvals(np.asarray(c1) @ np.asarray(c2))
    assert np.abs(lam.imag).max() < 1e-8 and lam.real.min() > -1e-8
    tr_sqrt = np.sqrt(np.clip(lam.real, 0, None)).sum()
    return float(np.sum((np.asarray(mu1) - mu2) ** 2) + np.trace(c1) + np.trace(c2) - 2 * tr_sqrt)


def test_identical_gaussians_are_at_distance_zero():
    rng = np.random.default_rng(1)
    c = random_spd(rng, 7)
    mu = rng.standard_normal(7)
    assert demo.frechet_distance(mu, c, mu, c) == pytest.approx(0.0, abs=1e-9)


def test_pure_mean_shift_gives_squared_norm():
    rng = np.random.default_rng(2)
    c = random_spd(rng, 5)
    delta = np.array([1.0, -2.0, 0.5, 0.0, 3.0])  # ‖δ‖² = 1 + 4 + 0.25 + 9 = 14.25
    assert demo.frechet_distance(np.zeros(5), c, delta, c) == pytest.approx(14.25, rel=1e-9)


@pytest.mark.parametrize("d,s1,s2", [(1, 1.0, 2.0), (4, 1.0, 0.5), (16, 2.0, 3.0), (8, 0.3, 0.3)])
def test_isotropic_spreads_give_d_times_gap_squared(d, s1, s2):
    got = demo.frechet_distance(np.zeros(d), s1**2 * np.eye(d), np.zeros(d), s2**2 * np.eye(d))
    assert got == pytest.approx(d * (s1 - s2) ** 2, abs=1e-9)


def test_one_dimension_and_diagonal_hand_cases():
    # 1-D: (μ₁−μ₂)² + (σ₁−σ₂)² = 3² + (2−5)² = 18
    assert demo.frechet_distance([1.0], [[4.0]], [4.0], [[25.0]]) == pytest.approx(18.0)
    # commuting diagonal covariances: Σ (√aᵢ − √bᵢ)² = (1−3)² + (2−2)² + (4−1)² = 13
    assert demo.frechet_distance(
        np.zeros(3), np.diag([1.0, 4.0, 16.0]), np.zeros(3), np.diag([9.0, 4.0, 1.0])
    ) == pytest.approx(13.0)


def test_two_by_two_against_hand_formula():
    """For 2×2 M with positive eigenvalues, Tr(M^{1/2}) = √(Tr M + 2√det M)."""
    c1 = np.array([[2.0, 0.8], [0.8, 1.0]])
    c2 = np.array([[0.5, -0.2], [-0.2, 3.0]])
    m = c1 @ c2
    tr_sqrt = math.sqrt(np.trace(m) + 2 * math.sqrt(np.linalg.det(m)))
    expected = 1.0 + np.trace(c1) + np.trace(c2) - 2 * tr_sqrt  # ‖(1,0)‖² = 1
    assert demo.frechet_distance([0, 0], c1, [1, 0], c2) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("seed", range(5))
def test_general_covariances_match_eigvals_route_and_are_symmetric(seed):
    rng = np.random.default_rng(100 + seed)
    d = 2 + seed * 3
    c1, c2 = random_spd(rng, d), random_spd(rng, d)
    mu1, mu2 = rng.standard_normal(d), rng.standard_normal(d)
    got = demo.frechet_distance(mu1, c1, mu2, c2)
    assert got == pytest.approx(reference_fd(mu1, c1, mu2, c2), rel=1e-8, abs=1e-8)
    assert got == pytest.approx(demo.frechet_distance(mu2, c2, mu1, c1), rel=1e-9)
    assert got >= 0


def test_true_stats_of_the_toy_world():
    mean_term, cov_term = demo.frechet_parts(*demo.true_stats(8, 0.5, 0.8))
    assert mean_term == pytest.approx(0.25) and cov_term == pytest.approx(8 * 0.2**2)


# ------------------------------------------------------------------ estimating from samples


def test_sample_stats_match_numpy_cov():
    x = np.random.default_rng(4).standard_normal((30, 5))
    mu, cov = demo.sample_stats(x)
    np.testing.assert_allclose(mu, x.mean(axis=0))
    np.testing.assert_allclose(cov, np.cov(x, rowvar=False), atol=1e-12)


def test_mean_term_matches_its_exact_expectation():
    """E‖x̄ − ȳ‖² = δ² + d(1 + s²)/n exactly; 400 repeats, tolerance 4 standard errors."""
    d, shift, spread, n, reps = 6, 0.7, 1.5, 40, 400
    real, gen = demo.draw(np.random.default_rng(5), reps, n, d, shift, spread)
    mean_terms, _ = demo.estimate_parts(real, gen)
    expected = shift**2 + d * (1 + spread**2) / n
    se = mean_terms.std(ddof=1) / math.sqrt(reps)
    assert abs(mean_terms.mean() - expected) < 4 * se


def test_biased_upward_at_small_n():
    """At n = 30, d = 8 the average of 200 estimates sits far above the truth (> 5 standard errors)."""
    d, shift, spread = 8, 0.5, 0.8
    truth = float(demo.frechet_distance(*demo.true_stats(d, shift, spread)))
    mean_terms, cov_terms, _ = demo.fid_curve(d, shift, spread, [30], 200, seed=11)
    est = (mean_terms + cov_terms)[0]
    se = est.std(ddof=1) / math.sqrt(est.size)
    assert est.mean() - truth > 5 * se
    assert (est > truth).mean() > 0.9  # nearly every single estimate is too high


def test_identical_distributions_always_look_apart_with_finite_n():
    mean_terms, cov_terms, _ = demo.fid_curve(4, 0.0, 1.0, [20, 200, 2000], 30, seed=2)
    est = mean_terms + cov_terms
    assert (est > 0).all()
    avg = est.mean(axis=1)
    # bias shrinks roughly like 1/n: ten times the samples, several times less bias
    assert avg[0] / avg[1] > 5 and avg[1] / avg[2] > 5


def test_estimator_converges_to_closed_form():
    """At n = 5000, d = 4: |average of 20 estimates − truth| < 5% of truth (measured: bias < 0.1%, standard error of 20 ≈ 0.5%)."""
    d, shift, spread = 4, 1.0, 0.6
    truth = float(demo.frechet_distance(*demo.true_stats(d, shift, spread)))  # 1 + 4·0.16 = 1.64
    assert truth == pytest.approx(1.64)
    mean_terms, cov_terms, _ = demo.fid_curve(d, shift, spread, [5000], 20, seed=3)
    assert abs((mean_terms + cov_terms).mean() - truth) < 0.05 * truth


# ------------------------------------------------------------------ the demo's run


def test_run_views_and_numbers():
    views = demo.run()
    assert [v["kind"] for v in views] == ["scatter", "line", "table", "text"]
    scatter, line, table = views[:3]
    assert sum(len(s["points"]) for s in scatter["series"]) <= 2000
    assert line["logx"] and 200 in line["x"] and line["x"] == sorted(line["x"])
    truth = line["series"][0]["y"]
    assert truth == pytest.approx([0.25 + 8 * 0.04] * len(truth))
    assert table["rows"][0][1] == pytest.approx(0.57)
    assert table["rows"][1][4] == pytest.approx(0.25 + 8 * (1 + 0.64) / 200)


def test_reader_n_is_added_to_the_grid_and_small_grid_points_dropped():
    assert demo.grid_for(300, 16) == [20, 50, 100, 200, 300, 500, 1000, 2000]
    assert demo.grid_for(5000, 2)[-1] == 5000
    x = demo.run(dim=16, n=17, repeats=5)[1]["x"]
    assert x[0] == 17 and all(v > 16 for v in x)


def test_same_seed_same_answer_and_seeds_differ():
    assert demo.run(seed=9, n=50) == demo.run(seed=9, n=50)
    assert demo.run(seed=9, n=50)[1] != demo.run(seed=10, n=50)[1]


@pytest.mark.parametrize("dim,n", [(16, 10), (12, 12), (10, 10)])
def test_n_not_above_dim_is_rejected(dim, n):
    with pytest.raises(DemoError) as err:
        demo.run(dim=dim, n=n)
    assert err.value.param == "n"

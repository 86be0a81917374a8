"""LoRA (chapter 4) against independent references: Eckart–Young via numpy's SVD, least squares,
reduced-rank regression, finite differences, hand-counted parameters and storage."""

from __future__ import annotations

import numpy as np
import pytest

from demos import lora as demo
from demos._params import DemoError


def rel(dW, M, b=None):
    return demo.output_error(dW, M, b) / np.linalg.norm(dW)


# --------------------------------------------------------------------------- Eckart–Young


@pytest.mark.parametrize("r", [1, 3, 7])
def test_truncated_svd_error_is_root_of_dropped_squares(r):
    rng = np.random.default_rng(r)
    M = rng.standard_normal((12, 12))
    U, s, Vt = np.linalg.svd(M)
    truncated = (U[:, :r] * s[:r]) @ Vt[:r]
    direct = np.linalg.norm(M - truncated)  # measured, not formula
    assert direct == pytest.approx(np.sqrt(np.sum(s[r:] ** 2)), rel=1e-10)
    assert demo.svd_bound(s, r) == pytest.approx(direct, rel=1e-10)
    assert demo.svd_bound(s[::-1], r) == pytest.approx(direct, rel=1e-10)  # order does not matter
    for _ in range(200):  # no random rank-r matrix does better
        P = rng.standard_normal((12, r)) @ rng.standard_normal((r, 12))
        assert np.linalg.norm(M - P) >= direct - 1e-12


def test_task_has_the_declared_spectrum():
    task = demo.make_task(16, 0.7, 0.0, 64, seed=3)
    s = np.linalg.svd(task["dW"], compute_uv=False)
    np.testing.assert_allclose(s, task["s"], rtol=1e-10)
    np.testing.assert_allclose(s[1:] / s[:-1], 0.7, rtol=1e-10)
    assert np.linalg.norm(task["dW"]) == pytest.approx(4.0)  # sqrt(d)
    assert demo.svd_bound(s, 16) == 0.0
    # geometric spectrum: relative tail = decay**r * sqrt((1 - q^(2(d-r))) / (1 - q^(2d)))
    q, d, r = 0.7, 16, 5
    closed = q**r * np.sqrt((1 - q ** (2 * (d - r))) / (1 - q ** (2 * d)))
    assert demo.svd_bound(s, r) / 4.0 == pytest.approx(closed, rel=1e-10)


def test_random_orthogonal_is_orthogonal_and_deterministic():
    Q = demo.random_orthogonal(10, np.random.default_rng(5))
    np.testing.assert_allclose(Q.T @ Q, np.eye(10), atol=1e-12)
    np.testing.assert_array_equal(Q, demo.random_orthogonal(10, np.random.default_rng(5)))


# --------------------------------------------------------------------------- training


def setup(d=16, decay=0.6, noise=0.0, samples=400, seed=0):
    task = demo.make_task(d, decay, noise, samples, seed)
    S, C, m = demo.moments(task["X"], task["Y"], task["W"])
    return task, S, C, m


def test_lora_gradient_matches_finite_differences():
    task, S, C, _ = setup(d=6, samples=30)
    rng = np.random.default_rng(1)
    B, A = rng.standard_normal((6, 2)), rng.standard_normal((2, 6))
    R = task["Y"] - task["X"] @ task["W"].T

    def loss(B, A):
        return 0.5 * np.mean(np.sum((R - task["X"] @ (B @ A).T) ** 2, axis=1))

    lr = 1e-3
    B1, A1, _ = demo.train_lora(S, C, B, A, steps=1, lr=lr)
    gB, gA = (B - B1) / lr, (A - A1) / lr
    eps = 1e-6
    for M, g, which in ((B, gB, 0), (A, gA, 1)):
        for idx in [(0, 0), (1, 1), (M.shape[0] - 1, M.shape[1] - 1)]:
            P, Q = M.copy(), M.copy()
            P[idx] += eps
            Q[idx] -= eps
            num = (loss(P, A) - loss(Q, A)) / (2 * eps) if which == 0 else (loss(B, P) - loss(B, Q)) / (2 * eps)
            assert g[idx] == pytest.approx(num, rel=1e-5, abs=1e-8)


@pytest.mark.parametrize("r", [1, 2, 4])
def test_lora_without_noise_reaches_the_svd_bound(r):
    """Noise-free data: trained B·A is within 3% (relative) of the Eckart–Young bound, never below it."""
    task, S, C, _ = setup(decay=0.6, noise=0.0, samples=2000)
    B0, A0 = demo.lora_init(16, r, np.random.default_rng(7))
    B, A, _ = demo.train_lora(S, C, B0, A0, steps=1000)
    err = demo.output_error(task["dW"], B @ A)
    bound = demo.svd_bound(task["s"], r)
    assert bound * (1 - 1e-9) <= err <= bound * 1.03


def reduced_rank_regression(S, C, r):
    """Closed-form minimiser of ½tr(MΣMᵀ) − tr(MCᵀ) over rank-r M (whiten, truncate, unwhiten)."""
    w, Q = np.linalg.eigh(S)
    half, inv_half = (Q * np.sqrt(w)) @ Q.T, (Q / np.sqrt(w)) @ Q.T
    U, s, Vt = np.linalg.svd(C @ inv_half)
    return (U[:, :r] * s[:r]) @ Vt[:r] @ inv_half, half


@pytest.mark.parametrize("r", [2, 4])
def test_lora_with_noise_converges_to_the_best_rank_r_fit_of_the_data(r):
    task, S, C, _ = setup(d=12, decay=0.5, noise=0.3, samples=200, seed=2)
    best, _ = reduced_rank_regression(S, C, r)
    B0, A0 = demo.lora_init(12, r, np.random.default_rng(0))
    B, A, _ = demo.train_lora(S, C, B0, A0, steps=3000)
    np.testing.assert_allclose(B @ A, best, atol=2e-3 * np.abs(best).max())


def test_lora_starts_as_no_change_and_factors_keep_their_shapes():
    B, A = demo.lora_init(10, 3, np.random.default_rng(0))
    assert B.shape == (10, 3) and A.shape == (3, 10)
    assert not B.any() and A.any()
    views = demo.run(d=16, rank=3, samples=64)
    curves = {s["name"]: s["y"] for s in views[2]["series"]}
    assert all(y[0] == pytest.approx(100.0) for y in curves.values())  # step 0: nothing changed


def test_full_fine_tuning_converges_to_least_squares():
    task, S, C, _ = setup(d=10, noise=0.2, samples=100)
    D, _ = demo.train_full(S, C, steps=1000)
    R = task["Y"] - task["X"] @ task["W"].T
    lstsq = np.linalg.lstsq(task["X"], R, rcond=None)[0].T
    np.testing.assert_allclose(D, lstsq, atol=1e-8)


def test_full_fine_tuning_error_is_the_noise_level():
    """E‖ΔŴ−ΔW‖²_F = σ²·d·d/(n−d−1) for Gaussian X (inverse-Wishart mean); mean over 60 seeds within 10%."""
    d, n, sigma = 8, 60, 0.5
    errs = []
    for seed in range(60):
        task, S, C, _ = setup(d=d, noise=sigma, samples=n, seed=seed)
        D, _ = demo.train_full(S, C, steps=400)
        errs.append(np.sum((D - task["dW"]) ** 2))
    expected = sigma**2 * d * d / (n - d - 1)
    assert np.mean(errs) == pytest.approx(expected, rel=0.10)


def test_bias_only_learns_the_mean_shift_and_cannot_express_the_matrix():
    task, S, C, m = setup(noise=0.1, samples=300)
    b, _ = demo.train_bias(m, steps=60)
    R = task["Y"] - task["X"] @ task["W"].T
    np.testing.assert_allclose(b, R.mean(axis=0), atol=1e-12)
    zero = np.zeros_like(task["dW"])
    expected = np.sqrt(1 + np.sum(b**2) / np.sum(task["dW"] ** 2))
    assert rel(task["dW"], zero, b) == pytest.approx(expected)
    assert rel(task["dW"], zero, b) >= 1.0


def test_output_error_closed_form_matches_monte_carlo():
    rng = np.random.default_rng(0)
    dW, M, b = rng.standard_normal((5, 5)), rng.standard_normal((5, 5)), rng.standard_normal(5)
    x = rng.standard_normal((200_000, 5))
    mc = np.sqrt(np.mean(np.sum((x @ (M - dW).T + b) ** 2, axis=1)))
    assert demo.output_error(dW, M, b) == pytest.approx(mc, rel=0.01)


# --------------------------------------------------------------------------- counting


@pytest.mark.parametrize("d,r", [(8, 1), (32, 4), (64, 16)])
def test_parameter_counts(d, r):
    B, A = demo.lora_init(d, r, np.random.default_rng(0))
    counts = demo.param_counts(d, r)
    assert counts == {"full": d * d, "lora": B.size + A.size, "bias": d}
    row = demo.run(d=d, rank=r, samples=max(d, 64))[0]["rows"]
    assert [row[1][1], row[2][1], row[3][1]] == [d * d, 2 * r * d, d]


def test_storage_worked_example_7b_fp16():
    st = demo.storage(tasks=100, model_params=7e9, model_dim=4096, layers=32, rank=8, bytes_per=2)
    assert st["full_per_task"] == 14e9  # 7e9 × 2 bytes = 14 GB
    assert st["full_total"] == 1.4e12  # 100 copies = 1.4 TB
    assert st["lora_all_params"] == 32 * 4 * 8 * (4096 + 4096) == 8_388_608
    assert st["lora_all_per_task"] == 16_777_216  # ≈ 16.8 MB
    assert st["lora_qv_params"] == 4_194_304
    assert st["lora_all_total"] == 14e9 + 100 * 16_777_216
    assert demo.human_bytes(st["lora_all_per_task"]) == "16.8 MB"
    assert demo.human_bytes(14e9) == "14 GB"
    assert demo.human_bytes(1.4e12) == "1.4 TB"
    assert demo.human_bytes(512) == "512 B"
    assert demo.human_bytes(3.5e15) == "3.5 PB"


def test_storage_gpt3_matches_lora_paper_order_of_magnitude():
    """GPT-3 175B (96 layers, d_model 12288), r = 4 on Wq, Wv: the LoRA paper reports ≈ 35 MB vs 350 GB."""
    st = demo.storage(tasks=1, model_params=175e9, model_dim=12288, layers=96, rank=4, bytes_per=2)
    assert st["full_per_task"] == 350e9
    assert 30e6 < st["lora_qv_per_task"] < 40e6


def test_storage_table_in_the_demo():
    views = demo.run(tasks=10, model_b=7.0, rank=8, dtype="fp32")
    rows = views[4]["rows"]
    assert rows[0][1:] == ["28 GB", "280 GB", 10]
    assert rows[1][1] == "33.6 MB"  # 8,388,608 × 4 bytes
    assert "8,388,608" in views[5]["text"]


# --------------------------------------------------------------------------- the demo as a whole


def test_default_story():
    table = demo.run()[0]["rows"]
    full, lora, bias, bound = (table[i][4] for i in (1, 2, 3, 4))
    assert full < 5  # ≈ noise level
    assert bound <= lora < bound * 1.05  # LoRA sits on the Eckart–Young bound
    assert bias >= 100  # a bias cannot express an input-dependent change


def test_rank_curve_decreases_and_respects_the_bound():
    view = demo.run(noise=0.0, samples=1024, steps=1000)[1]
    series = {s["name"]: s["y"] for s in view["series"]}
    bound = series["截断 SVD 下限（Eckart–Young）"]
    trained = series["LoRA 梯度下降的结果"]
    assert all(a >= b for a, b in zip(bound, bound[1:]))
    assert all(t >= b - 1e-6 for t, b in zip(trained, bound))
    assert trained[0] == pytest.approx(bound[0], rel=0.03)


def test_flat_spectrum_defeats_low_rank():
    """decay = 1: every direction matters equally, so rank r keeps only r/d of the energy."""
    bound = demo.run(decay=1.0, rank=4, d=16, samples=64)[0]["rows"][4][4]
    assert bound == pytest.approx(100 * np.sqrt(12 / 16), rel=1e-4)


def test_few_samples_favour_lora_over_full():
    row = demo.run(d=32, samples=40, noise=0.5, decay=0.5, rank=2)[0]["rows"]
    assert row[2][4] < row[1][4]


def test_deterministic_and_seed_dependent():
    assert demo.run(seed=3) == demo.run(seed=3)
    assert demo.run(seed=3)[0]["rows"] != demo.run(seed=4)[0]["rows"]


@pytest.mark.parametrize(
    "params,bad",
    [
        ({"rank": 9, "d": 8}, "rank"),
        ({"d": 64, "samples": 32}, "samples"),
        ({"model_b": 1.0, "model_dim": 8192, "layers": 80}, "model_b"),
    ],
)
def test_incompatible_combinations_raise(params, bad):
    with pytest.raises(DemoError) as info:
        demo.run(**params)
    assert info.value.param == bad

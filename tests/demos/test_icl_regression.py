"""icl_regression: the attention layer against a plain gradient step written out by hand, and the error curve."""

from __future__ import annotations

import numpy as np
import pytest

from demos import icl_regression as demo
from demos._params import DemoError


def gd_step_by_hand(x, y, xq, lr):
    """One GD step from W = 0 on 1/(2N) Σ (W·x_i − y_i)², written as loops: ŷ = (η/N) Σ_i y_i (x_i·x_q)."""
    n = len(y)
    out = []
    for q in xq:
        total = 0.0
        for xi, yi in zip(x, y):
            total += yi * sum(a * b for a, b in zip(xi, q))
        out.append(lr / n * total)
    return np.array(out)


def softmax_free_attention_by_hand(x, y, xq, lr):
    """The same layer token by token, with the paper's matrices spelled out (no shared code with the demo)."""
    n, d = x.shape
    answers = []
    for q in xq:
        query_token = np.append(q, 0.0)
        update = np.zeros(d + 1)
        for xi, yi in zip(x, y):
            key = np.append(xi, 0.0)  # W_K e_i keeps x_i only
            value = np.append(np.zeros(d), -yi)  # W_V e_i keeps −y_i only
            update += value * (key @ np.append(query_token[:d], 0.0))  # W_Q e_q keeps x_q only
        new_token = query_token + lr / n * update
        answers.append(-new_token[d])
    return np.array(answers)


@pytest.mark.parametrize("dim,n,lr,seed", [(1, 8, 1.0, 0), (3, 5, 0.7, 1), (5, 40, 1.3, 2), (2, 1, 0.1, 3)])
def test_one_attention_layer_is_one_gd_step(dim, n, lr, seed):
    rng = np.random.default_rng(seed)
    _, x, y, xq = demo.make_task(dim, n, 0.3, rng)
    reference = gd_step_by_hand(x, y, xq, lr)
    np.testing.assert_allclose(demo.attention_predict(x, y, xq, lr), reference, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(softmax_free_attention_by_hand(x, y, xq, lr), reference, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(xq @ demo.gd_weights(x, y, lr), reference, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("layers", [2, 3, 6])
def test_stacked_layers_are_gd_steps(layers):
    rng = np.random.default_rng(layers)
    _, x, y, xq = demo.make_task(3, 12, 0.2, rng)
    w = np.zeros(3)
    for _ in range(layers):  # plain GD on the mean squared error, by hand
        grad = sum((w @ xi - yi) * xi for xi, yi in zip(x, y)) / len(y)
        w = w - 0.5 * grad
    np.testing.assert_allclose(demo.attention_predict(x, y, xq, 0.5, layers), xq @ w, rtol=1e-10, atol=1e-12)


def test_many_small_steps_converge_to_least_squares():
    rng = np.random.default_rng(5)
    _, x, y, xq = demo.make_task(2, 30, 0.5, rng)
    ls = np.linalg.lstsq(x, y, rcond=None)[0]
    # 200 layers of step 0.5: the contraction factor is at most |1 − 0.5 λ|^200 for λ in (0, 2)
    np.testing.assert_allclose(demo.attention_predict(x, y, xq, 0.5, 200), xq @ ls, atol=1e-8)


def test_ridge_is_the_normal_equations():
    rng = np.random.default_rng(9)
    _, x, y, _ = demo.make_task(3, 6, 0.5, rng)
    w = demo.ridge(x, y, 0.5)
    np.testing.assert_allclose((x.T @ x + (0.25 + 1e-6) * np.eye(3)) @ w, x.T @ y, atol=1e-12)


@pytest.mark.parametrize("dim,noise", [(1, 0.1), (3, 0.5)])
def test_error_curve_matches_the_wishart_closed_form(dim, noise):
    """With η = 1, x ~ N(0, I), w ~ N(0, I): E‖w₁ − w‖² = d(d + 1 + σ²)/N (E[(S − I)²] = (d+1)/N · I)."""
    ns = (4, 16, 64)
    gd, best = demo.error_curve(dim, noise, 1.0, 1, ns=ns, tasks=20000, seed=1)
    expected = np.array([dim * (dim + 1 + noise**2) / n for n in ns])
    np.testing.assert_allclose(gd, expected, rtol=0.08)
    assert np.all(np.diff(gd) < 0) and np.all(best < gd)


def test_run_table_shows_identical_answers_and_the_curve_falls():
    views = demo.run()
    scatter, table, curve, text = views
    assert scatter["kind"] == "scatter" and len(scatter["series"][0]["points"]) == 8
    assert "不到 10⁻¹²" in table["title"]
    for row in table["rows"]:
        assert row[2] == pytest.approx(row[3], abs=1e-9) and row[4] < 1e-9
    gd = curve["series"][0]["y"]
    assert gd[-1] < gd[0] / 20
    assert "η/N" in text["text"]


def test_higher_dimensions_drop_the_picture():
    views = demo.run(dim=3)
    assert [v["kind"] for v in views] == ["table", "line", "text"]
    assert len(views[0]["rows"][0][0].split(",")) == 3


def test_bad_input_is_a_chinese_error():
    with pytest.raises(DemoError, match="范例数"):
        demo.run(examples=0)
    with pytest.raises(DemoError, match="学习率"):
        demo.run(lr="快")

"""latent_z: the deterministic generator against the conditional mean, the z generator against the data distribution."""

from __future__ import annotations

import math

import numpy as np
import pytest

from demos import latent_z as demo
from demos._params import DemoError


def test_strokes_are_drawn_where_the_angle_says():
    flat, diagonal = demo.render([0.0, 45.0])
    centre = (demo.SIZE - 1) / 2
    rows, cols = np.nonzero(flat > 0.5)
    assert np.all(np.abs(rows - centre) <= 1.5) and cols.min() <= 1 and cols.max() >= demo.SIZE - 2
    rows, cols = np.nonzero(diagonal > 0.5)
    # a「/」: up and to the right, i.e. row + col stays near SIZE − 1
    assert np.all(np.abs(rows + cols - (demo.SIZE - 1)) <= 2.5)
    np.testing.assert_allclose(demo.render(30.0), demo.render(210.0))  # a line has no direction
    assert demo.render(0.0).min() >= 0 and demo.render(0.0).max() <= 1


def test_training_without_z_converges_to_the_data_mean():
    data = demo.sample_data(3, 10.0, 300, np.random.default_rng(0))
    theta = demo.train_without_z(data)
    np.testing.assert_allclose(theta, data.mean(axis=0), atol=1e-10)
    # the mean is the minimiser: its loss is tr Cov(x), and any other fixed image does worse
    assert demo.expected_sq_error(theta[None], data) == pytest.approx(demo.total_variance(data), rel=1e-9)
    for other in (data[0], theta + 0.05, 0.9 * theta):
        assert demo.expected_sq_error(other[None], data) > demo.total_variance(data)


@pytest.mark.parametrize("modes", [1, 2, 4])
def test_without_wobble_the_mean_is_the_average_of_the_k_strokes(modes):
    rng = np.random.default_rng(modes)
    data = demo.sample_data(modes, 0.0, 4000, rng)
    expected = demo.render(demo.angles_of(modes)).mean(axis=0)  # closed form: uniform over the K strokes
    # each pixel is an average of 4000 draws of a K-valued variable in [0, 1]: 5 standard errors
    assert np.abs(demo.train_without_z(data) - expected).max() < 5 * 0.5 / math.sqrt(4000)


def test_one_way_of_drawing_means_no_blur():
    views = demo.run(modes=1, wobble=0.0)
    rows = {r[0]: r for r in views[3]["rows"]}
    assert rows["不给 z（确定性生成器）"][2] == pytest.approx(0.0, abs=1e-9)
    assert rows["不给 z（确定性生成器）"][1] == pytest.approx(0.0, abs=1e-9)


def test_z_generator_draws_every_mode_equally_often():
    modes, n = 4, 8000
    z = np.random.default_rng(3).standard_normal((n, 2))
    k = np.minimum((demo._phi(z[:, 0]) * modes).astype(int), modes - 1)
    counts = np.bincount(k, minlength=modes)
    chi2 = float(((counts - n / modes) ** 2 / (n / modes)).sum())
    assert chi2 < 16.27  # χ² with 3 degrees of freedom, p = 0.001
    images = demo.generate_with_z(z[:4], modes, 0.0)
    strokes = demo.render(demo.angles_of(modes))
    for img, kk in zip(images, k[:4]):
        np.testing.assert_allclose(img, strokes[kk])


def test_sharp_samples_pay_twice_the_squared_error():
    """For G(z) independent of x with the same law: E‖G(z) − x‖² = 2 tr Cov(x), twice the mean's tr Cov(x)."""
    rng = np.random.default_rng(7)
    data = demo.sample_data(2, 6.0, 2000, rng)
    samples = demo.generate_with_z(rng.standard_normal((2000, 2)), 2, 6.0)
    var = demo.total_variance(data)
    assert demo.expected_sq_error(samples, data) == pytest.approx(2 * var, rel=0.05)
    assert demo.nearest_sq_distance(samples[:50], data) < 0.05 * demo.nearest_sq_distance(data.mean(0)[None], data)


def test_run_defaults():
    real, no_z, with_z, table = demo.run()
    assert len(real["pixels"][0]) == 6 * demo.SIZE + 5 * demo.GAP
    assert max(map(max, no_z["pixels"])) < 1.0  # the blurry overlay never reaches full ink
    rows = {r[0]: r for r in table["rows"]}
    blurry, sharp = rows["不给 z（确定性生成器）"], rows["给 z（每个 z 一张）"]
    assert blurry[1] < sharp[1] and blurry[2] > 50 * sharp[2]
    assert blurry[3] > 3 * sharp[3]  # many more half-inked pixels in the overlay


def test_bad_input_is_a_chinese_error():
    with pytest.raises(DemoError, match="画法种数"):
        demo.run(modes=9)
    with pytest.raises(DemoError, match="抖动"):
        demo.run(wobble="很多")

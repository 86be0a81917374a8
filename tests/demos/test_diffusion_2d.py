"""diffusion_2d: datasets, the forward cloud, one step vs many steps, and the no-noise collapse."""

from __future__ import annotations

import math

import numpy as np
import pytest

from demos import diffusion_2d as demo
from demos._diffusion import nearest_distance, schedule
from demos._params import DemoError

ABAR = schedule(1000)


@pytest.mark.parametrize("name", demo.DATASETS)
def test_datasets_are_fixed_shapes_in_the_unit_square(name):
    data = demo.make_dataset(name)
    assert data.shape == (demo.N_DATA, 2)
    assert np.abs(data).max() == pytest.approx(1.0)
    np.testing.assert_array_equal(data, demo.make_dataset(name))  # never depends on a seed
    data[0] = 99  # callers get a copy
    assert demo.make_dataset(name)[0, 0] != 99


def test_ring_is_a_circle_and_datasets_differ():
    ring = demo.make_dataset("ring")
    r = np.linalg.norm(ring, axis=1)
    assert abs(r.mean() - r.max()) < 0.05 and r.std() < 0.02
    clouds = [demo.make_dataset(n) for n in demo.DATASETS]
    for i in range(len(clouds)):
        for j in range(i):
            assert np.abs(clouds[i] - clouds[j]).max() > 0.1


def test_forward_view_at_t0_is_the_data_and_at_T_is_standard_noise():
    clean = demo.run(t=0)[0]["series"]
    np.testing.assert_allclose(clean[0]["points"], clean[1]["points"])
    noisy = np.array(demo.run(t=1000, dataset="ring")[0]["series"][1]["points"])
    # 600 coordinates of N(√ᾱ x0, 1 − ᾱ) with √ᾱ ≈ 0.006: std within 4 standard errors of 1
    assert abs(noisy.std() - 1.0) < 4 * math.sqrt(1 / (2 * 600))
    assert abs(noisy.mean()) < 4 / math.sqrt(600)


def test_forward_title_shows_the_coefficients():
    title = demo.run(t=500)[0]["title"]
    assert f"{math.sqrt(ABAR[500]):.3f}" in title and f"{math.sqrt(1 - ABAR[500]):.3f}" in title


@pytest.mark.parametrize("dataset", ["ren", "moons", "ring"])
@pytest.mark.parametrize("sampler", ["ddpm", "ddim"])
def test_one_step_blurs_to_the_mean_many_steps_land_on_the_shape(dataset, sampler):
    data = demo.make_dataset(dataset)
    _, one, _ = demo.generate(data, 1, 200, sampler, seed=3)
    _, many, _ = demo.generate(data, 60, 200, sampler, seed=3)
    data_spread = demo.spread(data)
    assert demo.spread(one) < 0.02 * data_spread
    assert np.abs(one.mean(axis=0) - data.mean(axis=0)).max() < 0.02
    assert nearest_distance(many, data).mean() < 0.03
    assert demo.spread(many) == pytest.approx(data_spread, rel=0.15)


def test_dropping_the_noise_term_collapses_the_samples():
    """The lecture's point: DDPM without σz piles every sample onto a few spots (like greedy decoding)."""
    data = demo.make_dataset("ren")
    _, with_noise, _ = demo.generate(data, 40, 200, "ddpm", seed=0)
    _, without, _ = demo.generate(data, 40, 200, "ddpm_no_noise", seed=0)
    assert demo.spread(without) < 0.1 * demo.spread(with_noise)
    assert demo.distinct(without) < 20 < 100 < demo.distinct(with_noise)


def test_exact_denoiser_memorises_samples_land_on_training_points():
    data = demo.make_dataset("spiral")
    _, x, _ = demo.generate(data, 200, 100, "ddpm", seed=1)
    assert np.median(nearest_distance(x, data)) < 0.01


def test_animation_frames():
    views = demo.run(steps=100)
    anim = views[2]
    assert anim["kind"] == "frames" and len(anim["frames"]) <= demo.MAX_FRAMES
    assert anim["labels"][0] == "t = 1000" and anim["labels"][-1] == "t = 0"
    for frame in anim["frames"]:
        assert sum(len(s["points"]) for s in frame["series"]) <= 400
    # the last frame is the same cloud as the "many steps" panel
    assert anim["frames"][-1]["series"][1]["points"] == views[4]["series"][1]["points"]
    few = demo.run(steps=3)[2]
    assert few["labels"] == ["t = 1000", "t = 667", "t = 333", "t = 0"]


def test_table_matches_the_clouds():
    views = demo.run(dataset="moons", steps=30, samples=150, seed=4)
    rows = {r[0]: r[1:] for r in views[5]["rows"]}
    one = np.array(views[3]["series"][1]["points"])
    assert rows["只走 1 步"][0] == pytest.approx(one.std(axis=0).mean(), abs=1e-3)
    assert rows["只走 1 步"][1] > 5 * rows["走 30 步"][1]
    assert rows["训练数据"][2] > 250


def test_seed_controls_everything():
    assert demo.run(seed=8) == demo.run(seed=8)
    assert demo.run(seed=8)[4] != demo.run(seed=9)[4]


def test_bad_values_are_typed_errors():
    with pytest.raises(DemoError) as info:
        demo.run(steps=0)
    assert info.value.param == "steps"
    with pytest.raises(DemoError):
        demo.run(dataset="heart")


# --------------------------------------------------------------------------- classifier-free guidance


def test_guided_eps_is_the_formula_and_its_ends_are_the_two_models():
    """ε_c and ε_u against the plain exact predictor run on the class alone and on both classes."""
    from demos._diffusion import conditional_and_unconditional_eps, guided_eps, predict_eps

    data, labels = demo.labelled_pair("ren", "ring")
    x = np.random.default_rng(0).standard_normal((50, 2))
    for t in (30, 300, 900):
        eps_c, eps_u = conditional_and_unconditional_eps(x, data, labels, 0, ABAR[t])
        np.testing.assert_allclose(eps_c, predict_eps(x, data[:300], ABAR[t]), atol=1e-9)
        np.testing.assert_allclose(eps_u, predict_eps(x, data, ABAR[t]), atol=1e-9)
        np.testing.assert_allclose(guided_eps(eps_c, eps_u, 2.5), eps_u + 2.5 * (eps_c - eps_u))
        np.testing.assert_allclose(guided_eps(eps_c, eps_u, 2.5), 2.5 * eps_c - 1.5 * eps_u)  # Ho & Salimans, w' = 1.5


@pytest.mark.parametrize("sampler", ["ddpm", "ddim"])
def test_w1_is_the_conditional_model_and_w0_ignores_the_label(sampler):
    from demos._diffusion import sample

    data, _ = demo.labelled_pair("moons", "ai")
    cond = demo.generate_guided("moons", "ai", 1.0, 20, 60, sampler, seed=4)
    uncond = demo.generate_guided("moons", "ai", 0.0, 20, 60, sampler, seed=4)
    for subset, got in ((data[:300], cond), (data, uncond)):
        rng = np.random.default_rng(4)
        xT = rng.standard_normal((60, 2))
        expected, _ = sample(xT, subset, ABAR, 20, rng, sampler, keep=[20])
        np.testing.assert_allclose(got, expected, atol=1e-7)


def test_guidance_trades_diversity_for_fidelity():
    """DDIM, 200 samples: confidence in the target class rises with w, the share of the shape covered falls."""
    data, labels = demo.labelled_pair("ren", "ring")
    conf, cover = [], []
    for w in (0.0, 1.0, 3.0, 8.0):
        x = demo.generate_guided("ren", "ring", w, 40, 200, "ddim", seed=0)
        conf.append(demo.class_confidence(x, data, labels))
        cover.append(demo.coverage(x, data[:300]))
    assert abs(conf[0] - 0.5) < 0.1  # w = 0: half the samples are rings
    assert conf[0] < conf[1] < conf[2] < conf[3]
    assert cover[1] > cover[2] > cover[3]
    assert cover[3] < 0.6 * cover[1]


def test_confidence_and_coverage_by_hand():
    data, labels = demo.labelled_pair("ren", "ring")
    # a point on a training point of the target, far from the other class: confidence ≈ 1
    far = data[np.argmax(demo.nearest_distance(data[:300], data[300:]))]
    assert demo.class_confidence(far[None], data, labels) > 0.99
    assert demo.class_confidence(data[300:301], data, labels) < 0.01
    assert demo.coverage(data[:300], data[:300]) == 1.0
    assert demo.coverage(np.repeat(data[:1], 10, axis=0), data[:300]) == 1 / 300


def test_guidance_panel_and_same_shape_note():
    views = demo.run(guidance=1.0)
    scatter, table = views[6], views[7]
    assert scatter["kind"] == "scatter" and len(scatter["series"][2]["points"]) == demo.GUIDED_SAMPLES
    assert table["rows"][0][0] == 1.0 and 0.5 < table["rows"][0][1] <= 1.0
    same = demo.run(dataset="ring", other="ring")
    assert same[-1]["kind"] == "text" and "不同" in same[-1]["text"] and len(same) == 7

"""文字水印 (watermark) against closed forms, hand calculations and statistical tests with stated tolerances."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from demos import watermark as demo
from demos._lm import course_model
from demos._params import DemoError

ROOT = Path(__file__).resolve().parents[2]


def uniform(size):
    return lambda tokens: np.full(size, 1.0 / size)


# --------------------------------------------------------------------------- green lists


@pytest.mark.parametrize("size,gamma", [(592, 0.5), (592, 0.25), (592, 0.1), (592, 0.9), (10, 0.35), (7, 0.5)])
def test_green_list_has_round_gamma_v_tokens(size, gamma):
    for prev in (0, 1, size - 1, size):
        mask = demo.green_list(prev, size, gamma, key=2024)
        assert mask.dtype == bool and mask.shape == (size,)
        assert mask.sum() == round(gamma * size)


def test_green_list_is_deterministic_per_key_and_previous_token():
    a = demo.green_list(17, 592, 0.5, 2024)
    np.testing.assert_array_equal(a, demo.green_list(17, 592, 0.5, 2024))
    assert not np.array_equal(a, demo.green_list(18, 592, 0.5, 2024))  # another previous token
    assert not np.array_equal(a, demo.green_list(17, 592, 0.5, 2025))  # another key
    lists = [demo.green_list(p, 592, 0.5, 2024) for p in range(50)]
    # different previous tokens give (nearly) independent halves: overlap ≈ γ²|V| = 148 ± 4σ
    overlaps = [int((lists[i] & lists[i + 1]).sum()) for i in range(49)]
    assert abs(np.mean(overlaps) - 148) < 4 * math.sqrt(148 * 0.75 / 49) + 2


def test_green_list_is_the_same_in_another_process():
    """Not Python's per-process randomised hash(): a fresh interpreter rebuilds the same list."""
    code = "from demos.watermark import green_list; print(list(map(int, green_list(5, 592, 0.5, 2024).nonzero()[0])))"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    assert eval(out.stdout) == list(demo.green_list(5, 592, 0.5, 2024).nonzero()[0])


def test_green_lists_cache_matches_direct_calls():
    greens = demo.GreenLists(100, 0.3, 9)
    for prev in (3, 3, 50, 100):
        np.testing.assert_array_equal(greens(prev), demo.green_list(prev, 100, 0.3, 9))


# --------------------------------------------------------------------------- the bias


def test_delta_zero_leaves_the_model_distribution_unchanged():
    model = course_model(3)
    for history in ("语言模型", "台湾最高的山是", "🙂"):
        p = model.distribution(history)
        green = demo.green_list(3, len(p), 0.5, 1)
        np.testing.assert_allclose(demo.watermark_probs(p, green, 0.0), p, rtol=1e-12, atol=1e-15)


def test_bias_multiplies_green_odds_by_e_delta():
    """Hand calculation: p = (0.5, 0.3, 0.2), green = {1}, δ = ln 3 → weights (0.5, 0.9, 0.2) / 1.6."""
    out = demo.watermark_probs(np.array([0.5, 0.3, 0.2]), np.array([False, True, False]), math.log(3))
    np.testing.assert_allclose(out, [0.5 / 1.6, 0.9 / 1.6, 0.2 / 1.6])


def test_delta_zero_generation_samples_the_model():
    """δ = 0: first-token frequencies match the model's distribution (4σ binomial tolerance)."""
    model = course_model(3)
    sampler = demo.model_sampler(model, "语言")
    greens = demo.GreenLists(len(model.vocab), 0.5, 2024)
    n = 2000
    rng = np.random.default_rng(0)
    drawn = Counter(demo.generate(sampler, model.index["言"], 1, greens, 0.0, rng)[0][0] for _ in range(n))
    probs = model.distribution("语言")
    for token, count in drawn.most_common(4):
        p = probs[token]
        assert abs(count / n - p) < 4 * math.sqrt(p * (1 - p) / n) + 1e-3


@pytest.mark.parametrize("gamma", [0.1, 0.25, 0.5, 0.9])
@pytest.mark.parametrize("delta", [0.0, 1.0, 2.0, 5.0])
def test_green_mass_under_uniform_model_is_the_closed_form(gamma, delta):
    size = 40  # γ·40 is a whole number for every γ tested
    green = demo.green_list(0, size, gamma, 1)
    mass = demo.watermark_probs(np.full(size, 1 / size), green, delta)[green].sum()
    assert mass == pytest.approx(gamma * math.exp(delta) / (1 + gamma * (math.exp(delta) - 1)))
    assert demo.expected_green_fraction_uniform(gamma, delta) == pytest.approx(mass)


@pytest.mark.parametrize("gamma,delta", [(0.5, 2.0), (0.25, 1.0), (0.3, 4.0)])
def test_green_fraction_sampled_from_uniform_model_matches_closed_form(gamma, delta):
    """Statistical: 4,000 tokens from a uniform 40-token vocabulary, tolerance 4 binomial σ."""
    size, n = 40, 4000
    greens = demo.GreenLists(size, gamma, 77)
    tokens, steps = demo.generate(uniform(size), 0, n, greens, delta, np.random.default_rng(5))
    frac = np.mean(demo.green_flags(tokens, 0, greens))
    expected = demo.expected_green_fraction_uniform(gamma, delta)
    assert abs(frac - expected) < 4 * math.sqrt(expected * (1 - expected) / n)
    assert np.mean([s["green"] for s in steps]) == frac  # the writer and the detector agree
    assert steps[0]["mass_after"] == pytest.approx(expected)


# --------------------------------------------------------------------------- the z test


def test_z_formula_by_hand():
    assert demo.z_score(70, 100, 0.5) == pytest.approx(4.0)  # (70 − 50) / 5
    assert demo.z_score(50, 100, 0.5) == pytest.approx(0.0)
    assert demo.z_score(40, 100, 0.25) == pytest.approx(15 / math.sqrt(18.75))  # ≈ 3.464
    assert demo.z_score(0, 16, 0.5) == pytest.approx(-4.0)  # (0 − 8) / 2


def test_z_curve_matches_plain_python_loop():
    flags = [True, False, True, True, False, True, True, True]
    gamma = 0.25
    expected, count = [], 0
    for t, f in enumerate(flags, start=1):
        count += f
        expected.append((count - gamma * t) / math.sqrt(t * gamma * (1 - gamma)))
    np.testing.assert_allclose(demo.z_curve(flags, gamma), expected)


@pytest.mark.parametrize("delta", [2.0, 3.0, 4.0])
def test_watermarked_text_of_100_tokens_is_detected(delta):
    zs = [demo.run(delta=delta, length=100, seed=s)[2]["rows"][0][4] for s in range(15)]
    assert np.mean(np.array(zs) > 4) >= 0.9, zs


def test_unwatermarked_text_gives_standard_normal_z():
    """Course model, δ = 0, a fresh key per sample: mean ≈ 0 (± 4/√n), std ≈ 1 (± 0.2)."""
    model = course_model(3)
    size, n, length, gamma = len(model.vocab), 200, 100, 0.5
    sampler = demo.model_sampler(model, "语言模型")
    first = model.index["型"]
    zs = []
    for s in range(n):
        greens = demo.GreenLists(size, gamma, 1000 + s)
        tokens, _ = demo.generate(sampler, first, length, greens, 0.0, np.random.default_rng(s))
        zs.append(float(demo.z_score(demo.green_flags(tokens, first, greens).sum(), length, gamma)))
    assert abs(np.mean(zs)) < 4 / math.sqrt(n)
    assert 0.8 < np.std(zs) < 1.2


def test_unwatermarked_uniform_text_is_binomial():
    """Uniform model, δ = 0: z is a standardised Binomial(T, γ): mean 0, std 1."""
    size, gamma, length, n = 40, 0.25, 64, 400
    greens = demo.GreenLists(size, gamma, 3)
    rng = np.random.default_rng(1)
    zs = [
        float(
            demo.z_score(
                demo.green_flags(demo.generate(uniform(size), 0, length, greens, 0.0, rng)[0], 0, greens).sum(),
                length,
                gamma,
            )
        )
        for _ in range(n)
    ]
    assert abs(np.mean(zs)) < 4 / math.sqrt(n)
    assert 0.85 < np.std(zs) < 1.15


# --------------------------------------------------------------------------- editing and keys


def test_replace_changes_exactly_the_chosen_positions():
    tokens = list(range(100))
    edited, where = demo.replace_tokens(tokens, 0.3, 10_000, np.random.default_rng(0))
    assert len(where) == 30 and len(set(where.tolist())) == 30
    untouched = sorted(set(range(100)) - set(where.tolist()))
    assert all(edited[i] == tokens[i] for i in untouched)
    assert demo.replace_tokens(tokens, 0.0, 50, np.random.default_rng(0))[0] == tokens


def test_replacing_tokens_lowers_z():
    """Mean z over seeds falls as more tokens are replaced; replacing all of them leaves ≈ 0."""
    means = []
    for frac in (0.0, 0.3, 0.6, 1.0):
        means.append(np.mean([demo.run(replace=frac, seed=s)[2]["rows"][2][4] for s in range(12)]))
    assert means[0] > means[1] > means[2] > means[3]
    assert abs(means[3]) < 1.5


def test_wrong_key_sees_no_watermark():
    zs = [demo.run(detector_has_key=False, seed=s)[2]["rows"][0][4] for s in range(12)]
    assert abs(np.mean(zs)) < 1.5 and max(zs) < 4


# --------------------------------------------------------------------------- the demo's output


def test_outputs_agree_with_each_other():
    views = demo.run(seed=3, length=60, gamma=0.25)
    text, line, summary, steps = views
    assert [v["kind"] for v in views] == ["text", "line", "table", "table"]
    assert len(line["x"]) == 60
    for row, series in zip(summary["rows"], line["series"]):
        assert row[1] == 60 and row[3] == pytest.approx(15)
        assert series["y"][-1] == pytest.approx(row[4], rel=1e-4)
        assert row[4] == pytest.approx((row[2] - 15) / math.sqrt(60 * 0.25 * 0.75), rel=1e-4)
    # red tokens are bracketed: their count is T − green count of the watermarked text
    assert text["text"].count("［") == 60 - summary["rows"][0][2]
    assert len(steps["rows"]) == 12


def test_prompt_ending_in_unknown_character_still_runs():
    views = demo.run(prompt="ZQX🙂", length=20)
    assert views[0]["text"].startswith("ZQX🙂｜")


def test_same_seed_same_output_and_seed_matters():
    assert demo.run(seed=7) == demo.run(seed=7)
    assert demo.run(seed=7) != demo.run(seed=8)


@pytest.mark.parametrize(
    "bad",
    [
        {"gamma": 0.95},
        {"gamma": 0.0},
        {"delta": -1},
        {"length": 5},
        {"replace": 1.5},
        {"prompt": "   "},
        {"detector_has_key": "maybe"},
    ],
)
def test_bad_inputs_raise_chinese_error(bad):
    with pytest.raises(DemoError) as info:
        demo.run(**bad)
    assert info.value.param == next(iter(bad))

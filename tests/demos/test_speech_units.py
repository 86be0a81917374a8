"""Speech units (speech_units): k-means and RVQ against hand cases, a brute-force optimum and the bitrate formula."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from demos import speech_units as demo
from demos._params import DemoError


def plain_sq_dist(x, c):
    """Second implementation: two loops, no algebraic shortcut."""
    return np.array([[sum((a - b) ** 2 for a, b in zip(row, cw)) for cw in c] for row in x])


def brute_force_optimum(x, k):
    """Optimal k-means distortion by trying every partition of a handful of points into k groups."""
    best = math.inf
    for labels in itertools.product(range(k), repeat=len(x)):
        total = 0.0
        for j in set(labels):
            members = x[np.array(labels) == j]
            total += ((members - members.mean(axis=0)) ** 2).sum()
        best = min(best, total)
    return best


# ------------------------------------------------------------------ k-means


def test_sq_dist_matches_plain_loops():
    rng = np.random.default_rng(0)
    x, c = rng.standard_normal((7, 5)), rng.standard_normal((3, 5))
    np.testing.assert_allclose(demo.sq_dist(x, c), plain_sq_dist(x, c), atol=1e-12)


def test_one_codeword_is_the_mean_and_error_is_the_variance():
    x = np.array([[0.0, 0.0], [2.0, 0.0], [4.0, 6.0]])
    book, codes = demo.kmeans(x, 1)
    np.testing.assert_allclose(book, [[2.0, 2.0]])
    assert (codes == 0).all()
    # Σ‖x − mean‖² = (4 + 4) + (0 + 4) + (4 + 16) = 32 (hand count)
    assert demo.distortion(x, book) == pytest.approx(32.0)


def test_two_obvious_clusters_hand_case():
    x = np.array([[0.0], [1.0], [10.0], [11.0], [12.0]])
    book, codes = demo.kmeans(x, 2)
    assert sorted(book.ravel().tolist()) == pytest.approx([0.5, 11.0])
    assert len(set(codes[:2])) == 1 and len(set(codes[2:])) == 1 and codes[0] != codes[2]
    assert demo.distortion(x, book) == pytest.approx(0.25 + 0.25 + 1 + 0 + 1)


@pytest.mark.parametrize("seed", range(5))
def test_lloyd_reaches_a_fixed_point_no_worse_than_its_start(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((40, 3))
    start = demo.grow(x, x.mean(axis=0, keepdims=True), 4)
    book, codes = demo.lloyd(x, start)
    assert demo.distortion(x, book) <= demo.distortion(x, start) + 1e-12
    np.testing.assert_array_equal(codes, demo.assign(x, book))  # every point at its nearest codeword
    for j in range(len(book)):  # every used codeword at its members' mean
        if (codes == j).any():
            np.testing.assert_allclose(book[j], x[codes == j].mean(axis=0), atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_kmeans_is_close_to_the_brute_force_optimum(seed):
    """Lloyd finds a local optimum; on 7 points it should be within a few % of the global one."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(c, 0.3, (2, 2)) for c in ((0, 0), (3, 0), (0, 3))] + [rng.normal(0, 2, (1, 2))])
    got = demo.distortion(x, demo.kmeans(x, 3)[0])
    best = brute_force_optimum(x, 3)
    assert best - 1e-9 <= got <= 1.25 * best + 1e-9


@pytest.mark.parametrize("seed", range(6))
def test_error_never_increases_with_the_codebook_on_the_same_data(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((60, 6))
    path = demo.kmeans_path(x, [1, 2, 3, 4, 8, 16, 32, 64])
    errors = [demo.distortion(x, path[k][0]) for k in sorted(path)]
    assert all(b <= a + 1e-9 for a, b in zip(errors, errors[1:])), errors
    assert errors[-1] == pytest.approx(0.0, abs=1e-9)  # 64 ≥ 60 points: each has its own codeword


@pytest.mark.parametrize("sounds", [1, 2, 5, 8])
def test_exact_once_k_reaches_the_number_of_distinct_frames(sounds):
    wave, labels = demo.synth_waveform(sounds, 2.0, 20, 0.0, seed=sounds)
    x = demo.frames_of(wave, 160)
    distinct = len(np.unique(x, axis=0))
    assert distinct == len(np.unique(labels))  # one distinct frame per sound used
    for k in (distinct, distinct + 3):
        book, codes = demo.kmeans(x, k)
        assert demo.relative_error(x, book[codes]) < demo.EXACT
    if distinct > 1:
        book, codes = demo.kmeans(x, distinct - 1)
        assert demo.relative_error(x, book[codes]) > 1e-3  # one sound too few: two must share


@pytest.mark.parametrize("seed", range(3))
def test_residual_stages_never_hurt_and_add_up(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((50, 8))
    previous = math.inf
    for stages in (1, 2, 3, 4):
        books, codes, recon = demo.rvq(x, 4, stages)
        np.testing.assert_allclose(recon, sum(b[c] for b, c in zip(books, codes)), atol=1e-12)
        err = demo.relative_error(x, recon)
        assert err <= previous + 1e-12
        previous = err
    assert previous < demo.relative_error(x, demo.rvq(x, 4, 1)[2])


# ------------------------------------------------------------------ the waveform and the numbers


@pytest.mark.parametrize("frame_ms", [5, 15, 20, 40])
def test_waveform_has_whole_frames_and_the_stated_loudness(frame_ms):
    wave, labels = demo.synth_waveform(3, 1.0, frame_ms, 0.0, seed=1)
    frame_len = demo.SAMPLE_RATE * frame_ms // 1000
    assert len(wave) == len(labels) * frame_len == round(1000 / frame_ms) * frame_len
    assert np.sqrt(np.mean(wave**2)) == pytest.approx(0.5, rel=1e-9)  # every sound at RMS 0.5
    x = demo.frames_of(wave, frame_len)
    for s in np.unique(labels):  # all frames of one sound are the same frame
        np.testing.assert_allclose(x[labels == s], np.broadcast_to(x[labels == s][0], x[labels == s].shape), atol=1e-12)


def test_noise_has_the_stated_standard_deviation():
    clean, _ = demo.synth_waveform(4, 3.0, 20, 0.0, seed=9)
    noisy, _ = demo.synth_waveform(4, 3.0, 20, 0.2, seed=9)
    resid = noisy - clean
    # 24,000 samples: the sample std of N(0, 0.2²) is within ~1 % (5 standard errors: 0.2·5/√48000)
    assert resid.std() == pytest.approx(0.2, abs=0.2 * 5 / math.sqrt(2 * len(resid)))
    assert abs(resid.mean()) < 5 * 0.2 / math.sqrt(len(resid))


def test_bitrate_is_frames_times_codebooks_times_log2_k():
    assert demo.bitrate(50, 16) == 200  # 50 × 4
    assert demo.bitrate(50, 1) == 0
    assert demo.bitrate(75, 1024, 2) == 1500  # EnCodec at 1.5 kbps: 75 frames/s, 2 codebooks of 1024
    assert demo.bitrate(12.5, 2048, 8) == 1100  # Mimi (Moshi): 12.5 Hz, 8 codebooks of 2048
    assert demo.bitrate(200, 3) == pytest.approx(200 * math.log(3) / math.log(2))


def test_run_reports_the_formula_and_the_curve():
    views = demo.run(k=16, frame_ms=20, codebooks=2, noise=0.1, seed=4)
    table = next(v for v in views if v["kind"] == "table")
    ks = [r[0] for r in table["rows"]]
    assert ks == [1, 2, 4, 8, 16, 32, 64, 128, 256]
    for k, rate, _ in table["rows"]:
        assert rate == pytest.approx(50 * 2 * math.log2(k))
    curve = next(v for v in views if v["kind"] == "line" and v["marks"])
    assert curve["marks"][0]["x"] == pytest.approx(400)
    note = views[-1]["text"]
    assert "400 比特/秒" in note and "320 倍" in note  # 128,000 / 400


def test_run_single_codebook_curve_is_monotone_and_ends_exact():
    views = demo.run(k=32, noise=0.3, duration=1.0, frame_ms=20)  # 50 frames
    errors = [r[2] for r in next(v for v in views if v["kind"] == "table")["rows"]]
    assert all(b <= a + 1e-6 for a, b in zip(errors, errors[1:])), errors
    assert errors[-1] == 0  # K = 64 ≥ 50 frames


def test_units_view_lists_one_unit_per_frame():
    views = demo.run(duration=0.4, frame_ms=20, k=4)  # 20 frames
    units = views[1]["text"].split()
    assert len(units) == 20 and all(0 <= int(u) < 4 for u in units)


@pytest.mark.parametrize(
    "bad",
    [{"k": 0}, {"k": 257}, {"codebooks": 5}, {"frame_ms": 4}, {"duration": "一秒"}, {"sounds": 2.5}, {"noise": -0.1}],
)
def test_bad_input_gets_a_chinese_message(bad):
    with pytest.raises(DemoError) as err:
        demo.run(**bad)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))
    assert err.value.param == next(iter(bad))


def test_noise_floor_matches_the_closed_form():
    """Once every sound has a codeword, what is left is noise: each codeword averages n/K frames and
    absorbs 1/(n/K) of their noise, so the error is σ²/(0.25 + σ²) · (1 − K/n) (signal RMS 0.5).
    Averaged over 20 waveforms; larger K fits the noise itself, so it may only do better."""
    sigma, n = 0.05, 50
    for k in (4, 8, 16, 32):
        errors = []
        for seed in range(20):
            wave, _ = demo.synth_waveform(4, 1.0, 20, sigma, seed)
            x = demo.frames_of(wave, 160)
            book, codes = demo.kmeans(x, k)
            errors.append(demo.relative_error(x, book[codes]))
        formula = sigma**2 / (0.25 + sigma**2) * (1 - k / n)
        if k <= 8:
            assert np.mean(errors) == pytest.approx(formula, rel=0.03)
        else:
            assert 0.8 * formula < np.mean(errors) <= 1.01 * formula

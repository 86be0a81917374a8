"""自洽性投票 (self_consistency) against brute-force enumeration, closed forms and simulation."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from demos import self_consistency as demo
from demos._params import DemoError


def brute_force(probs, k):
    """Enumerate all (m+1)^k ordered vote sequences; a t-way tie for first gives the correct answer 1/t."""
    a = len(probs)
    total = 0.0
    for seq in itertools.product(range(a), repeat=k):
        counts = [seq.count(i) for i in range(a)]
        top = max(counts)
        if counts[0] == top:
            weight = 1.0
            for s in seq:
                weight *= probs[s]
            total += weight / counts.count(top)
    return total


def binary_closed_form(p, k):
    """Two answers only: P(correct has more than half) + ½·P(exact tie), as exact fractions."""
    p = Fraction(p).limit_denominator(10**6)
    win = sum(math.comb(k, n) * p**n * (1 - p) ** (k - n) for n in range(k // 2 + 1, k + 1))
    if k % 2 == 0:
        win += Fraction(1, 2) * math.comb(k, k // 2) * p ** (k // 2) * (1 - p) ** (k // 2)
    return float(win)


@pytest.mark.parametrize(
    "p, wrong, ratio, k_max",
    [
        (0.4, 2, 1.0, 7),
        (0.4, 2, 0.2, 7),
        (0.3, 3, 0.5, 6),
        (0.25, 4, 0.8, 5),
        (0.6, 1, 1.0, 8),
    ],
)
def test_exact_matches_brute_force_enumeration(p, wrong, ratio, k_max):
    probs = demo.answer_probs(p, wrong, ratio)
    exact = demo.exact_accuracy(probs, k_max)
    for k in range(1, k_max + 1):
        assert exact[k - 1] == pytest.approx(brute_force(probs, k), abs=1e-12), k


def test_exact_with_unequal_wrong_answers_not_from_the_geometric_family():
    probs = np.array([0.35, 0.05, 0.3, 0.1, 0.2])  # correct first, wrong answers in any order
    exact = demo.exact_accuracy(probs, 5)
    assert exact == pytest.approx([brute_force(probs, k) for k in range(1, 6)], abs=1e-12)


@pytest.mark.parametrize("p", [0.1, 0.45, 0.5, 0.7, 0.93])
def test_two_answers_match_the_binomial_closed_form(p):
    exact = demo.exact_accuracy(demo.answer_probs(p, 1, 1.0), 30)
    for k in range(1, 31):
        assert exact[k - 1] == pytest.approx(binary_closed_form(p, k), abs=1e-10), k


def test_hand_computed_k3_example_from_the_chapter():
    # p = 0.4, wrong 0.3 / 0.3: ≥2 correct = 3·0.4²·0.6 + 0.4³ = 0.352; one each → 3-way tie:
    # 6·0.4·0.3·0.3 = 0.216, a third of it wins → 0.072.  Total 0.424.
    assert demo.exact_accuracy(demo.answer_probs(0.4, 2, 1.0), 3)[2] == pytest.approx(0.424)
    # p = 0.4, wrong 0.5 / 0.1: 0.352 + (6·0.4·0.5·0.1)/3 = 0.392, below a single chain.
    assert demo.exact_accuracy(demo.answer_probs(0.4, 2, 0.2), 3)[2] == pytest.approx(0.392)


@pytest.mark.parametrize("p, wrong, ratio", [(0.4, 4, 0.5), (0.2, 12, 1.0), (0.7, 3, 0.05)])
def test_k1_is_p_and_k2_equals_k1_under_random_tie_break(p, wrong, ratio):
    exact = demo.exact_accuracy(demo.answer_probs(p, wrong, ratio), 2)
    assert exact[0] == pytest.approx(p, abs=1e-12)
    # Two votes: agree → that answer; disagree → coin flip.  p² + ½·2p(1−p) = p.
    assert exact[1] == pytest.approx(p, abs=1e-12)


def test_answer_probs_shape_and_geometric_weights():
    probs = demo.answer_probs(0.4, 3, 0.5)
    assert probs.sum() == pytest.approx(1.0)
    assert probs[0] == 0.4
    assert probs[1:] == pytest.approx(0.6 * np.array([4, 2, 1]) / 7)
    assert demo.answer_probs(0.3, 5, 1.0)[1:] == pytest.approx([0.14] * 5)


@pytest.mark.parametrize("p, wrong, ratio", [(0.4, 4, 0.5), (0.35, 2, 0.2), (0.2, 8, 1.0)])
def test_simulation_within_four_standard_errors_of_exact(p, wrong, ratio):
    probs = demo.answer_probs(p, wrong, ratio)
    trials, k_max = 4000, 12
    exact = demo.exact_accuracy(probs, k_max)
    sim = demo.simulate_accuracy(probs, k_max, trials, seed=11)
    se = np.sqrt(exact * (1 - exact) / trials)
    assert np.all(np.abs(sim - exact) <= 4 * se + 1e-9), np.abs(sim - exact) / se
    # and not trivially equal: a simulation has sampling noise
    assert np.any(sim != exact)


def test_simulated_tie_break_is_uniform():
    """k = 2 with three equally likely answers: ties are common; correct share must be ~p = 1/3."""
    probs = np.array([1 / 3, 1 / 3, 1 / 3])
    rng = np.random.default_rng(0)
    n = 30000
    acc = demo.simulate_votes(probs, 2, n, rng)
    assert abs(acc - 1 / 3) < 4 * math.sqrt((1 / 3) * (2 / 3) / n)


def test_voting_helps_when_p_beats_every_wrong_answer():
    probs = demo.answer_probs(0.4, 4, 0.5)  # top wrong answer 0.32 < 0.4
    exact = demo.exact_accuracy(probs, 40)
    assert demo.limit_accuracy(probs) == 1.0
    assert exact[-1] > 0.7 > exact[0]
    odd = exact[0::2]  # k = 1, 3, 5, …
    assert np.all(np.diff(odd) > 0)


def test_voting_hurts_when_a_wrong_answer_beats_p():
    probs = demo.answer_probs(0.4, 2, 0.2)  # wrong answers 0.5 and 0.1
    exact = demo.exact_accuracy(probs, 40)
    assert demo.limit_accuracy(probs) == 0.0
    assert exact[-1] < 0.26 < 0.4 == pytest.approx(exact[0])
    assert np.all(np.diff(exact[0::2]) < 0)


def test_limits_at_large_k():
    """Large-k behaviour: → 1 when p leads, → 0 when a wrong answer leads (Hoeffding-style margin)."""
    assert demo.exact_accuracy(demo.answer_probs(0.6, 3, 0.5), 40)[-1] > 0.99
    assert demo.exact_accuracy(demo.answer_probs(0.2, 1, 1.0), 40)[-1] < 1e-4
    assert demo.limit_accuracy(np.array([0.5, 0.5])) == 0.5
    assert demo.limit_accuracy(np.array([0.3, 0.3, 0.3, 0.1])) == pytest.approx(1 / 3)


def test_exact_probabilities_are_valid_and_sum_over_answers_to_one():
    """Sum over which answer is 'correct' of its win probability is 1 (someone always wins)."""
    base = np.array([0.4, 0.3, 0.2, 0.1])
    total = np.zeros(9)
    for i in range(len(base)):
        order = np.concatenate([[base[i]], np.delete(base, i)])
        total += demo.exact_accuracy(order, 9)
    assert total == pytest.approx(np.ones(9), abs=1e-12)


def test_run_views_and_determinism():
    views = demo.run()
    assert [v["kind"] for v in views] == ["line", "bars", "text", "table"]
    assert views[0]["x"] == list(range(1, 16))
    assert views[1]["highlight"] == 0 and sum(views[1]["values"]) == pytest.approx(1.0, abs=1e-5)
    assert demo.run(seed=3) == demo.run(seed=3)
    assert demo.run(seed=3)[0]["series"][1] != demo.run(seed=4)[0]["series"][1]
    assert "趋于 1" in views[2]["text"]
    assert "趋于 0" in demo.run(ratio=0.2, wrong=2)[2]["text"]


def test_too_much_work_is_a_demo_error():
    with pytest.raises(DemoError) as err:
        demo.run(trials=10000, max_k=40)
    assert err.value.param == "trials"
    demo.run(trials=2500, max_k=40)  # exactly at the limit is fine


@pytest.mark.parametrize("bad", [{"p_correct": 1.2}, {"wrong": 0}, {"ratio": 0.0}, {"max_k": 41}])
def test_out_of_range_values_are_demo_errors(bad):
    with pytest.raises(DemoError):
        demo.run(**bad)


@pytest.mark.parametrize("p", [0.3, 0.55, 0.8])
def test_two_answers_even_k_equals_the_odd_k_below(p):
    """With two answers and a fair coin on ties, 2j votes are exactly as good as 2j − 1."""
    exact = demo.exact_accuracy(demo.answer_probs(p, 1, 1.0), 40)
    np.testing.assert_allclose(exact[1::2], exact[0::2], atol=1e-12)

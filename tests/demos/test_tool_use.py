"""心算还是按计算器 (tool_use) against brute-force counts, hand-computed closed forms and simulation."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from demos import tool_use as demo
from demos._params import DemoError


def brute_long_fraction(op, n):
    """Enumerate every pair of n-digit numbers and count answers of the longer length, exactly."""
    lo, hi = 10 ** (n - 1), 10**n - 1
    longer = 2 * n if op == "mul" else n + 1
    total = long = 0
    for a, b in itertools.product(range(lo, hi + 1), repeat=2):
        total += 1
        long += len(str(a * b if op == "mul" else a + b)) == longer
    return Fraction(long, total)


@pytest.mark.parametrize("op", ["mul", "add"])
@pytest.mark.parametrize("n", [1, 2])
def test_long_answer_fraction_matches_enumeration(op, n):
    assert demo.long_answer_fraction(op, n) == pytest.approx(float(brute_long_fraction(op, n)), abs=1e-15)


def test_long_answer_fraction_by_hand():
    # 1-digit sums: a + b ≥ 10 for exactly a of the b's, so Σ a = 45 of 81 pairs.
    assert demo.long_answer_fraction("add", 1) == pytest.approx(45 / 81)
    # 1-digit products ≥ 10: 81 pairs minus the 23 with a·b ≤ 9 (9+4+3+2+1+1+1+1+1) = 58.
    assert demo.long_answer_fraction("mul", 1) == pytest.approx(58 / 81)


def test_four_digit_products_counted_by_a_plain_loop():
    """Second implementation for n = 4: a Python loop over a with integer ceil division."""
    lo, hi, t = 1000, 9999, 10**7
    count = sum(max(0, hi - max(lo, -(-t // a)) + 1) for a in range(lo, hi + 1))
    assert demo.long_answer_fraction("mul", 4) == pytest.approx(count / 9000**2, abs=1e-15)


def test_fractions_approach_the_continuous_limits():
    """x, y uniform on [1, 10): P(xy ≥ 10) = (90 − 10 ln 10)/81, P(x + y ≥ 10) = 49/81."""
    assert demo.long_answer_fraction("mul", 6) == pytest.approx((90 - 10 * math.log(10)) / 81, abs=1e-5)
    assert demo.long_answer_fraction("add", 6) == pytest.approx(49 / 81, abs=1e-5)


def test_chain_success_closed_forms():
    assert demo.chain_success(0.95, 20) == pytest.approx(0.358486, abs=1e-6)
    assert demo.chain_success(0.99, 20) == pytest.approx(0.817907, abs=1e-6)
    np.testing.assert_allclose(demo.chain_success(0.9, [0, 1, 2]), [1, 0.9, 0.81])


def test_exact_accuracy_by_hand_for_one_digit_sums():
    e, c, f = 0.1, 0.01, 0.3
    mental, tool = demo.exact_accuracy("add", 1, e, c, f)
    q = 5 / 9  # sums with two digits
    want_mental = (1 - q) * (1 - e) + q * (1 - e) ** 2
    want_copy = (1 - q) * (1 - c) ** 3 + q * (1 - c) ** 4  # 2 operand digits + the result's digits
    assert mental == pytest.approx(want_mental)
    assert tool == pytest.approx((1 - f) * want_copy + f * want_mental)


def test_exact_accuracy_limits():
    for op in ("mul", "add"):
        for n in range(1, 7):
            assert demo.exact_accuracy(op, n, 0.0, 0.0, 0.0) == (1.0, 1.0)
            mental, tool = demo.exact_accuracy(op, n, 0.2, 0.03, 1.0)  # the call always fails
            assert tool == pytest.approx(mental)
            mental, tool = demo.exact_accuracy(op, n, 0.05, 0.05, 0.0)  # copying is as risky as thinking
            assert tool < mental  # …and copies more digits


def test_mental_accuracy_falls_with_digits_and_tool_stays_high_by_default():
    view = demo.run()[0]
    series = {s["name"]: s["y"] for s in view["series"]}
    mental, tool = series["心算（精确）"], series["调用计算器（精确）"]
    assert all(x > y for x, y in zip(mental, mental[1:]))
    assert min(tool) > 0.94 and mental[-1] < 0.71
    # 4-digit products: between the 7- and 8-digit closed forms.
    assert 0.97**8 < mental[3] < 0.97**7


@pytest.mark.parametrize("op, e, c, f", [("mul", 0.03, 0.002, 0.02), ("add", 0.15, 0.02, 0.3)])
def test_simulation_agrees_with_exact_within_four_standard_errors(op, e, c, f):
    rng = np.random.default_rng(0)
    count = 20000
    for n in (1, 3, 5):
        sim = demo.simulate(op, n, count, e, c, f, rng)
        exact = demo.exact_accuracy(op, n, e, c, f)
        for s, p in zip(sim, exact):
            assert abs(s - p) < 4 * math.sqrt(p * (1 - p) / count) + 1e-9, (n, s, p)


def test_corrupt_always_changes_a_digit_when_rate_is_one():
    rng = np.random.default_rng(1)
    for _ in range(200):
        out = demo.corrupt("1234567890", 1.0, rng)
        assert all(x != y for x, y in zip(out, "1234567890")) and out.isdigit()
    assert demo.corrupt("987", 0.0, rng) == "987"


def test_trace_protocol_with_a_perfect_model():
    rows = demo.run(digit_error=0.0, copy_error=0.0, format_error=0.0, trace_digits=3, seed=5)[1]["rows"]
    who = [r[1] for r in rows]
    assert who == ["用户", "模型", "系统", "系统", "模型", "模型"]
    a, b = (int(x) for x in rows[0][2].split(" 等于")[0].split(" × "))
    assert 100 <= a <= 999 and 100 <= b <= 999
    assert rows[1][2] == f"[计算器({a}×{b})→"
    assert rows[2][2].endswith(f"= {a * b}")
    assert rows[3][2] == f"[计算器({a}×{b})→{a * b}]"
    assert rows[4][2] == f"答案是 {a * b}。" and rows[4][3].endswith("对")


def test_trace_falls_back_to_mental_when_the_format_always_fails():
    rows = demo.run(format_error=0.5, seed=0)[1]["rows"]
    broken = [demo.run(format_error=0.5, seed=s)[1]["rows"] for s in range(20)]
    assert any(len(r) == 3 and "格式写错" in r[1][3] for r in broken)
    assert rows  # every run still gives a trace


def test_bad_combinations_raise():
    with pytest.raises(DemoError) as info:
        demo.run(max_digits=3, trace_digits=4)
    assert info.value.param == "trace_digits"
    with pytest.raises(DemoError) as info:
        demo.run(max_digits=6, problems=2000)
    assert info.value.param == "problems"


def test_same_seed_same_answer_and_seeds_differ():
    assert demo.run(seed=7) == demo.run(seed=7)
    assert demo.run(seed=7)[0] != demo.run(seed=8)[0]

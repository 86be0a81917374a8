"""Speculative decoding (speculative_decoding): the output follows the target exactly; Leviathan et al.'s closed forms."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from demos import speculative_decoding as demo
from demos import text_continuation
from demos._lm import course_model
from demos._params import DemoError
from tests.stats import chi2_critical, chi2_stat

# --------------------------------------------------------------------------- the rule, exactly


def one_step_output(p, q):
    """Exact distribution of one speculative token: draft x ~ q, keep it w.p. a(x), else draw the residual."""
    r = demo.residual(p, q)
    out = np.zeros_like(p)
    for x in range(len(p)):
        a = demo.acceptance_prob(p, q, x)
        out[x] += q[x] * a
        out += q[x] * (1 - a) * r
    return out


@pytest.mark.parametrize(
    "p, q",
    [
        ([0.5, 0.3, 0.2], [0.2, 0.3, 0.5]),
        ([0.7, 0.3, 0.0], [0.0, 0.1, 0.9]),  # the draft puts mass where the target has none
        ([1.0, 0.0, 0.0], [0.0, 0.0, 1.0]),  # disjoint: every draft rejected
        ([0.25, 0.25, 0.5], [0.25, 0.25, 0.5]),  # identical: every draft accepted
        ([0.0, 1.0, 0.0], [0.0, 1.0, 0.0]),  # greedy on both sides, agreeing
    ],
)
def test_one_step_output_equals_target_exactly(p, q):
    p, q = np.array(p), np.array(q)
    np.testing.assert_allclose(one_step_output(p, q), p, atol=1e-12)


def test_one_step_output_equals_target_for_random_pairs():
    rng = np.random.default_rng(0)
    for _ in range(200):
        p, q = rng.dirichlet(np.full(6, 0.5)), rng.dirichlet(np.full(6, 0.5))
        np.testing.assert_allclose(one_step_output(p, q), p, atol=1e-12)


def test_acceptance_and_residual_by_hand():
    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    assert [demo.acceptance_prob(p, q, x) for x in range(3)] == pytest.approx([1.0, 1.0, 0.4])
    np.testing.assert_allclose(demo.residual(p, q), [1.0, 0.0, 0.0])  # max(0, p − q) = (0.3, 0, 0)
    assert demo.overlap(p, q) == pytest.approx(0.2 + 0.3 + 0.2)


def test_draw_is_inverse_cdf_and_skips_empty_items():
    probs = np.array([0.2, 0.0, 0.5, 0.3])
    assert [demo.draw(probs, u) for u in (0.0, 0.1999, 0.2, 0.69, 0.7, 0.9999)] == [0, 0, 2, 2, 3, 3]


# --------------------------------------------------------------------------- closed forms


def test_expected_tokens_and_speedup_by_hand():
    # α = 0.8, γ = 4: (1 − 0.8⁵)/0.2 = 3.3616; with c = 0.05 divide by 1.2 → 2.80133
    assert demo.expected_tokens_per_call(0.8, 4) == pytest.approx(3.3616)
    assert demo.expected_speedup(0.8, 4, 0.05) == pytest.approx(3.3616 / 1.2)
    assert demo.expected_tokens_per_call(1.0, 4) == 5.0
    assert demo.expected_tokens_per_call(0.0, 7) == pytest.approx(1.0)
    # a geometric sum: 1 + α + … + α^γ
    assert demo.expected_tokens_per_call(0.5, 3) == pytest.approx(1 + 0.5 + 0.25 + 0.125)


@pytest.mark.parametrize("gamma", [1, 3, 6])
def test_tokens_per_call_matches_closed_form_for_constant_models(gamma):
    """History-free p and q make acceptances i.i.d. with α = Σ min(p, q): the setting of the closed form."""
    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    alpha = demo.overlap(p, q)  # 0.7
    rng = np.random.default_rng(gamma)
    _, steps = demo.speculative_generate(lambda ids: p, lambda ids: q, 12000, gamma, rng)
    per_call = np.array([s["accepted"] + 1 for s in steps[:-1]])  # the last step may be cut short
    mean, se = per_call.mean(), per_call.std() / math.sqrt(len(per_call))
    assert abs(mean - demo.expected_tokens_per_call(alpha, gamma)) < 4 * se
    checked = sum(len(s["betas"]) for s in steps)
    rate = sum(s["accepted"] for s in steps) / checked
    assert abs(rate - alpha) < 4 * math.sqrt(alpha * (1 - alpha) / checked)


# --------------------------------------------------------------------------- the whole loop follows the target


def markov(table):
    """A tiny history-dependent model: the next-token distribution depends on the last token."""
    table = {k: np.array(v, dtype=float) for k, v in table.items()}
    return lambda ids: table[ids[-1] if ids else None]


TARGET = markov({None: [0.6, 0.3, 0.1], 0: [0.1, 0.1, 0.8], 1: [0.5, 0.5, 0.0], 2: [0.3, 0.3, 0.4]})
DRAFT = markov({None: [0.2, 0.2, 0.6], 0: [0.6, 0.2, 0.2], 1: [0.1, 0.1, 0.8], 2: [1 / 3, 1 / 3, 1 / 3]})


@pytest.mark.parametrize("gamma", [1, 2, 4])
def test_first_three_tokens_follow_the_target_on_a_tiny_markov_model(gamma):
    n = 12000
    rng = np.random.default_rng(10 + gamma)
    counts = Counter(tuple(demo.speculative_generate(TARGET, DRAFT, 3, gamma, rng)[0]) for _ in range(n))
    expected = {}
    for a in range(3):
        for b in range(3):
            for c in range(3):
                expected[(a, b, c)] = TARGET([])[a] * TARGET([a])[b] * TARGET([a, b])[c]
    stat, df = chi2_stat(counts, expected, n)
    assert counts[(1, 2, 0)] + counts[(1, 2, 1)] + counts[(1, 2, 2)] == 0  # target never says 2 after 1
    assert stat < chi2_critical(df), (stat, df)


def test_first_two_characters_follow_the_course_target_model():
    """Course models, a weak draft (order 1, α ≈ 0.4): pairs of first characters vs p(x₁)·p(x₂ | x₁)."""
    prompt, n = "语言模型", 3000
    target, draft, vocab = demo.course_models(prompt, 1, 1.0)
    rng = np.random.default_rng(123)
    counts = Counter(tuple(demo.speculative_generate(target, draft, 2, 3, rng)[0]) for _ in range(n))
    p1 = target([])
    expected = {}
    for a in np.argsort(-p1)[:12]:
        p2 = target([int(a)])
        for b in np.argsort(-p2)[:12]:
            expected[(int(a), int(b))] = float(p1[a] * p2[b])
    stat, df = chi2_stat(counts, expected, n)  # everything else is pooled into one cell
    assert df >= 5
    assert stat < chi2_critical(df), (stat, df)
    firsts = Counter(k[0] for k in counts.elements())
    stat1, df1 = chi2_stat(firsts, {i: float(p1[i]) for i in range(len(p1))}, n)
    assert stat1 < chi2_critical(df1), (stat1, df1)


def test_identical_draft_is_always_accepted():
    text, steps = demo.generate_text("语言模型", 40, 5, 3, 1.0, seed=2)
    assert all(s["accepted"] == 5 for s in steps[:-1])
    assert all(b == pytest.approx(1.0) for s in steps for b in s["betas"])


@pytest.mark.parametrize("draft_order", [1, 2])
def test_greedy_speculation_gives_exactly_plain_greedy_text(draft_order):
    for prompt in ("语言模型", "台湾最高的山是", "扩散模型"):
        plain, _ = text_continuation.continue_text(prompt, 30, 0.0, 0, 1.0, 3, seed=0)
        spec, _ = demo.generate_text(prompt, 30, 4, draft_order, 0.0, seed=99)
        assert spec == plain, prompt


def test_stops_at_sentence_end_and_respects_length():
    for seed in range(6):
        text, _ = demo.generate_text("台湾", 25, 4, 2, 1.0, seed)
        assert len(text) <= 25 and "。" not in text[:-1]


# --------------------------------------------------------------------------- the demo's output


def test_run_tables_agree_with_each_other():
    views = demo.run(seed=5, gamma=3, cost_ratio=0.2)
    steps, text, numbers, _, curve = views[:5]
    produced = len(text["text"]) - len("语言模型")
    assert sum(r[5] for r in steps["rows"]) >= produced > sum(r[5] for r in steps["rows"][:-1])
    rows = {r[0]: r for r in numbers["rows"]}
    calls = rows["大模型调用"]
    assert calls[1] == len(steps["rows"]) and calls[2] == produced
    checked, accepted = map(int, rows["检查/接受"][1].split(" / "))
    alpha = accepted / checked
    assert rows["接受率 α"][1] == pytest.approx(alpha, abs=1e-3)
    speed = rows["加速比"]
    assert speed[1] == pytest.approx(produced / (calls[1] * (1 + 0.2 * 3)), abs=1e-3)
    beta = rows["接受率 α"][2]  # the theory uses the expected rate, not the measured α
    assert speed[2] == pytest.approx((1 - beta**4) / ((1 - beta) * 1.6), abs=2e-3)
    assert curve["marks"][0]["x"] == 3 and len(curve["x"]) == 8
    for r in steps["rows"]:
        accepted, rejected, discarded = (x.replace("—", "") for x in r[1:4])
        assert len(accepted) + len(rejected) + len(discarded) == 3  # γ drafted characters
        assert r[5] == len(accepted) + 1  # + the target's own token
        assert (len(rejected) == 0) == (len(accepted) == 3)  # rejected unless all passed
        assert not discarded or rejected


def test_cheap_good_draft_speeds_up_and_costly_bad_one_slows_down():
    fast = {r[0]: r for r in demo.run(draft_order=2, cost_ratio=0.05, length=60, seed=1)[2]["rows"]}
    slow = {r[0]: r for r in demo.run(draft_order=1, cost_ratio=0.5, gamma=8, length=60, seed=1)[2]["rows"]}
    assert fast["加速比"][2] > 1.3
    assert slow["加速比"][2] < 1.0


def test_same_seed_same_answer_and_seeds_differ():
    assert demo.run(seed=3) == demo.run(seed=3)
    assert demo.run(seed=3)[1] != demo.run(seed=4)[1]


def test_bad_values_are_typed_errors():
    with pytest.raises(DemoError) as info:
        demo.run(gamma=9)
    assert info.value.param == "gamma"
    with pytest.raises(DemoError):
        demo.run(draft_order=0)


def test_draft_and_target_share_the_vocabulary():
    assert course_model(1).vocab == course_model(3).vocab


def test_sampling_panel_matches_the_target_distribution():
    """N first tokens from speculative rounds are as close to p as N plain draws; the draft alone is not."""
    p, spec, plain, _ = demo.first_token_samples("语言模型", 4, 1, 1.0, 20_000, 5)
    q = demo.course_models("语言模型", 1, 1.0)[1]([])
    tv_spec, tv_plain, tv_draft = (demo.total_variation(x, p) for x in (spec, plain, q))
    assert tv_draft > 0.3  # the unigram draft is far from the target
    # sampling noise at N = 20,000 over a few hundred characters: both well under the draft's distance
    assert tv_spec < 0.08 and tv_plain < 0.08
    assert abs(tv_spec - tv_plain) < 0.03
    # the head of the distribution, where counts are large, agrees within 4 standard errors
    top = np.argsort(-p)[:5]
    se = np.sqrt(p[top] * (1 - p[top]) / 20_000)
    assert np.all(np.abs(spec[top] - p[top]) < 4 * se)


def test_total_variation_by_hand():
    assert demo.total_variation([0.5, 0.5, 0.0], [0.2, 0.3, 0.5]) == pytest.approx(0.5)
    assert demo.total_variation([1, 0], [1, 0]) == 0.0


def test_sampling_panel_views_and_off_switch():
    on = demo.run(samples=500)
    assert on[-2]["title"].startswith("采样 500 次") and "总变差距离" in on[-1]["text"]
    off = demo.run(samples=0)
    assert len(off) == len(on) - 2

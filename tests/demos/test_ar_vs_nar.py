"""AR vs NAR vs mask-predict (ar_vs_nar) against closed forms, brute-force enumeration and chi-square tests."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest

from demos import ar_vs_nar as demo
from demos._params import DemoError
from tests.stats import chi2_critical, chi2_stat

CITIES = "台北:30 台南:20 高雄:25 花莲:15 新竹:10"
FIELDS = "深度学习 机器学习 强化学习 迁移学习"
ANIMALS = "小猫:2 小狗:2 大象:1 大鹅:1 老虎:3"


def test_chi2_critical_matches_tables():
    # printed tables: χ²_{0.999}(5) = 20.52, (10) = 29.59, (20) = 45.31
    for df, table in ((5, 20.52), (10, 29.59), (20, 45.31)):
        assert chi2_critical(df) == pytest.approx(table, rel=0.02)  # slightly conservative


# --------------------------------------------------------------------------- the toy distribution


def test_parse_weights_and_equal_default():
    words, probs = demo.parse_phrases(CITIES)
    assert words == ["台北", "台南", "高雄", "花莲", "新竹"]
    np.testing.assert_allclose(probs, [0.3, 0.2, 0.25, 0.15, 0.1])
    words, probs = demo.parse_phrases("甲乙，丙丁、戊己")
    assert words == ["甲乙", "丙丁", "戊己"]
    np.testing.assert_allclose(probs, [1 / 3] * 3)
    assert demo.parse_phrases("ab：3 cd:1")[1] == pytest.approx([0.75, 0.25])


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("台北 高雄市", "字数必须相同"),
        ("台北 台北", "两次"),
        ("台北:-1 高雄", "正数"),
        ("台北:abc 高雄", "正数"),
        ("台北:nan 高雄", "正数"),
        ("台北: 高雄", "正数"),
        (":3 高雄", "缺少短语"),
        ("台北:1:2", "冒号"),
        ("一二三四五六七", "最多 6 个字"),
        (" ".join(f"甲{c}" for c in "一二三四五六七八九十壹贰参"), "最多 12 个短语"),
        (",,,", "至少写一个"),
    ],
)
def test_bad_phrase_sets_raise_demo_error(spec, fragment):
    with pytest.raises(DemoError, match=fragment) as info:
        demo.run(phrases=spec)
    assert info.value.param == "phrases"


def test_marginals_by_hand():
    words, probs = demo.parse_phrases(CITIES)
    first, second = demo.marginals(words, probs)
    assert demo.position_vocab(words) == [["台", "高", "花", "新"], ["北", "南", "雄", "莲", "竹"]]
    np.testing.assert_allclose(first, [0.5, 0.25, 0.15, 0.1])
    np.testing.assert_allclose(second, [0.3, 0.2, 0.25, 0.15, 0.1])


def brute_force_nar_invalid(spec):
    """Enumerate every combination of per-position characters; add up those that are not phrases."""
    words, probs = demo.parse_phrases(spec)
    vocab = demo.position_vocab(words)
    margs = demo.marginals(words, probs)
    bad = 0.0
    for combo in itertools.product(*[range(len(v)) for v in vocab]):
        s = "".join(vocab[i][c] for i, c in enumerate(combo))
        if s not in words:
            bad += math.prod(margs[i][c] for i, c in enumerate(combo))
    return bad


def test_nar_invalid_rate_closed_form_by_hand():
    # valid mass = .5·.3 + .5·.2 + .25·.25 + .15·.15 + .1·.1 = .345
    assert demo.nar_invalid_rate(*demo.parse_phrases(CITIES)) == pytest.approx(0.655)
    assert demo.nar_invalid_rate(*demo.parse_phrases(FIELDS)) == pytest.approx(0.75)  # 4 · (1/4)²
    assert demo.nar_invalid_rate(*demo.parse_phrases("台北")) == pytest.approx(0.0)


@pytest.mark.parametrize("spec", [CITIES, FIELDS, ANIMALS, "ab:1 ba:1 aa:3"])
def test_nar_invalid_rate_matches_enumeration(spec):
    assert demo.nar_invalid_rate(*demo.parse_phrases(spec)) == pytest.approx(brute_force_nar_invalid(spec))


# --------------------------------------------------------------------------- the strategies


@pytest.mark.parametrize("spec", [CITIES, FIELDS, ANIMALS])
def test_ar_never_produces_an_invalid_phrase_and_follows_the_joint(spec):
    words, probs = demo.parse_phrases(spec)
    n = 20000
    out = demo.sample_ar(words, probs, n, np.random.default_rng(1))
    assert not demo.invalid_mask(out, words).any()
    vocab = demo.position_vocab(words)
    counts = Counter(demo.decode(r, vocab) for r in out)
    stat, df = chi2_stat(counts, dict(zip(words, probs)), n, closed=True)
    assert stat < chi2_critical(df), (stat, df)


@pytest.mark.parametrize("spec", [CITIES, FIELDS, ANIMALS])
def test_nar_invalid_rate_statistically(spec):
    words, probs = demo.parse_phrases(spec)
    n = 20000
    out, _ = demo.sample_nar(words, probs, n, np.random.default_rng(2))
    rate = demo.invalid_mask(out, words).mean()
    p = demo.nar_invalid_rate(words, probs)
    assert abs(rate - p) < 4 * math.sqrt(p * (1 - p) / n) + 1e-9


def test_nar_combinations_follow_product_of_marginals():
    words, probs = demo.parse_phrases(CITIES)
    vocab, margs = demo.position_vocab(words), demo.marginals(words, probs)
    n = 20000
    out, conf = demo.sample_nar(words, probs, n, np.random.default_rng(3))
    expected = {
        vocab[0][a] + vocab[1][b]: margs[0][a] * margs[1][b] for a in range(len(vocab[0])) for b in range(len(vocab[1]))
    }
    stat, df = chi2_stat(Counter(demo.decode(r, vocab) for r in out), expected, n, closed=True)
    assert stat < chi2_critical(df), (stat, df)
    # the confidence of each drafted character is its marginal probability
    np.testing.assert_allclose(conf[:, 0], margs[0][out[:, 0]])


def test_mask_schedule_by_hand():
    assert demo.masks_per_round(2, 0) == []
    assert demo.masks_per_round(2, 1) == [1]
    assert demo.masks_per_round(4, 1) == [2]
    assert demo.masks_per_round(4, 3) == [3, 2, 1]
    assert demo.masks_per_round(6, 2) == [4, 2]
    assert demo.masks_per_round(2, 5) == [1] * 5


def exact_one_round_two_chars(spec):
    """Hand derivation for two-character phrases and one round: draft (a, b) from the marginals,
    mask whichever has the lower marginal (tie → the first), redraw it from P(· | the other)."""
    words, probs = demo.parse_phrases(spec)
    weight = dict(zip(words, probs))
    firsts = {w[0] for w in words}
    seconds = {w[1] for w in words}
    m0 = {a: sum(p for w, p in weight.items() if w[0] == a) for a in firsts}
    m1 = {b: sum(p for w, p in weight.items() if w[1] == b) for b in seconds}
    out = Counter()
    for a in firsts:
        for b in seconds:
            draft = m0[a] * m1[b]
            if m0[a] <= m1[b]:  # first position is less confident → redraw it given b
                for w, p in weight.items():
                    if w[1] == b:
                        out[w] += draft * p / m1[b]
            else:
                for w, p in weight.items():
                    if w[0] == a:
                        out[w] += draft * p / m0[a]
    return dict(out)


@pytest.mark.parametrize("spec", [CITIES, ANIMALS])
def test_one_round_of_mask_predict_matches_hand_derivation(spec):
    words, probs = demo.parse_phrases(spec)
    vocab = demo.position_vocab(words)
    rng = np.random.default_rng(4)
    n = 20000
    start, conf = demo.sample_nar(words, probs, n, rng)
    out, _ = demo.mask_predict(words, probs, start, conf, 1, rng)
    expected = exact_one_round_two_chars(spec)
    assert sum(expected.values()) == pytest.approx(1.0)
    stat, df = chi2_stat(Counter(demo.decode(r, vocab) for r in out), expected, n, closed=True)
    assert stat < chi2_critical(df), (stat, df)


def test_mask_predict_fixes_mismatches_but_skews_the_mix():
    sim = demo.simulate(*demo.parse_phrases(CITIES), iterations=1, samples=5000, seed=5)
    assert sim["invalid"]["mp"] == 0.0 < sim["invalid"]["nar"]
    # exact: 新竹 keeps only the drafts 新竹 (0.1·0.1) and a redrawn 新? / ?竹 — far below its 0.1
    expected = exact_one_round_two_chars(CITIES)
    assert expected["新竹"] < 0.02 and expected["台北"] > 0.4


@pytest.mark.parametrize("spec, rounds", [(CITIES, 1), (ANIMALS, 1), (FIELDS, 2), (FIELDS, 3), ("ab:1 ba:1 aa:1", 1)])
def test_mask_predict_lowers_the_invalid_rate(spec, rounds):
    sim = demo.simulate(*demo.parse_phrases(spec), iterations=rounds, samples=4000, seed=6)
    assert sim["invalid"]["mp"] < sim["invalid"]["nar"] - 0.05


def test_one_round_on_four_characters_masks_both_uncertain_positions():
    """With L = 4 the single round re-masks 2 positions: exactly the two uncertain ones (「学习」 has
    confidence 1), and they are redrawn independently, so nothing improves: same rate as NAR (0.75)."""
    n = 20000
    sim = demo.simulate(*demo.parse_phrases(FIELDS), iterations=1, samples=n, seed=7)
    assert abs(sim["invalid"]["mp"] - 0.75) < 4 * math.sqrt(0.75 * 0.25 / n)


def test_zero_rounds_is_plain_nar():
    sim = demo.simulate(*demo.parse_phrases(CITIES), iterations=0, samples=500, seed=8)
    assert sim["mp"] == sim["nar"]


def test_total_variation_by_hand():
    words, probs = demo.parse_phrases("ab:1 cd:1")
    assert demo.total_variation(["ab", "ab", "cd", "cd"], words, probs) == pytest.approx(0.0)
    assert demo.total_variation(["ab", "ab", "ab", "ad"], words, probs) == pytest.approx(0.5)


# --------------------------------------------------------------------------- the demo's output


def test_run_views_are_consistent():
    views = demo.run(samples=800, seed=9)
    bars, counts, trace, summary = views
    assert bars["labels"][2] == "NAR 理论" and bars["values"][2] == pytest.approx(0.655)
    assert bars["values"][0] == 0.0 and bars["values"][3] == 0.0
    for col in (4, 5, 6):
        assert sum(r[col] for r in counts["rows"]) == 800
    nar_bad = sum(r[5] for r in counts["rows"] if r[1] == "否")
    assert nar_bad / 800 == pytest.approx(bars["values"][1])
    assert len(trace["rows"]) == demo.SHOW_TRACES and "0.655" in summary["text"]


def test_trace_shows_masks_and_results():
    trace = demo.run(phrases=FIELDS, iterations=2, seed=1)[2]
    for row in trace["rows"]:
        first, second = row[2], row[3]
        assert first.startswith("□□学习 → ") and second.count("□") == 1
        assert row[-1] == "是"


def test_no_trace_table_without_rounds():
    assert [v["kind"] for v in demo.run(iterations=0)] == ["bars", "table", "text"]


def test_same_seed_same_answer_and_seeds_differ():
    assert demo.run(seed=3) == demo.run(seed=3)
    assert demo.run(seed=3)[1] != demo.run(seed=4)[1]

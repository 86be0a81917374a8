"""文字接龙 (text_continuation) and the shared n-gram model, against independent references."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from demos import text_continuation as demo
from demos._lm import NGramModel, course_model, read_corpus, reshape

TINY = ["abab。", "abc。"]


def reference_prob(sentences, order, floor, history, ch):
    """Plain-Python interpolated n-gram probability: a second implementation to check against."""
    vocab = sorted({c for s in sentences for c in s})
    num = den = 0.0
    for k in range(order):
        ctx = history[len(history) - k :] if k else ""
        if k and len(history) < k:
            continue
        follow = Counter(s[i] for s in sentences for i in range(k, len(s)) if s[i - k : i] == ctx)
        if k and not follow:
            continue
        weight = 2.0**k
        num += weight * follow[ch] / sum(follow.values())
        den += weight
    return (1 - floor) * num / den + floor / len(vocab)


@pytest.mark.parametrize("history", ["", "a", "ab", "b", "ba", "c", "zz", "abc"])
def test_model_matches_plain_python_reference(history):
    model = NGramModel(TINY, order=3, floor=0.01)
    probs = model.distribution(history)
    for ch in model.vocab:
        assert probs[model.index[ch]] == pytest.approx(reference_prob(TINY, 3, 0.01, history, ch))
    assert probs.sum() == pytest.approx(1.0)


def test_counts_by_hand():
    model = NGramModel(TINY, order=2)
    assert model.counts[0][""] == Counter({"a": 3, "b": 3, "。": 2, "c": 1})
    assert model.counts[1]["b"] == Counter({"a": 1, "。": 1, "c": 1})


def test_unseen_context_backs_off_to_a_proper_distribution():
    model = course_model(3)
    probs = model.distribution("🙂☃")
    assert probs.sum() == pytest.approx(1.0) and (probs > 0).all()
    np.testing.assert_allclose(probs, model.distribution(""))  # only the unigram is left


def test_reshape_closed_forms():
    p = np.array([0.5, 0.3, 0.2])
    np.testing.assert_allclose(reshape(p, 1.0), p)
    q = p ** (1 / 0.5)
    np.testing.assert_allclose(reshape(p, 0.5), q / q.sum())
    np.testing.assert_array_equal(reshape(p, 0.0), [1, 0, 0])
    np.testing.assert_allclose(reshape(p, 1.0, top_k=2), [0.625, 0.375, 0])
    np.testing.assert_allclose(reshape(p, 1.0, top_p=0.75), [0.625, 0.375, 0])
    np.testing.assert_allclose(reshape(p, 1.0, top_p=0.5), [1, 0, 0])
    high = reshape(p, 100.0)
    assert high.max() - high.min() < 0.01  # very high temperature → nearly uniform


def test_corpus_is_substantial_and_sentences_end():
    sentences = read_corpus()
    assert sum(len(s) for s in sentences) >= 3000
    assert all(s.endswith(("。", "？", "！")) for s in sentences)


def texts(**kw):
    return [demo.run(seed=s, **kw)[1]["text"] for s in range(8)]


def test_different_seeds_give_different_answers():
    assert len(set(texts(temperature=1.0, top_k=0))) > 1


def test_temperature_zero_and_top_k_one_are_greedy_and_deterministic():
    greedy = texts(temperature=0.0)
    assert len(set(greedy)) == 1
    assert texts(top_k=1) == greedy
    steps = demo.run(temperature=0.0)[0]["steps"]
    assert all(s["token"] == s["candidates"][0]["token"] for s in steps)


def test_same_seed_same_answer():
    assert demo.run(seed=7) == demo.run(seed=7)


def test_unseen_prompt_still_continues():
    views = demo.run(prompt="ZQX@#", length=5)
    assert views[1]["text"].startswith("ZQX@#") and len(views[0]["steps"]) >= 1


def test_stops_at_sentence_end_and_respects_length():
    for seed in range(5):
        steps = demo.run(seed=seed, length=30)[0]["steps"]
        assert len(steps) <= 30
        assert all(s["token"] != "。" for s in steps[:-1])


def test_first_token_frequencies_follow_the_model():
    """Sampling at T=1 with no truncation: empirical frequencies ≈ the model's distribution."""
    model = course_model(3)
    probs = model.distribution("语言")
    n = 3000
    drawn = Counter(
        demo.run(prompt="语言", length=1, temperature=1.0, top_k=0, seed=s)[0]["steps"][0]["token"] for s in range(n)
    )
    for ch, count in drawn.most_common(3):
        p = probs[model.index[ch]]
        assert abs(count / n - p) < 4 * np.sqrt(p * (1 - p) / n) + 1e-3, ch


def test_candidates_are_the_reshaped_distribution():
    steps = demo.run(prompt="台湾", length=1, temperature=0.7, top_k=3, seed=1)[0]["steps"]
    expected = reshape(course_model(3).distribution("台湾"), 0.7, 3)
    top = sorted(expected, reverse=True)[:3]
    assert [c["p"] for c in steps[0]["candidates"]] == pytest.approx(top, rel=1e-3)

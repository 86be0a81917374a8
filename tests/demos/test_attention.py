"""自注意力 (attention): checked against a plain-Python attention, closed forms and symmetry properties."""

from __future__ import annotations

import math

import numpy as np
import pytest

from demos import attention as demo
from demos._params import DemoError

# --------------------------------------------------------------------------- an independent reference


def reference_attention(q, k, v, causal):
    """Scaled dot-product attention with loops and math.exp only (no numpy)."""
    n, d = len(q), len(q[0])
    weights, outputs = [], []
    for i in range(n):
        allowed = range(i + 1) if causal else range(n)
        scores = {j: sum(q[i][t] * k[j][t] for t in range(d)) / math.sqrt(d) for j in allowed}
        top = max(scores.values())
        exps = {j: math.exp(s - top) for j, s in scores.items()}
        total = sum(exps.values())
        row = [exps[j] / total if j in exps else 0.0 for j in range(n)]
        weights.append(row)
        outputs.append([sum(row[j] * v[j][t] for j in range(n)) for t in range(len(v[0]))])
    return outputs, weights


def heat(views):
    return [np.array(v["matrix"]) for v in views if v["kind"] == "heatmap"]


# --------------------------------------------------------------------------- the core against the reference


@pytest.mark.parametrize("causal", [True, False])
def test_matches_plain_python_on_a_small_case(causal):
    rng = np.random.default_rng(3)
    q, k, v = rng.standard_normal((3, 4, 2))
    out, w, _ = demo.scaled_dot_product_attention(q, k, v, causal)
    ref_out, ref_w = reference_attention(q.tolist(), k.tolist(), v.tolist(), causal)
    np.testing.assert_allclose(w, ref_w, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(out, ref_out, rtol=1e-12, atol=1e-15)


def test_hand_computed_two_token_case():
    """q = k rows (1,0),(0,1) in 2-d: scores are 1/√2 on the diagonal, 0 off it."""
    x = np.eye(2)
    _, w, scores = demo.scaled_dot_product_attention(x, x, x, causal=False)
    np.testing.assert_allclose(scores, np.eye(2) / math.sqrt(2))
    a = math.exp(1 / math.sqrt(2))
    np.testing.assert_allclose(w, [[a / (a + 1), 1 / (a + 1)], [1 / (a + 1), a / (a + 1)]])
    _, wc, _ = demo.scaled_dot_product_attention(x, x, x, causal=True)
    np.testing.assert_array_equal(wc[0], [1.0, 0.0])  # the first token sees only itself
    np.testing.assert_allclose(wc[1], w[1])  # the last row is unaffected by the mask


def test_whole_layer_matches_reference_through_the_projections():
    tokens = list("台湾大学")
    x = demo.token_vectors(tokens)
    for h, (_, w, _) in enumerate(demo.multi_head_attention(x, 3, seed=5, causal=True)):
        wq, wk, wv = demo.head_projections(5, h)
        _, ref_w = reference_attention((x @ wq).tolist(), (x @ wk).tolist(), (x @ wv).tolist(), True)
        np.testing.assert_allclose(w, ref_w, rtol=1e-10)


# --------------------------------------------------------------------------- what every weight table must satisfy


@pytest.mark.parametrize("sentence", ["台湾最高的山是玉山", "a", "我爱吃苹果也爱用苹果手机", "  空 格 "])
@pytest.mark.parametrize("causal", [True, False])
def test_rows_sum_to_one_and_mask_is_exact(sentence, causal):
    for w in heat(demo.run(sentence=sentence, heads=4, causal=causal)):
        np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=1e-3)  # views round to 4 digits
        assert (w >= 0).all()
        if causal:
            assert (w[np.triu_indices(len(w), 1)] == 0.0).all()  # exactly zero, not tiny
    for _, w, _ in demo.multi_head_attention(demo.token_vectors(list(sentence.strip())), 4, 0, causal):
        np.testing.assert_allclose(w.sum(axis=1), 1.0, rtol=0, atol=1e-12)
        if causal:
            assert (np.triu(w, 1) == 0.0).all()
        else:
            assert (w > 0).all()


def test_masked_softmax_handles_huge_scores():
    s = np.array([[1000.0, -1000.0], [5.0, 1e308]])
    w = demo.masked_softmax(s, demo.causal_mask(2))
    np.testing.assert_array_equal(w, [[1.0, 0.0], [0.0, 1.0]])


# --------------------------------------------------------------------------- symmetry properties


def test_without_positions_and_mask_permuting_tokens_permutes_weights():
    tokens = list("生成式人工智能")
    perm = np.random.default_rng(0).permutation(len(tokens))
    shuffled = [tokens[i] for i in perm]
    a = demo.multi_head_attention(demo.token_vectors(tokens, False), 2, 9, causal=False)
    b = demo.multi_head_attention(demo.token_vectors(shuffled, False), 2, 9, causal=False)
    for (_, wa, _), (_, wb, _) in zip(a, b):
        np.testing.assert_allclose(wb, wa[np.ix_(perm, perm)], rtol=1e-12)
    # with positions the same shuffle no longer just permutes the table
    a = demo.multi_head_attention(demo.token_vectors(tokens, True), 1, 9, causal=False)
    b = demo.multi_head_attention(demo.token_vectors(shuffled, True), 1, 9, causal=False)
    assert not np.allclose(b[0][1], a[0][1][np.ix_(perm, perm)], atol=1e-3)


def test_without_positions_repeated_characters_get_identical_weights():
    views = demo.run(sentence="山高山", positional=False, causal=False, heads=3)
    for w in heat(views):
        np.testing.assert_array_equal(w[:, 0], w[:, 2])  # both 山 look the same to every query
        np.testing.assert_array_equal(w[0], w[2])  # and they look at the same things
    for w in heat(demo.run(sentence="山高山", positional=True, causal=False, heads=3)):
        assert not np.array_equal(w[:, 0], w[:, 2])


def test_identical_tokens_without_positions_share_attention_evenly():
    """Same vectors → same scores → uniform weights: 1/n without the mask, 1/i on row i with it."""
    w = heat(demo.run(sentence="山山山山", positional=False, causal=False))[0]
    np.testing.assert_allclose(w, 0.25, atol=1e-4)
    w = heat(demo.run(sentence="山山山山", positional=False, causal=True))[0]
    for i in range(4):
        np.testing.assert_allclose(w[i, : i + 1], 1 / (i + 1), atol=1e-4)


def test_the_last_row_does_not_depend_on_the_mask():
    a = heat(demo.run(causal=True))
    b = heat(demo.run(causal=False))
    for wa, wb in zip(a, b):
        assert wa[-1].tolist() == wb[-1].tolist()
        assert wa[0].tolist() != wb[0].tolist()


def test_positional_dot_products_depend_only_on_the_offset():
    """Sinusoidal encodings: PE(p)·PE(q) is a function of p − q (a shift changes nothing)."""
    pe = demo.positional_encoding(40)
    gram = pe @ pe.T
    for shift in (1, 7, 20):
        np.testing.assert_allclose(gram[shift:, shift:], gram[:-shift, :-shift], atol=1e-9)
    # closed form: Σ_i cos((p − q)·ω_i) with ω_i = 10000^(−2i/d)
    omegas = 10000.0 ** (-np.arange(0, demo.D_MODEL, 2) / demo.D_MODEL)
    assert gram[3, 10] == pytest.approx(np.cos(7 * omegas).sum())
    np.testing.assert_allclose(np.diag(gram), demo.D_MODEL / 2)


def test_same_character_same_embedding_everywhere():
    e1 = demo.embed(list("苹果手机"))
    e2 = demo.embed(list("吃苹果"))
    np.testing.assert_array_equal(e1[0], e2[1])
    np.testing.assert_array_equal(demo.char_embedding("果"), e2[2])
    assert not np.allclose(e1[0], e1[1])


def test_adding_heads_keeps_earlier_heads():
    two, four = heat(demo.run(heads=2)), heat(demo.run(heads=4))
    np.testing.assert_array_equal(two[0], four[0])
    np.testing.assert_array_equal(two[1], four[1])
    assert not np.allclose(four[0], four[2])


# --------------------------------------------------------------------------- the cost counter


@pytest.mark.parametrize("n", [1, 2, 5, 16, 33])
@pytest.mark.parametrize("heads", [1, 3])
def test_counter_equals_closed_forms(n, heads):
    c = demo.operation_counts(n, heads, causal=True)
    assert c["scores"] == n * n
    assert c["needed"] == n * (n + 1) // 2
    assert c["mults"] == 2 * n * n * demo.D_HEAD
    assert c["all_heads_scores"] == heads * n * n
    assert demo.operation_counts(n, heads, causal=False)["needed"] == n * n


def test_doubling_the_length_quadruples_the_work():
    for n in (2, 4, 8):
        assert demo.operation_counts(2 * n)["scores"] == 4 * demo.operation_counts(n)["scores"]


def test_counter_views_follow_the_sentence():
    views = demo.run(sentence="一二三四五", heads=3)
    table = next(v for v in views if v["kind"] == "table")
    assert table["rows"][0][1:] == [25, 75]
    assert table["rows"][1][1:] == [15, 45]
    line = next(v for v in views if v["kind"] == "line")
    assert line["series"][0]["y"] == [float(m * m) for m in range(1, demo.MAX_LEN + 1)]
    assert line["marks"][0]["x"] == 5 and line["marks"][0]["y"] == 25


# --------------------------------------------------------------------------- the query position


def test_query_selects_the_row_and_zero_means_last():
    views = demo.run(sentence="台湾大学", query=2, causal=True)
    w = heat(views)[0]
    bars = [v for v in views if v["kind"] == "bars"][0]
    assert bars["labels"] == ["1台", "2湾"]
    np.testing.assert_allclose(bars["values"], w[1, :2], atol=1e-4)
    assert bars["highlight"] == int(np.argmax(w[1, :2]))
    last = [v for v in demo.run(sentence="台湾大学", query=0) if v["kind"] == "bars"][0]
    assert last == [v for v in demo.run(sentence="台湾大学", query=4) if v["kind"] == "bars"][0]
    full = [v for v in demo.run(sentence="台湾大学", query=2, causal=False) if v["kind"] == "bars"][0]
    assert len(full["labels"]) == 4


def test_query_beyond_the_sentence_is_a_clear_error():
    with pytest.raises(DemoError) as info:
        demo.run(sentence="台湾", query=3)
    assert info.value.param == "query" and "只有 2 个字" in str(info.value)
    demo.run(sentence="台湾", query=2)  # the last position is fine


def test_deterministic_and_seed_matters():
    assert demo.run(seed=11) == demo.run(seed=11)
    assert heat(demo.run(seed=11))[0].tolist() != heat(demo.run(seed=12))[0].tolist()


def test_view_counts():
    views = demo.run(heads=3)
    kinds = [v["kind"] for v in views]
    assert kinds.count("heatmap") == 3 and kinds.count("bars") == 3
    assert kinds[0] == "text" and kinds[-2:] == ["table", "line"]

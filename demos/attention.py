"""自注意力：toy causal self-attention over the characters of a sentence, with the n² cost counter (chapter 3)."""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._params import Bool, DemoError, Int, Text, demo_entry

TITLE = "自注意力：每个字在看谁"

D_MODEL = 16  # width of a token's vector (embedding + position)
D_HEAD = 8  # width of each head's query / key / value vectors
MAX_LEN = 16

PARAMS = {
    "sentence": Text(
        "台湾最高的山是玉山", label="句子", help="每个字（含标点）是一个 token，最多 16 个", max_len=MAX_LEN
    ),
    "heads": Int(2, 1, 4, label="头数", help="几个注意力头；每个头有自己的一套 Wq、Wk、Wv，各算一张权重表"),
    "causal": Bool(True, label="因果遮罩", help="打开时每个字只能看它自己和前面的字（文字接龙用的就是这种）"),
    "positional": Bool(True, label="位置编码", help="关掉后模型分不出字的先后，同一个字在哪里都一样"),
    "query": Int(
        0, 0, MAX_LEN, label="查看第几个字", help="用柱状图展开这个字的注意力分布；1 是第一个字，0 表示最后一个字"
    ),
    "seed": Int(0, 0, 9999, label="随机种子", help="决定各个头的投影矩阵（模型没有训练过，参数是随机的）"),
}

PYODIDE_CASES = [
    {"sentence": "我爱吃苹果也爱用苹果手机", "heads": 4, "causal": False, "query": 5},
    {"sentence": "山山山", "positional": False, "seed": 7},
]


# --------------------------------------------------------------------------- building blocks


def char_embedding(ch: str, d: int = D_MODEL) -> np.ndarray:
    """The toy embedding of one character: a fixed random vector seeded by its code point.

    A lookup table in disguise: the same character always gets the same vector,
    whatever sentence or position it is in (``ord`` is stable; ``hash`` is not).
    """
    return np.random.default_rng(ord(ch)).standard_normal(d)


def embed(tokens, d: int = D_MODEL) -> np.ndarray:
    """Stack the embeddings of ``tokens`` into an (n, d) matrix."""
    return np.array([char_embedding(t, d) for t in tokens]).reshape(len(tokens), d)


def positional_encoding(n: int, d: int = D_MODEL) -> np.ndarray:
    """Sinusoidal positions (Vaswani et al. 2017): PE[p, 2i] = sin(p/10000^(2i/d)), PE[p, 2i+1] = cos(…)."""
    pos = np.arange(n)[:, None]
    freq = 1.0 / 10000.0 ** (np.arange(0, d, 2) / d)
    pe = np.zeros((n, d))
    pe[:, 0::2] = np.sin(pos * freq)
    pe[:, 1::2] = np.cos(pos * freq)
    return pe


def causal_mask(n: int) -> np.ndarray:
    """mask[i, j] is True when token i may look at token j (j ≤ i)."""
    return np.tril(np.ones((n, n), dtype=bool))


def masked_softmax(scores: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Softmax of each row over the allowed entries; masked entries come out exactly 0."""
    s = np.asarray(scores, dtype=float)
    if mask is not None:
        s = np.where(mask, s, -np.inf)
    s = s - s.max(axis=1, keepdims=True)
    e = np.exp(s)  # exp(-inf) == 0.0 exactly
    return e / e.sum(axis=1, keepdims=True)


def scaled_dot_product_attention(q, k, v, causal: bool = True):
    """Return (output, weights, scores): weights = softmax(q kᵀ / √d), output = weights · v."""
    q, k, v = (np.asarray(a, dtype=float) for a in (q, k, v))
    scores = q @ k.T / np.sqrt(q.shape[1])
    weights = masked_softmax(scores, causal_mask(len(q)) if causal else None)
    return weights @ v, weights, scores


def head_projections(seed: int, head: int, d_model: int = D_MODEL, d_head: int = D_HEAD):
    """(Wq, Wk, Wv) of one head; head h is the same whatever the number of heads."""
    rng = np.random.default_rng([seed, head])
    return tuple(rng.standard_normal((d_model, d_head)) / np.sqrt(d_model) for _ in range(3))


def token_vectors(tokens, positional: bool = True) -> np.ndarray:
    """What enters the first layer: embedding (+ positional encoding)."""
    x = embed(tokens)
    return x + positional_encoding(len(tokens)) if positional else x


def multi_head_attention(x, heads: int, seed: int, causal: bool = True):
    """Run ``heads`` heads over ``x``; return a list of (output, weights, scores), one per head."""
    out = []
    for h in range(heads):
        wq, wk, wv = head_projections(seed, h)
        out.append(scaled_dot_product_attention(x @ wq, x @ wk, x @ wv, causal))
    return out


def operation_counts(n: int, heads: int = 1, causal: bool = True, d_head: int = D_HEAD) -> dict:
    """Count the work of one attention layer by running it on ``n`` tokens and reading the shapes.

    ``scores``: relevance scores computed per head (the n×n table);
    ``needed``: of those, the ones the causal mask keeps (all of them without the mask);
    ``mults``: multiplications per head for scores (n²·d) plus the weighted sum (n²·d).
    """
    x = positional_encoding(n)[:, :d_head]  # any n vectors of width d_head will do
    _, weights, scores = scaled_dot_product_attention(x, x, x, causal)
    allowed = causal_mask(n) if causal else np.ones((n, n), dtype=bool)
    per_head_scores = int(scores.size)
    return {
        "scores": per_head_scores,
        "needed": int(np.count_nonzero(allowed)),
        "mults": per_head_scores * d_head + int(weights.size) * d_head,
        "all_heads_scores": per_head_scores * heads,
        "all_heads_mults": (per_head_scores * d_head + int(weights.size) * d_head) * heads,
    }


def _label(ch: str) -> str:
    return "␣" if ch.isspace() else ch


# --------------------------------------------------------------------------- the demo


@demo_entry(PARAMS)
def run(sentence, heads, causal, positional, query, seed):
    """Views: a summary, one heatmap per head, the chosen token's weights per head, the cost counter."""
    tokens = list(sentence)
    n = len(tokens)
    if query > n:
        raise DemoError(
            f"句子只有 {n} 个字，没有第 {query} 个字；请把「查看第几个字」设为 1 到 {n}，或设为 0（最后一个字）。",
            param="query",
        )
    qi = (query or n) - 1
    labels = [f"{i + 1}{_label(t)}" for i, t in enumerate(tokens)]
    result = multi_head_attention(token_vectors(tokens, positional), heads, seed, causal)

    focus = []
    for h, (_, w, _) in enumerate(result):
        j = int(np.argmax(w[qi]))
        focus.append(f"头 {h + 1} 最关注第 {j + 1} 个字「{_label(tokens[j])}」（{w[qi, j]:.2f}）")
    summary = (
        f"{n} 个 token，每个向量 {D_MODEL} 维，每个头的查询/键/值 {D_HEAD} 维。"
        f"第 {qi + 1} 个字「{_label(tokens[qi])}」："
        + "；".join(focus)
        + "。"
        + ("因果遮罩打开：右上角全是 0，每个字只看自己和前面。" if causal else "因果遮罩关闭：每个字也能看到后面的字。")
        + ("" if positional else "位置编码关闭：相同的字无论在哪里，得到的权重都一模一样。")
    )
    out = [views.text(summary, title="摘要（参数是随机的，模式本身没有语义）")]
    for h, (_, w, _) in enumerate(result):
        out.append(views.heatmap(w, rows=labels, cols=labels, title=f"第 {h + 1} 个头的注意力权重（每行之和为 1）"))
    for h, (_, w, _) in enumerate(result):
        row = w[qi, : qi + 1] if causal else w[qi]
        out.append(
            views.bars(
                labels[: len(row)],
                row,
                highlight=int(np.argmax(row)),
                title=f"第 {h + 1} 个头：第 {qi + 1} 个字「{_label(tokens[qi])}」看谁",
                ylabel="权重",
            )
        )

    c = operation_counts(n, heads, causal)
    out.append(
        views.table(
            ["一层注意力", "每个头", f"{heads} 个头合计"],
            [
                ["分数个数 n²", c["scores"], c["all_heads_scores"]],
                ["遮罩后用到的" if causal else "用到的（无遮罩）", c["needed"], c["needed"] * heads],
                ["乘法次数", c["mults"], c["all_heads_mults"]],
            ],
            title=f"n = {n} 时的计算量（长度翻倍 → 4 倍）",
        )
    )
    lengths = np.arange(1, MAX_LEN + 1)
    counts = [operation_counts(int(m), heads, causal) for m in lengths]
    out.append(
        views.line(
            lengths,
            {
                "相关性分数 n²（每个头）": [k["scores"] for k in counts],
                **({"因果遮罩下用到的 n(n+1)/2": [k["needed"] for k in counts]} if causal else {}),
                "token 数 n（线性增长作对照）": lengths,
            },
            title="分数个数随句子长度按平方增长",
            xlabel="句子长度 n（token 数）",
            ylabel="个数",
            marks=[(n, c["scores"], f"现在：n = {n}")],
        )
    )
    return out

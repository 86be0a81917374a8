"""Chapter 3 figures: what the causal mask does to an attention table, and why long context is costly.

The attention tables come from the chapter's demo (:mod:`demos.attention`) with
its default sentence and seed, so the figure is exactly what the reader's first
run shows for head 1; the cost figure uses the demo's own counter.
"""

from __future__ import annotations

import numpy as np

from scripts.figures import figure

SENTENCE = "台湾最高的山是玉山"
BASE = "#4C72B0"
ACCENT = "#DD8452"


def _table(ax, w, labels, title):
    """One attention table as an annotated heatmap; masked (exactly zero) cells are hatched grey."""
    n = len(labels)
    shown = np.ma.masked_where(w == 0.0, w)
    ax.set_facecolor("#EEEEEE")
    ax.imshow(shown, cmap="Blues", vmin=0, vmax=1)
    for i in range(n):
        for j in range(n):
            if w[i, j] == 0.0:
                ax.text(j, i, "0", ha="center", va="center", fontsize=7, color="#999999")
            else:
                ax.text(
                    j,
                    i,
                    f"{w[i, j]:.2f}"[1:] if w[i, j] < 1 else "1",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if w[i, j] > 0.55 else "black",
                )
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xticklabels(labels, fontsize=10)
    ax.set_yticklabels(labels, fontsize=10)
    ax.set_xlabel("被看的字（键 key）")
    ax.set_ylabel("正在看的字（查询 query）", labelpad=8)
    ax.set_title(title, fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(True)


@figure("ch03-causal-mask")
def causal_mask_figure():
    """Head 1 of the demo's default run, without and with the causal mask."""
    import matplotlib.pyplot as plt

    from demos.attention import PARAMS, multi_head_attention, token_vectors

    tokens = list(SENTENCE)
    seed = PARAMS["seed"].default
    x = token_vectors(tokens, positional=True)
    full = multi_head_attention(x, 1, seed, causal=False)[0][1]
    causal = multi_head_attention(x, 1, seed, causal=True)[0][1]
    labels = list(SENTENCE)

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.8))
    _table(axes[0], full, labels, "不加遮罩：每个字能看到整句")
    _table(axes[1], causal, labels, "因果遮罩：只看自己和前面（右上角全是 0）")
    fig.suptitle("同一个注意力头、同一组参数：每一行是一个字分出去的注意力，行和都是 1", fontsize=11)
    fig.tight_layout()
    return fig


@figure("ch03-quadratic")
def quadratic_figure():
    """Relevance scores per head per layer against context length, on log–log axes."""
    import matplotlib.pyplot as plt

    from demos.attention import operation_counts

    # The demo's counter, checked on small n, then the same closed form for long contexts.
    small = np.arange(1, 17)
    assert all(operation_counts(int(n))["scores"] == n * n for n in small)
    n = np.logspace(2, 5.3, 60)
    fig, ax = plt.subplots(figsize=(8, 4.2))
    ax.loglog(n, n**2, color=ACCENT, lw=2.2, label="注意力分数个数 n²（每个头、每一层）")
    ax.loglog(n, n, color=BASE, lw=2.2, ls="--", label="token 个数 n（作对照）")
    for length, text in [
        (1_000, "1 千个 token\n10⁶ 个分数"),
        (10_000, "1 万个 token\n10⁸ 个分数"),
        (100_000, "10 万个 token\n10¹⁰ 个分数\n（半精度约 20 GB）"),
    ]:
        ax.plot([length], [length**2], "o", color=ACCENT)
        ax.annotate(
            text, (length, length**2), xytext=(10, -10), textcoords="offset points", fontsize=9, ha="left", va="top"
        )
    ax.set_xlim(80, 1.2e6)
    ax.set_xlabel("上下文长度 n（token 数，对数刻度）")
    ax.set_ylabel("个数（对数刻度）")
    ax.set_title("长度放大 100 倍，分数表放大 10,000 倍：斜率 2 对斜率 1", fontsize=11)
    ax.legend(frameon=False, loc="upper left")
    ax.grid(True, which="major", alpha=0.3)
    return fig


def bpe_merges(corpus: dict[str, int], rounds: int) -> list[tuple[str, int, int]]:
    """The chapter's BPE worked example: greedy merges of the most frequent adjacent pair.

    ``corpus`` maps a text to how often it occurs; each character starts as one token. Returns
    (merged token, pair count, corpus size in tokens after the merge) for each round, after a
    first entry ("", 0, size before any merge). No figure: chapter 3 marks its numbers with it.
    """
    words = {tuple(text): n for text, n in corpus.items()}
    history = [("", 0, sum(len(w) * n for w, n in words.items()))]
    for _ in range(rounds):
        pairs: dict[tuple[str, str], int] = {}
        for w, n in words.items():
            for pair in zip(w, w[1:]):
                pairs[pair] = pairs.get(pair, 0) + n
        (a, b), count = max(pairs.items(), key=lambda kv: kv[1])  # first of equals: dict order
        merged = {}
        for w, n in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == (a, b):
                    out.append(a + b)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] = n
        words = merged
        history.append((a + b, count, sum(len(w) * n for w, n in words.items())))
    return history

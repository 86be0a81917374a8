"""A character-level n-gram language model with interpolation (linear mixing of orders), shared by demos.

Trained on ``demos/corpus/*.txt`` (original sentences we wrote; one per line,
``#`` starts a comment).  The model is deliberately tiny and readable: counts
of what follows each context of length 0..n-1, mixed with fixed weights so
that an unseen context still yields a proper distribution (it falls back to
shorter contexts and finally to a uniform floor).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

import numpy as np

CORPUS_DIR = Path(__file__).with_name("corpus")
END = "。"  # every corpus line ends a sentence; generation may stop here


def read_corpus(name: str = "course_zh.txt") -> list[str]:
    """The corpus as a list of sentences (comments and blank lines dropped)."""
    lines = (CORPUS_DIR / name).read_text(encoding="utf-8").splitlines()
    return [s.strip() for s in lines if s.strip() and not s.lstrip().startswith("#")]


class NGramModel:
    """Interpolated n-gram model over characters.

    ``P(c | h) = Σ_k λ_k · P_k(c | last k chars of h)`` with ``P_0`` the unigram
    and a uniform floor, λ renormalised over the orders whose context was seen.
    """

    def __init__(self, sentences: list[str], order: int = 3, floor: float = 1e-3):
        if order < 1:
            raise ValueError("order must be at least 1")
        self.order = order
        self.floor = floor
        self.counts: list[dict[str, Counter]] = [defaultdict(Counter) for _ in range(order)]
        for s in sentences:
            for i, ch in enumerate(s):
                for k in range(order):
                    if i - k < 0:
                        break
                    self.counts[k][s[i - k : i]][ch] += 1
        self.vocab = sorted(self.counts[0][""])
        self.index = {c: i for i, c in enumerate(self.vocab)}
        # Higher orders get more weight when their context has been seen.
        self.weights = np.array([2.0**k for k in range(order)])

    def distribution(self, history: str) -> np.ndarray:
        """Next-character probabilities over ``self.vocab`` given ``history`` (sums to 1)."""
        mix = np.zeros(len(self.vocab))
        total_w = 0.0
        for k in range(self.order):
            ctx = history[len(history) - k :] if k else ""
            if k and (len(history) < k or ctx not in self.counts[k]):
                continue
            counter = self.counts[k][ctx]
            n = sum(counter.values())
            probs = np.zeros(len(self.vocab))
            for ch, c in counter.items():
                probs[self.index[ch]] = c / n
            mix += self.weights[k] * probs
            total_w += self.weights[k]
        mix /= total_w
        mix = (1 - self.floor) * mix + self.floor / len(self.vocab)
        return mix / mix.sum()

    def log_prob(self, text: str, history: str = "") -> float:
        """Natural-log probability of ``text`` following ``history``."""
        total = 0.0
        for ch in text:
            if ch not in self.index:
                return float("-inf")
            total += float(np.log(self.distribution(history)[self.index[ch]]))
            history += ch
        return total


def reshape(probs: np.ndarray, temperature: float, top_k: int = 0, top_p: float = 1.0) -> np.ndarray:
    """Apply temperature, then top-k, then top-p (nucleus) to a distribution.

    Temperature 0 means greedy: all mass on the most likely item (ties → first).
    ``top_k = 0`` keeps every item; ``top_p = 1`` keeps every item.
    """
    probs = np.asarray(probs, dtype=float)
    if temperature <= 0:
        out = np.zeros_like(probs)
        out[int(np.argmax(probs))] = 1.0
        return out
    logits = np.log(np.maximum(probs, 1e-300)) / temperature
    logits -= logits.max()
    out = np.exp(logits)
    out /= out.sum()
    order = np.argsort(-out, kind="stable")
    keep = np.ones(len(out), dtype=bool)
    if top_k and top_k < len(out):
        keep[order[top_k:]] = False
    if top_p < 1.0:
        cum = np.cumsum(out[order])
        # keep the smallest prefix whose mass reaches top_p (always at least one item)
        cut = int(np.searchsorted(cum, top_p - 1e-12)) + 1
        drop = order[cut:]
        keep[drop] = False
    out = np.where(keep, out, 0.0)
    return out / out.sum()


@lru_cache(maxsize=4)
def course_model(order: int = 3) -> NGramModel:
    """The model trained on the course corpus, built once per process."""
    return NGramModel(read_corpus(), order=order)

"""文字水印：生成时偏向「绿色名单」里的字，检测时只数绿字、算 z 分数（第 10 章）。"""

from __future__ import annotations

import math

import numpy as np

from demos import _views as views
from demos._lm import course_model
from demos._params import Bool, Float, Int, Text, demo_entry

TITLE = "给生成的文字加水印：绿色名单与 z 检验"

PARAMS = {
    "prompt": Text(
        "语言模型", label="开头", help="模型从这段文字后面接着写；开头的最后一个字决定第一步的绿色名单", max_len=40
    ),
    "length": Int(100, 10, 200, label="文字长度 T", help="生成多少个字，也是检测时数的字数"),
    "delta": Float(2.0, 0.0, 10.0, 0.5, label="偏置 δ", help="生成时给绿色名单里每个字的 logit 加上 δ；0 表示不加水印"),
    "gamma": Float(0.5, 0.1, 0.9, 0.05, label="绿色比例 γ", help="每一步有多大比例的字被分进绿色名单"),
    "replace": Float(0.3, 0.0, 1.0, 0.05, label="替换比例", help="把带水印文字里这个比例的字随机换成别的字，模拟改写"),
    "key": Int(2024, 0, 99999, label="密钥", help="和前一个字一起决定每一步的绿色名单；只有加水印的一方知道"),
    "detector_has_key": Bool(True, label="检测方有密钥", help="关掉时检测方用错误的密钥去数绿字，看看会怎样"),
    "seed": Int(42, 0, 99999, label="随机种子", help="决定采样和替换；同样的种子、同样的设置，结果完全一样"),
}

THRESHOLD = 4.0  # Kirchenbauer et al. (2023) flag text as watermarked when z > 4
SHOW_STEPS = 12  # rows of the step-by-step table


# --------------------------------------------------------------------------- green lists


def green_size(vocab_size: int, gamma: float) -> int:
    """How many tokens are green at each step: round(γ|V|), kept within 1..|V|−1."""
    return min(max(int(round(gamma * vocab_size)), 1), vocab_size - 1)


def green_list(prev: int, vocab_size: int, gamma: float, key: int) -> np.ndarray:
    """Boolean mask of the green tokens after token ``prev``.

    A numpy Generator seeded with (key, prev) shuffles the vocabulary and the
    first round(γ|V|) tokens of the shuffle are green.  The seed is a fixed
    function of its two integers (unlike Python's ``hash``), so the writer and
    any detector holding the key rebuild exactly the same list.
    """
    rng = np.random.default_rng([int(key), int(prev)])
    mask = np.zeros(vocab_size, dtype=bool)
    mask[rng.permutation(vocab_size)[: green_size(vocab_size, gamma)]] = True
    return mask


class GreenLists:
    """Green lists for one (vocabulary size, γ, key), computed once per previous token."""

    def __init__(self, vocab_size: int, gamma: float, key: int):
        self.vocab_size, self.gamma, self.key = vocab_size, gamma, key
        self._cache: dict[int, np.ndarray] = {}

    def __call__(self, prev: int) -> np.ndarray:
        if prev not in self._cache:
            self._cache[prev] = green_list(prev, self.vocab_size, self.gamma, self.key)
        return self._cache[prev]


# --------------------------------------------------------------------------- writing


def watermark_probs(probs: np.ndarray, green: np.ndarray, delta: float) -> np.ndarray:
    """Softmax of (log p + δ·[green]): the model's distribution with green logits raised by δ."""
    logits = np.log(np.maximum(np.asarray(probs, dtype=float), 1e-300)) + delta * green
    logits -= logits.max()
    out = np.exp(logits)
    return out / out.sum()


def expected_green_fraction_uniform(gamma: float, delta: float) -> float:
    """Chance of a green token when the model is uniform: γe^δ / (1 + γ(e^δ − 1))."""
    boost = math.exp(delta)
    return gamma * boost / (1.0 + gamma * (boost - 1.0))


def generate(next_probs, first_prev: int, length: int, greens: GreenLists, delta: float, rng):
    """Sample ``length`` tokens; ``next_probs(tokens)`` gives the model's distribution.

    Returns (tokens, steps); each step records the green mass before and after the bias.
    """
    tokens, steps, prev = [], [], first_prev
    for _ in range(length):
        probs = next_probs(tokens)
        green = greens(prev)
        biased = watermark_probs(probs, green, delta)
        pick = int(rng.choice(len(biased), p=biased))
        steps.append(
            {
                "prev": prev,
                "token": pick,
                "green": bool(green[pick]),
                "mass_before": float(probs[green].sum()),
                "mass_after": float(biased[green].sum()),
            }
        )
        tokens.append(pick)
        prev = pick
    return tokens, steps


def replace_tokens(tokens, fraction: float, vocab_size: int, rng) -> tuple[list, np.ndarray]:
    """Replace round(fraction·T) randomly chosen positions with uniformly random tokens."""
    tokens = list(tokens)
    n = int(round(fraction * len(tokens)))
    where = np.sort(rng.choice(len(tokens), size=n, replace=False)) if n else np.zeros(0, dtype=int)
    for i, new in zip(where, rng.integers(0, vocab_size, size=n)):
        tokens[int(i)] = int(new)
    return tokens, where


# --------------------------------------------------------------------------- detecting


def green_flags(tokens, first_prev: int, greens: GreenLists) -> np.ndarray:
    """Whether each token is in the green list of the token before it."""
    prevs = [first_prev] + list(tokens[:-1])
    return np.array([bool(greens(p)[t]) for p, t in zip(prevs, tokens)], dtype=bool)


def z_score(green_count, length, gamma: float):
    """z = (|s|_G − γT) / √(Tγ(1 − γ)): how many standard deviations above chance the green count is."""
    green_count = np.asarray(green_count, dtype=float)
    length = np.asarray(length, dtype=float)
    return (green_count - gamma * length) / np.sqrt(length * gamma * (1.0 - gamma))


def z_curve(flags, gamma: float) -> np.ndarray:
    """z after the first 1, 2, …, T tokens."""
    flags = np.asarray(flags, dtype=float)
    return z_score(np.cumsum(flags), np.arange(1, len(flags) + 1), gamma)


# --------------------------------------------------------------------------- the course model


def model_sampler(model, prompt: str):
    """``next_probs(tokens)`` for the course n-gram model continuing ``prompt``."""

    def next_probs(tokens):
        history = prompt + "".join(model.vocab[t] for t in tokens[-(model.order - 1) :]) if tokens else prompt
        return model.distribution(history)

    return next_probs


def token_index(model, ch: str) -> int:
    """A character's index; characters the model never saw share the extra index |V|."""
    return model.index.get(ch, len(model.vocab))


def _marked(model, tokens, flags) -> str:
    return "".join(model.vocab[t] if g else f"［{model.vocab[t]}］" for t, g in zip(tokens, flags))


@demo_entry(PARAMS)
def run(prompt, length, delta, gamma, replace, key, detector_has_key, seed):
    """Write with and without the watermark, edit the watermarked text, and score all three."""
    model = course_model(3)
    size = len(model.vocab)
    first_prev = token_index(model, prompt[-1])
    writer = GreenLists(size, gamma, key)
    detector = writer if detector_has_key else GreenLists(size, gamma, key + 1)
    rng = np.random.default_rng(seed)
    sampler = model_sampler(model, prompt)

    marked, steps = generate(sampler, first_prev, length, writer, delta, rng)
    plain, _ = generate(sampler, first_prev, length, writer, 0.0, rng)
    edited, where = replace_tokens(marked, replace, size, rng)

    texts = [("带水印", marked), ("未加水印", plain), (f"替换 {len(where)} 字后", edited)]
    flags = {name: green_flags(toks, first_prev, detector) for name, toks in texts}
    curves = {name: z_curve(f, gamma) for name, f in flags.items()}
    x = np.arange(1, length + 1)
    curves[f"阈值 z = {THRESHOLD:g}"] = np.full(length, THRESHOLD)

    who = "检测方用正确密钥" if detector_has_key else "检测方用错误密钥"
    summary = []
    for name, _toks in texts:
        g = int(flags[name].sum())
        z = float(z_score(g, length, gamma))
        summary.append([name, length, g, round(gamma * length, 2), z, "有水印" if z > THRESHOLD else "没有证据"])

    table_rows = []
    for i, s in enumerate(steps[:SHOW_STEPS]):
        prev = prompt[-1] if i == 0 else model.vocab[s["prev"]]
        table_rows.append(
            [i + 1, prev, model.vocab[s["token"]], "绿" if s["green"] else "红", s["mass_before"], s["mass_after"]]
        )

    return [
        views.text(prompt + "｜" + _marked(model, marked, flags[texts[0][0]]), title="带水印的文字（［ ］里是红字）"),
        views.line(x, curves, title="z 分数随长度增长", xlabel="已检测的字数 T", ylabel="z 分数"),
        views.table(
            ["文字", "T", "绿字数", "γT", "z", "判定"],
            summary,
            title=f"检测结果（{who}，z > {THRESHOLD:g} 判为有水印）",
        ),
        views.table(
            ["步", "前一个字", "写下", "颜色", "绿名单原概率", "加偏置后"],
            table_rows,
            title=f"生成时的前 {min(SHOW_STEPS, length)} 步",
        ),
    ]


PYODIDE_CASES = [
    {"delta": 6.0, "gamma": 0.25, "length": 200, "replace": 0.6},
    {"prompt": "台湾最高的山是", "detector_has_key": False, "length": 40, "seed": 7},
]

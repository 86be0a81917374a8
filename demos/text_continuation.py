"""文字接龙：a character n-gram model continues the reader's prompt one character at a time (chapter 1)."""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._lm import END, course_model, reshape
from demos._params import Float, Int, Text, demo_entry

TITLE = "文字接龙：一次生成一个字"

PARAMS = {
    "prompt": Text("语言模型", label="开头", help="模型从这段文字后面接着写", max_len=40),
    "length": Int(24, 1, 80, label="最多生成字数", help="遇到句号「。」会提前停下"),
    "temperature": Float(0.8, 0.0, 2.0, 0.1, label="温度", help="越低越保守；0 表示每步都选概率最高的字"),
    "top_k": Int(10, 0, 50, label="Top-k", help="只在概率最高的 k 个字里抽；0 表示不限制"),
    "top_p": Float(1.0, 0.05, 1.0, 0.05, label="Top-p", help="只在累计概率达到 p 的最少几个字里抽"),
    "order": Int(3, 1, 3, label="n-gram 的 n（看前 n−1 个字）", help="1 只看字频，2 看前一个字，3 看前两个字"),
    "seed": Int(42, 0, 99999, label="随机种子", help="同样的种子、同样的设置，结果完全一样"),
}

SHOW = 5  # candidates listed per step


def continue_text(prompt, length, temperature, top_k, top_p, order, seed):
    """Generate; return (text, steps) where each step lists its top candidates."""
    model = course_model(order)
    rng = np.random.default_rng(seed)
    history, steps = prompt, []
    for _ in range(length):
        probs = reshape(model.distribution(history), temperature, top_k, top_p)
        pick = int(rng.choice(len(probs), p=probs))
        top = np.argsort(-probs, kind="stable")[:SHOW]
        steps.append(
            {
                "token": model.vocab[pick],
                "candidates": [(model.vocab[i], probs[i]) for i in top if probs[i] > 0],
            }
        )
        history += model.vocab[pick]
        if model.vocab[pick] == END:
            break
    return history[len(prompt) :], steps


@demo_entry(PARAMS)
def run(prompt, length, temperature, top_k, top_p, order, seed):
    """Continue ``prompt``; views: the token steps, then the whole text."""
    text, steps = continue_text(prompt, length, temperature, top_k, top_p, order, seed)
    return [
        views.tokens(prompt, steps, title="每一步的候选字与抽中的字"),
        views.text(prompt + text, title="接龙结果"),
    ]

"""Typical wrong answers to each exercise, as edits of its reference solution.

Shared by the CPython and the Pyodide tests.  Each entry: (exercise, what the
mistake is, text in the solution, what the reader wrote instead, expected
verdict, words the verdict's message must contain).  The solution must contain
the old text, so an entry can never silently stop testing anything.
"""

from __future__ import annotations

from demos.exercises import load
from demos.exercises._grade import solution_text

WRONG = [
    (
        "temperature_top_k",
        "忘了减最大值",
        "    z = z - z.max()",
        "    pass",
        "fail",
        ["固定用例 5「很大的分数」", "nan"],
    ),
    (
        "temperature_top_k",
        "top-k 后没重新归一化",
        "return p / p.sum()",
        "return p",
        "fail",
        ["固定用例 3", "加起来等于 1"],
    ),
    ("temperature_top_k", "温度乘而不是除", "/ temperature", "* temperature", "fail", ["固定用例 2", "数值不对"]),
    (
        "chinchilla_allocation",
        "两个指数对调",
        "G * (C / 6) ** (BETA",
        "G * (C / 6) ** (ALPHA",
        "fail",
        ["固定用例 1", "6·N·D"],
    ),
    (
        "chinchilla_allocation",
        "忘了除以 6",
        "n_opt = G * (C / 6)",
        "n_opt = G * C",
        "fail",
        ["固定用例 1", "第 1 个返回值"],
    ),
    ("causal_attention", "遮罩差一格（对角线也遮住）", "k=1)", "k=0)", "fail", ["固定用例 1", "nan"]),
    (
        "causal_attention",
        "遮错了三角",
        "np.triu(np.ones((n, n), dtype=bool), k=1)",
        "np.tril(np.ones((n, n), dtype=bool), k=-1)",
        "fail",
        ["固定用例 1", "右上角"],
    ),
    ("causal_attention", "忘了除以 √d_k", "Q @ K.T / np.sqrt(d_k)", "Q @ K.T", "fail", ["固定用例 1", "数值不对"]),
    (
        "causal_attention",
        "忘了减最大值",
        "    scores = scores - scores.max(axis=1, keepdims=True)\n",
        "",
        "fail",
        ["固定用例 3「很大的分数」"],
    ),
    (
        "lora_update",
        "把 W 的元素个数当成可训练参数",
        "n_trainable = d * r + r * A.shape[1]",
        "n_trainable = W.size",
        "fail",
        ["第 2 个返回值"],
    ),
    (
        "lora_update",
        "长方形也用 2rd",
        "n_trainable = d * r + r * A.shape[1]",
        "n_trainable = 2 * r * d",
        "fail",
        ["固定用例 2", "第 2 个返回值"],
    ),
    (
        "vote_accuracy",
        "平票算输",
        "if counts[0] == top:",
        "if counts[0] == top and np.sum(counts == top) == 1:",
        "fail",
        ["固定用例 2"],
    ),
    (
        "bradley_terry_loss",
        "直接 log(sigmoid)",
        "np.logaddexp(0.0, -diff)",
        "-np.log(1 / (1 + np.exp(-diff)))",
        "fail",
        ["固定用例 4「分差很大」", "有限"],
    ),
    ("bradley_terry_loss", "胜负写反", "np.logaddexp(0.0, -diff)", "np.logaddexp(0.0, diff)", "fail", ["固定用例 1"]),
    ("speculative_step", "拒绝后从 p 重抽", "r = np.maximum(p - q, 0.0)", "r = p", "fail", ["固定用例 3", "p > q"]),
    (
        "fid_gaussians",
        "逐元素开方",
        "tr_sqrt = np.sqrt(np.clip(np.linalg.eigvalsh((middle + middle.T) / 2), 0.0, None)).sum()",
        "tr_sqrt = np.trace(np.sqrt(np.abs(cov1 @ cov2)))",
        "fail",
        ["固定用例 4「两个不能对易的协方差」"],
    ),
    ("fid_gaussians", "漏了系数 2", "- 2.0 * tr_sqrt", "- tr_sqrt", "fail", ["固定用例 1"]),
    ("ddpm_forward", "ᾱ 多乘了一项", "np.prod(alphas[:t])", "np.prod(alphas[: t + 1])", "fail", ["固定用例 1「t = 0"]),
    ("ddpm_forward", "噪声系数忘了开方", "np.sqrt(1.0 - abar)", "(1.0 - abar)", "fail", ["固定用例 2"]),
    (
        "watermark_z",
        "分母忘了开方",
        "np.sqrt(T * gamma * (1.0 - gamma))",
        "(T * gamma * (1.0 - gamma))",
        "fail",
        ["固定用例 1"],
    ),
    (
        "tool_call",
        "忘了收尾的 ]",
        'return f"{context}{result}]"',
        'return f"{context}{result}"',
        "fail",
        ["固定用例 1", "字符串不一致"],
    ),
    ("tool_call", "忘了减法", 'a - b if op == "-" else a * b', "a * b", "fail", ["固定用例 3「减法"]),
    (
        "linear_probe",
        "忘了截距",
        "np.column_stack([np.ones(n), H])",
        "np.column_stack([np.zeros(n), H])",
        "fail",
        ["固定用例 1", "正交"],
    ),
    (
        "residual_quantization",
        "每层都量化原帧",
        "        residual = residual - codebook[idx]\n",
        "",
        "fail",
        ["固定用例 2「两层"],
    ),
    (
        "residual_quantization",
        "还原只留最后一层",
        "recon = recon + codebook[idx]",
        "recon = codebook[idx]",
        "fail",
        ["固定用例 2", "各层选中码字之和"],
    ),
    ("watermark_z", "运行时出错", "T = len(green)", "T = len(green) / 0", "error", ["ZeroDivisionError", "第 5 行"]),
]


def wrong_source(name: str, old: str, new: str) -> str:
    """The reference solution of ``name`` with ``old`` replaced by ``new`` (``old`` must be there)."""
    source = solution_text(load(name).SOLUTION)
    assert old in source, f"{name}: {old!r} is not in the solution"
    return source.replace(old, new)

"""心算还是按计算器：逐位出错的「心算」与调用计算器工具的准确率随位数变化，附一次工具调用的完整流程 (chapter 11)."""

from __future__ import annotations

import numpy as np

from demos import _views as views
from demos._params import Choice, DemoError, Float, Int, demo_entry

TITLE = "心算还是按计算器：工具调用的准确率与流程"

OPS = {"mul": "×", "add": "+"}

PARAMS = {
    "op": Choice(
        "mul",
        choices=("mul", "add"),
        labels={"mul": "乘法", "add": "加法"},
        label="运算",
        help="两个同样位数的随机正整数相乘或相加",
    ),
    "digit_error": Float(
        0.03, 0.0, 0.3, 0.01, label="心算时每位出错率 e", help="模型靠接龙写答案时，每写一位数字出错的概率"
    ),
    "copy_error": Float(
        0.002,
        0.0,
        0.05,
        0.001,
        label="抄写时每位出错率 c",
        help="把题目里的数字抄进调用、把工具结果抄进回答时，每位抄错的概率",
    ),
    "format_error": Float(
        0.02, 0.0, 0.5, 0.01, label="调用格式出错率 f", help="写出的调用格式不对、系统无法解析时，模型只好改用心算"
    ),
    "max_digits": Int(6, 1, 6, label="最多几位数", help="横轴从 1 位数画到这里"),
    "problems": Int(400, 50, 2000, label="每种位数的题数", help="每种位数随机出多少道题来模拟"),
    "trace_digits": Int(4, 1, 6, label="示范题的位数", help="下方表格展示一道这种位数的题怎样调用工具"),
    "seed": Int(16, 0, 99999, label="随机种子", help="同样的种子、同样的设置，出题和出错完全一样"),
}

MAX_WORK = 6000  # max_digits × problems: the simulation stays far below a second in Pyodide
PYODIDE_CASES = [
    {
        "op": "add",
        "digit_error": 0.1,
        "copy_error": 0.01,
        "format_error": 0.2,
        "max_digits": 6,
        "problems": 1000,
        "trace_digits": 6,
        "seed": 3,
    },
    {
        "op": "mul",
        "digit_error": 0.0,
        "copy_error": 0.05,
        "format_error": 0.5,
        "max_digits": 3,
        "problems": 2000,
        "trace_digits": 1,
        "seed": 99999,
    },
]
FUZZ_EXAMPLES = 30


def chain_success(p_step, steps):
    """Probability that ``steps`` independent steps, each right with probability ``p_step``, are all right."""
    return float(p_step) ** np.asarray(steps, dtype=float)


def operand_range(n):
    """Smallest and largest n-digit positive integers."""
    return 10 ** (n - 1), 10**n - 1


def long_answer_fraction(op, n):
    """Exact fraction of n-digit pairs (a, b) whose answer has the longer length (2n for ×, n+1 for +).

    Counts, for every a, how many b reach the threshold: b ≥ ⌈10^(2n−1)/a⌉ for a product,
    b ≥ 10^n − a for a sum.  All n-digit pairs are equally likely.
    """
    lo, hi = operand_range(n)
    a = np.arange(lo, hi + 1, dtype=np.int64)
    if op == "mul":
        threshold = 10 ** (2 * n - 1)
        need = (threshold + a - 1) // a
    else:
        need = 10**n - a
    count = np.clip(hi - np.maximum(lo, need) + 1, 0, None)
    total = (hi - lo + 1) ** 2
    return float(count.sum()) / total


def answer_lengths(op, n):
    """(short, long) possible digit counts of the answer for n-digit operands."""
    return (2 * n - 1, 2 * n) if op == "mul" else (n, n + 1)


def exact_accuracy(op, n, digit_error, copy_error, format_error):
    """Exact (mental, tool) accuracy for n-digit operands, averaged over the answer's length.

    Mental: every answer digit must survive, (1−e)^D.  Tool: with probability 1−f the call is
    well formed and 2n operand digits plus D result digits must be copied right, (1−c)^(2n+D);
    with probability f the model falls back to mental arithmetic.
    """
    q = long_answer_fraction(op, n)
    short, long = answer_lengths(op, n)
    weights = {short: 1.0 - q, long: q}
    mental = sum(w * chain_success(1 - digit_error, d) for d, w in weights.items())
    copied = sum(w * chain_success(1 - copy_error, 2 * n + d) for d, w in weights.items())
    tool = (1 - format_error) * copied + format_error * mental
    return float(mental), float(tool)


def calculator(a, b, op):
    """The tool: exact integer arithmetic."""
    return a * b if op == "mul" else a + b


def corrupt(digits, rate, rng):
    """Each character of ``digits`` is replaced, with probability ``rate``, by a different digit."""
    out = []
    for ch in digits:
        if rng.random() < rate:
            ch = str((int(ch) + int(rng.integers(1, 10))) % 10)
        out.append(ch)
    return "".join(out)


def draw_operands(n, count, rng):
    """``count`` pairs of uniform n-digit integers (int64 everywhere: Pyodide's default int is 32-bit)."""
    lo, hi = operand_range(n)
    return rng.integers(lo, hi + 1, size=(count, 2), dtype=np.int64)


def simulate(op, n, count, digit_error, copy_error, format_error, rng):
    """Simulated (mental, tool) accuracy over ``count`` random n-digit problems.

    Every digit error is an actual change of a digit, so one error makes the answer wrong;
    a corrupted operand changes the calculator's result (the other operand is ≥ 1).
    """
    pairs = draw_operands(n, count, rng)
    a, b = pairs[:, 0], pairs[:, 1]
    answer = a * b if op == "mul" else a + b
    lengths = np.floor(np.log10(answer.astype(float))).astype(np.int64) + 1
    width = int(lengths.max())
    slots = np.arange(width)[None, :] < lengths[:, None]
    mental_ok = ~((rng.random((count, width)) < digit_error) & slots).any(axis=1)
    formatted = rng.random(count) >= format_error
    operands_ok = ~(rng.random((count, 2 * n)) < copy_error).any(axis=1)
    result_ok = ~((rng.random((count, width)) < copy_error) & slots).any(axis=1)
    tool_ok = np.where(formatted, operands_ok & result_ok, mental_ok)
    return float(mental_ok.mean()), float(tool_ok.mean())


def trace(op, n, digit_error, copy_error, format_error, rng):
    """One worked problem: the tool-call protocol step by step, and a mental attempt for contrast."""
    a, b = (int(x) for x in draw_operands(n, 1, rng)[0])
    sym = OPS[op]
    truth = calculator(a, b, op)
    mental = corrupt(str(truth), digit_error, rng)
    question = f"{a} {sym} {b} 等于多少？"
    rows = [["1", "用户", question, "题目进入上下文"]]
    if rng.random() < format_error:
        rows.append(["2", "模型", f"[计算器 {a}{sym}{b}", "格式写错，系统认不出"])
        rows.append(["3", "模型", f"改用心算：{mental}", "对" if mental == str(truth) else "错"])
        return rows, truth, mental
    a_copy, b_copy = int(corrupt(str(a), copy_error, rng)), int(corrupt(str(b), copy_error, rng))
    result = calculator(a_copy, b_copy, op)
    final = corrupt(str(result), copy_error, rng)
    # autocorrect-disable (a tool call is written with no space before its parenthesis)
    call = f"[计算器({a_copy}{sym}{b_copy})→"
    # autocorrect-enable
    rows += [
        ["2", "模型", call, "遇到「→」，系统暂停生成" + ("" if (a_copy, b_copy) == (a, b) else "（抄错了数字）")],
        ["3", "系统", f"{a_copy}{sym}{b_copy} = {result}", "运行工具，模型不参与"],
        ["4", "系统", f"{call}{result}]", "结果接回上下文"],
        ["5", "模型", f"答案是 {final}。", "继续接龙：" + ("对" if final == str(truth) else "错")],
        ["对照", "模型", f"心算：{mental}", "对" if mental == str(truth) else "错"],
    ]
    return rows, truth, mental


@demo_entry(PARAMS)
def run(op, digit_error, copy_error, format_error, max_digits, problems, trace_digits, seed):
    """Views: accuracy vs digits (exact and simulated, with and without the tool), a trace, a summary."""
    if trace_digits > max_digits:
        raise DemoError(
            f"「示范题的位数」({trace_digits}) 不能超过「最多几位数」({max_digits})。", param="trace_digits"
        )
    if max_digits * problems > MAX_WORK:
        raise DemoError(
            f"「最多几位数」×「每种位数的题数」不能超过 {MAX_WORK:,}，"
            f"现在是 {max_digits}×{problems}={max_digits * problems:,}。请减少其中一个。",
            param="problems",
        )
    rng = np.random.default_rng(seed)
    ns = np.arange(1, max_digits + 1)
    exact = np.array([exact_accuracy(op, int(n), digit_error, copy_error, format_error) for n in ns])
    sim = np.array([simulate(op, int(n), problems, digit_error, copy_error, format_error, rng) for n in ns])
    rows, truth, mental = trace(op, trace_digits, digit_error, copy_error, format_error, rng)

    sym = OPS[op]
    m_k, t_k = exact[trace_digits - 1]
    short, long = answer_lengths(op, trace_digits)
    summary = (
        f"{trace_digits} 位数{sym}{trace_digits} 位数的答案有 {short} 或 {long} 位。"
        f"心算要连续写对每一位：(1−{digit_error:g})^{long} = {chain_success(1 - digit_error, long):.3f}，"
        f"按两种长度加权平均后的精确准确率是 {m_k:.3f}。"
        f"调用计算器时，算本身不会错，风险只剩写错格式（{format_error:g}）和抄错数字"
        f"（每位 {copy_error:g}），精确准确率是 {t_k:.3f}。"
        f"示范题的正确答案是 {truth}，这次心算写出的是 {mental}。"
    )
    return [
        views.line(
            ns,
            {
                "心算（精确）": exact[:, 0],
                f"心算（模拟 {problems} 题）": sim[:, 0],
                "调用计算器（精确）": exact[:, 1],
                f"调用计算器（模拟 {problems} 题）": sim[:, 1],
            },
            title=f"{'乘法' if op == 'mul' else '加法'}：答对的比例随位数的变化",
            xlabel="每个数的位数",
            ylabel="答对的比例",
        ),
        views.table(
            ["步骤", "谁", "上下文里的文字", "说明"],
            rows,
            title=f"一道 {trace_digits} 位数的题：工具调用怎样一步步进行",
        ),
        views.text(summary, title="算一算"),
    ]

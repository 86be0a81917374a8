"""练一练 (chapter 11): the system's side of a tool call: spot it, parse it, run it, splice the result in."""

from __future__ import annotations

from demos.exercises._grade import make_check, solution_function

# The call format (calculator name, bracket, arrow) is a literal the reader must match character by character;
# autocorrect would insert a space before the bracket.
# autocorrect-disable
TITLE = "执行一次工具调用"
CHAPTER = 11
FUNCTION = "handle"

TASK = """\
模型写到 `[计算器(5785×7957)→` 时，系统要暂停生成、执行计算器，再把结果和 `]` 接在后面：`[计算器(5785×7957)→46031245]`。写函数 `handle(context)`：

- 如果字符串 `context` 以一次**完整的**调用 `[计算器(a运算b)→` 结尾，其中 `a`、`b` 是非负整数（只由数字组成），运算是 `+`、`-`、`×` 之一，返回 `context` 加上精确的计算结果和 `]`；
- 其他情形（没有调用、调用已经有结果、格式不对、运算符不认识）都原样返回 `context`，不要报错。

例如 `handle("5785 × 7957 等于多少？[计算器(5785×7957)→")` 返回 `"5785 × 7957 等于多少？[计算器(5785×7957)→46031245]"`。"""

STARTER = """\
import re


def handle(context):
    if not context.endswith("→"):
        return context
    # 找出结尾那段 [计算器(a运算b)→，取出 a、运算符、b
    return None
"""

HINT = """\
正则表达式 `re.search(r"\\[计算器\\((\\d+)([+\\-×])(\\d+)\\)→$", context)` 只匹配结尾的一次调用，三个括号依次取出 a、运算符、b。\
Python 的整数没有位数上限，`int(a) * int(b)` 就是精确结果。别用 `eval`：模型写出来的文字可能是任何东西。"""

SOLUTION = r"""\
import re


CALL = re.compile(r"\[计算器\((\d+)([+\-×])(\d+)\)→$")


def handle(context):
    m = CALL.search(context)
    if not m:
        return context
    a, op, b = int(m.group(1)), m.group(2), int(m.group(3))
    result = a + b if op == "+" else a - b if op == "-" else a * b
    return f"{context}{result}]"
"""

reference = solution_function(SOLUTION, FUNCTION)

CASES = [
    {"label": "正文例子", "args": {"context": "5785 × 7957 等于多少？[计算器(5785×7957)→"}},
    {"label": "加法", "args": {"context": "[计算器(19+23)→"}},
    {"label": "减法，结果是负数", "args": {"context": "还差多少：[计算器(7-10)→"}},
    {"label": "没有调用", "args": {"context": "今天天气很好。"}},
    {"label": "调用已经有结果", "args": {"context": "[计算器(2×3)→6]，所以答案是 6"}},
    {"label": "格式不对：缺右括号", "args": {"context": "[计算器(12×3→"}},
    {"label": "不认识的运算符", "args": {"context": "[计算器(12÷3)→"}},
    {"label": "前面有一次已完成的调用", "args": {"context": "[计算器(1+1)→2]，再算 [计算器(99999999×99999999)→"}},
]


def random_case(rng):
    a, b = (int(x) for x in rng.integers(0, 10 ** int(rng.integers(1, 10)), size=2))
    op = str(rng.choice(["+", "-", "×", "÷", "*"]))
    prefix = str(rng.choice(["", "算一下：", "[计算器(3+4)→7] 然后 "]))
    tail = str(rng.choice(["→", "→", "→", ")", "→5]"]))
    call = f"[计算器({a}{op}{b})" + ("" if tail == ")" else "") + tail
    return {"context": prefix + call}


PROPERTIES = [("结果以原来的 context 开头", lambda a, got: isinstance(got, str) and got.startswith(a["context"]))]

check = make_check(__name__)
# autocorrect-enable

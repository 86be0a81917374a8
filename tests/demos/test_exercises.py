"""练一练 on CPython: the contract of every exercise, references against independent
implementations (the demos' own code, the chapters' worked numbers), starters
and typical wrong answers failing with the right message, and the worker entry."""

from __future__ import annotations

import inspect
import itertools
import json
import math
import re

import numpy as np
import pytest

import demos
from demos import exercises
from demos._exercise_runtime import FILENAME, check
from demos.exercises._grade import solution_text
from tests.conftest import ROOT
from tests.demos.exercise_wrong import WRONG, wrong_source

NAMES = exercises.names()
HAN = re.compile(r"[\u4e00-\u9fff]")


def verdict(name, source):
    return json.loads(check(name, source))


# --------------------------------------------------------------------------- the contract


def test_one_exercise_per_chapter_at_least():
    chapters = sorted({exercises.load(n).CHAPTER for n in NAMES})
    assert chapters[:12] == list(range(1, 13))


def test_exercises_are_not_demos():
    assert "exercises" not in demos.names()
    assert not set(NAMES) & set(demos.names())


@pytest.mark.parametrize("name", NAMES)
def test_declaration(name):
    m = exercises.load(name)
    for attr in ("TITLE", "TASK", "HINT", "STARTER", "SOLUTION", "FUNCTION"):
        assert isinstance(getattr(m, attr), str) and getattr(m, attr).strip(), attr
    for attr in ("TITLE", "TASK", "HINT"):
        assert HAN.search(getattr(m, attr)), f"{attr} should be in Chinese"
    assert isinstance(m.CHAPTER, int) and m.CASES and callable(m.random_case) and callable(m.check)
    # The starter and the solution define the same function, with the same arguments, which the cases use.
    ns_starter, ns_solution = {}, {}
    exec(compile(m.STARTER, "<starter>", "exec"), ns_starter)
    exec(compile(solution_text(m.SOLUTION), "<solution>", "exec"), ns_solution)
    args = list(inspect.signature(ns_solution[m.FUNCTION]).parameters)
    assert list(inspect.signature(ns_starter[m.FUNCTION]).parameters) == args
    rng = np.random.default_rng(0)
    for case in [c["args"] for c in m.CASES] + [m.random_case(rng) for _ in range(5)]:
        assert list(case) == args
    assert all(HAN.search(c["label"]) or c["label"] for c in m.CASES)
    for description, holds in getattr(m, "PROPERTIES", ()):
        assert HAN.search(description) and callable(holds)


@pytest.mark.parametrize("name", NAMES)
def test_embedded_in_its_chapter(name):
    chapter = exercises.load(name).CHAPTER
    pages = list(ROOT.glob(f"docs/{chapter:02d}-*.md"))
    if not pages and chapter > 12:
        pytest.skip(f"chapter {chapter} is not in this checkout yet")
    (page,) = pages
    assert re.search(rf"^```exercise\s*\nname:\s*{name}\s*$", page.read_text(encoding="utf-8"), re.M)


@pytest.mark.parametrize("name", NAMES)
def test_reference_passes_its_checker(name):
    v = verdict(name, exercises.load(name).SOLUTION)
    assert v["verdict"] == "pass", v
    assert v["passed"] == v["total"] >= len(exercises.load(name).CASES) + 10


@pytest.mark.parametrize("name", NAMES)
def test_starter_fails_with_a_useful_message(name):
    v = verdict(name, exercises.load(name).STARTER)
    assert v["verdict"] == "fail", v
    assert "固定用例 1" in v["message"] or "固定用例" in v["message"]
    assert "return" in v["message"]  # it says the function returned nothing yet
    assert v["case"]["input"] and v["case"]["expected"] and v["case"]["got"] == "None"


@pytest.mark.parametrize("name, what, old, new, expected, words", WRONG, ids=[f"{w[0]}-{w[1]}" for w in WRONG])
def test_typical_wrong_answer(name, what, old, new, expected, words):
    v = verdict(name, wrong_source(name, old, new))
    assert v["verdict"] == expected, v
    for word in words:
        assert word in v["message"], (word, v["message"])
    assert "Traceback" not in json.dumps(v, ensure_ascii=False)
    if expected == "fail":
        assert {"label", "input", "expected", "got", "reason"} <= set(v["case"])


@pytest.mark.parametrize("name", NAMES)
def test_verdict_is_deterministic(name):
    source = exercises.load(name).STARTER
    assert check(name, source) == check(name, source)


# --------------------------------------------------------------------------- the worker entry


def test_syntax_error_gives_the_editor_line():
    v = verdict("watermark_z", "import numpy as np\n\n\ndef z_score(green, gamma):\n    return (\n")
    assert v["verdict"] == "error" and v["line"] == 5
    assert "SyntaxError" in v["message"] and "第 5 行" in v["message"]


def test_exception_gives_the_line_and_the_case_not_a_traceback():
    source = "def z_score(green, gamma):\n    x = 1\n    return green[1000]\n"
    v = verdict("watermark_z", source)
    assert v["verdict"] == "error" and v["line"] == 3
    assert "IndexError" in v["message"] and "固定用例 1" in v["message"]
    assert "Traceback" not in json.dumps(v, ensure_ascii=False)
    assert FILENAME == "<练习>"


def test_exception_in_a_helper_names_the_readers_line():
    source = "def helper(x):\n    return x / 0\n\n\ndef z_score(green, gamma):\n    return helper(1)\n"
    assert verdict("watermark_z", source)["line"] == 2


def test_missing_function_is_a_fail_naming_it():
    v = verdict("watermark_z", "def zscore(green, gamma):\n    return 0.0\n")
    assert v["verdict"] == "fail" and "z_score" in v["message"]


def test_exit_and_top_level_errors_are_the_readers():
    assert verdict("watermark_z", "raise SystemExit(3)\n")["verdict"] == "error"
    v = verdict("watermark_z", "x = 1\ny = undefined_name\n")
    assert v["verdict"] == "error" and v["line"] == 2


def test_each_check_gets_a_fresh_namespace():
    verdict("watermark_z", "LEAK = 1\n\ndef z_score(green, gamma):\n    return 0.0\n")
    v = verdict("watermark_z", "def z_score(green, gamma):\n    return LEAK\n")
    assert v["verdict"] == "error" and "NameError" in v["message"]


def test_readers_mutation_of_inputs_does_not_change_the_expected_answer():
    source = solution_text(exercises.load("causal_attention").SOLUTION).replace(
        "    n, d_k = Q.shape\n", "    n, d_k = Q.shape\n    Q = Q.copy()\n    K[:] = K * 1.0\n", 1
    )
    assert verdict("causal_attention", source)["verdict"] == "pass"


def test_wrong_type_and_shape_are_told_in_chinese():
    v = verdict("causal_attention", "def attention_weights(Q, K):\n    return 'abc'\n")
    assert v["verdict"] == "fail" and "数值" in v["message"]
    v = verdict("causal_attention", "import numpy as np\n\ndef attention_weights(Q, K):\n    return np.ones(3)\n")
    assert v["verdict"] == "fail" and "形状" in v["message"]


def test_unknown_exercise_is_refused():
    v = verdict("../etc", "")
    assert v["verdict"] == "error" and v.get("internal")
    with pytest.raises(LookupError):
        exercises.load("os")


# --------------------------------------------------------------------------- references vs independent answers


def ref(name):
    return exercises.load(name).reference


def test_temperature_top_k_matches_the_demo_sampler():
    from demos._lm import reshape

    rng = np.random.default_rng(1)
    for _ in range(50):
        n = int(rng.integers(2, 10))
        logits, temp, k = rng.normal(0, 2, n), float(rng.uniform(0.2, 2)), int(rng.integers(0, n + 1))
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        assert np.allclose(ref("temperature_top_k")(logits, temp, k), reshape(probs, temp, k), atol=1e-12)


def test_chinchilla_matches_the_demo_and_the_chapter():
    from demos.scaling import optimal_allocation

    n, d = ref("chinchilla_allocation")(5.76e23)
    assert np.allclose((n, d), optimal_allocation(5.76e23))
    assert 3.0e10 < n < 3.4e10 and 2.8e12 < d < 3.2e12  # the chapter: about 32 billion and 3 trillion
    assert d / n == pytest.approx(93, abs=2)  # "每个参数约 93 个 token"


def test_causal_attention_matches_the_chapter_and_the_demo():
    from demos.attention import scaled_dot_product_attention

    q = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 2.0]])
    k = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    w = ref("causal_attention")(q, k)
    assert np.allclose(w[2], [0.140, 0.284, 0.576], atol=1e-3)  # the worked example
    rng = np.random.default_rng(2)
    for _ in range(20):
        a, b = rng.normal(0, 1, (5, 3)), rng.normal(0, 1, (5, 3))
        assert np.allclose(ref("causal_attention")(a, b), scaled_dot_product_attention(a, b, b, causal=True)[1])


def test_lora_parameter_count_matches_the_chapter():
    d, r = 4096, 8
    w_new, count = ref("lora_update")(np.zeros((d, 1)), np.ones((d, r)), np.ones((r, 1)))
    assert w_new.shape == (d, 1) and count == r * (d + 1)
    _, square = ref("lora_update")(np.zeros((4, 4)), np.zeros((4, 2)), np.zeros((2, 4)))
    assert square == 2 * 2 * 4
    assert 2 * r * d == 65_536  # the chapter's figure, r(d + k) with k = d


def test_vote_accuracy_matches_the_chapter_and_the_demo():
    from demos.self_consistency import exact_accuracy

    assert ref("vote_accuracy")([0.4, 0.3, 0.3], 3) == pytest.approx(0.424)
    assert ref("vote_accuracy")([0.4, 0.5, 0.1], 3) == pytest.approx(0.392)
    rng = np.random.default_rng(3)
    for _ in range(10):
        probs = rng.dirichlet(np.ones(int(rng.integers(2, 5))))
        ks = [ref("vote_accuracy")(list(probs), k) for k in range(1, 6)]
        assert np.allclose(ks, exact_accuracy(probs, 5))


def test_bradley_terry_loss_matches_the_chapter_and_plain_math():
    assert ref("bradley_terry_loss")([1.2], [0.2]) == pytest.approx(-math.log(1 / (1 + math.exp(-1.0))))
    assert ref("bradley_terry_loss")([1.2], [0.2]) == pytest.approx(0.31, abs=0.005)
    assert ref("bradley_terry_loss")([0.0], [800.0]) == pytest.approx(800.0)
    diffs = [-3.0, 0.0, 0.5, 4.0]
    plain = sum(math.log1p(math.exp(-x)) for x in diffs) / len(diffs)
    assert ref("bradley_terry_loss")(diffs, [0.0] * 4) == pytest.approx(plain)


def test_speculative_step_samples_exactly_the_target():
    """Over uniform u, v (a fine midpoint grid) and x ~ q, the kept token is distributed as p."""
    verify = ref("speculative_step")
    grid = (np.arange(200) + 0.5) / 200
    rng = np.random.default_rng(4)
    for _ in range(3):
        p, q = rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(4))
        out = np.zeros(4)
        for x, u, v in itertools.product(range(4), grid, grid[::8]):
            out[verify(p, q, x, u, v)] += q[x] / (len(grid) * len(grid[::8]))
        assert np.allclose(out, p, atol=0.02)


def test_fid_matches_the_chapter_and_the_demo():
    from demos.fid import frechet_distance

    assert ref("fid_gaussians")([0.0], [[1.0]], [0.5], [[0.64]]) == pytest.approx(0.29)
    assert ref("fid_gaussians")(np.zeros(8), np.eye(8), np.eye(8)[0] * 0.5, 0.64 * np.eye(8)) == pytest.approx(0.57)
    rng = np.random.default_rng(5)
    for _ in range(10):
        a, b = rng.normal(0, 1, (3, 3)), rng.normal(0, 1, (3, 3))
        c1, c2, m1, m2 = a @ a.T, b @ b.T, rng.normal(0, 1, 3), rng.normal(0, 1, 3)
        assert ref("fid_gaussians")(m1, c1, m2, c2) == pytest.approx(float(frechet_distance(m1, c1, m2, c2)), rel=1e-6)


def test_ddpm_forward_matches_the_demo_schedule():
    from demos._diffusion import alpha_bars, linear_betas

    betas = linear_betas(50)  # index 0 holds β_0 = 0 in the demo; the exercise starts at β_1
    abar = alpha_bars(betas)
    x0, eps = np.array([1.0, -0.5]), np.array([0.2, 0.3])
    for t in (0, 1, 7, 50):
        want = np.sqrt(abar[t]) * x0 + np.sqrt(1 - abar[t]) * eps
        assert np.allclose(ref("ddpm_forward")(x0, t, betas[1:], eps), want)


def test_watermark_z_matches_the_chapter_and_the_demo():
    from demos.watermark import z_score

    for count, want in ((52, 0.4), (70, 4.0), (82, 6.4)):
        flags = [True] * count + [False] * (100 - count)
        assert ref("watermark_z")(flags, 0.5) == pytest.approx(want)
        assert ref("watermark_z")(flags, 0.3) == pytest.approx(float(z_score(count, 100, 0.3)))


def test_tool_call_matches_the_chapter():
    from demos.tool_use import calculator

    assert ref("tool_call")("[计算器(5785×7957)→") == "[计算器(5785×7957)→46031245]"
    rng = np.random.default_rng(7)
    for a, b in rng.integers(0, 10**9, size=(20, 2)).tolist():
        assert ref("tool_call")(f"[计算器({a}×{b})→") == f"[计算器({a}×{b})→{calculator(a, b, 'mul')}]"
        assert ref("tool_call")(f"x[计算器({a}+{b})→") == f"x[计算器({a}+{b})→{calculator(a, b, 'add')}]"
    assert ref("tool_call")("[计算器(2×3)→6]") == "[计算器(2×3)→6]"
    assert ref("tool_call")("[计算器(__import__('os'))→") == "[计算器(__import__('os'))→"


def test_linear_probe_matches_the_demo():
    from demos.embedding_probe import fit_probe

    rng = np.random.default_rng(6)
    h = rng.normal(0, 1, (30, 4))
    y = h @ np.array([1.0, -2.0, 0.5, 3.0]) + 7 + rng.normal(0, 0.1, 30)
    w, b = ref("linear_probe")(h, y)
    demo = fit_probe(h, y[:, None])
    assert b == pytest.approx(float(demo[0, 0])) and np.allclose(w, demo[1:, 0])


def test_residual_quantization_matches_a_plain_loop():
    rng = np.random.default_rng(8)
    for _ in range(10):
        x = rng.normal(0, 2, (5, 2))
        books = [rng.normal(0, 2 / (i + 1), (4, 2)) for i in range(3)]
        codes, recon = ref("residual_quantization")(x, books)
        for row in range(5):
            left, total = list(x[row]), [0.0, 0.0]
            for layer, book in enumerate(books):
                dists = [sum((a - b) ** 2 for a, b in zip(left, word, strict=True)) for word in book]
                best = dists.index(min(dists))
                assert codes[row, layer] == best
                left = [a - b for a, b in zip(left, book[best], strict=True)]
                total = [a + b for a, b in zip(total, book[best], strict=True)]
            assert np.allclose(recon[row], total)

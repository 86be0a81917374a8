"""算力怎么分 (scaling): the Chinchilla fit's optimum against a brute-force search and hand numbers."""

from __future__ import annotations

import numpy as np
import pytest

from demos import scaling as demo
from demos._params import DemoError


def brute_force_optimum(compute, points=200_001):
    """Minimise L(N, C/(6N)) over a dense log grid of N, with plain numpy and no closed form."""
    n = np.logspace(6, 15, points)
    d = compute / (6 * n)
    losses = 1.69 + 406.4 / n**0.34 + 410.7 / d**0.28  # constants retyped from the paper
    i = int(np.argmin(losses))
    return n[i], d[i], losses[i]


@pytest.mark.parametrize("log10_c", [18.0, 20.5, 23.76, 26.0])
def test_closed_form_optimum_matches_grid_search(log10_c):
    c = 10.0**log10_c
    n_opt, d_opt = demo.optimal_allocation(c)
    n_bf, d_bf, l_bf = brute_force_optimum(c)
    assert n_opt == pytest.approx(n_bf, rel=2e-4)  # grid step is 9 decades / 2e5 ≈ 1e-4 relative
    assert d_opt == pytest.approx(d_bf, rel=2e-4)
    assert float(demo.loss(n_opt, d_opt)) <= l_bf + 1e-12


def test_closed_form_by_hand():
    """G = (αA/βB)^(1/(α+β)), N_opt = G·(C/6)^(β/(α+β)), computed step by step in plain Python."""
    g = (0.34 * 406.4 / (0.28 * 410.7)) ** (1 / 0.62)
    assert g == pytest.approx(1.3439, rel=1e-3)
    c = 5.76e23
    n_expected = g * (c / 6) ** (0.28 / 0.62)
    n_opt, d_opt = demo.optimal_allocation(c)
    assert n_opt == pytest.approx(n_expected, rel=1e-12)
    assert n_opt == pytest.approx(3.22e10, rel=5e-3)  # about 32 billion parameters
    assert d_opt / n_opt == pytest.approx(92.6, rel=5e-3)


def test_optimum_satisfies_the_first_order_condition():
    """At the optimum along 6ND = C, α·A/N^α = β·B/D^β (the two marginal gains balance)."""
    for c in (1e19, 1e22, 1e25):
        n, d = demo.optimal_allocation(c)
        assert 0.34 * 406.4 / n**0.34 == pytest.approx(0.28 * 410.7 / d**0.28, rel=1e-9)


def test_compute_is_six_n_d_along_the_curve_and_at_the_optimum():
    c = 3.3e22
    n, _ = demo.isoflop_curve(c, 1e8, 1e12)
    d = demo.tokens_for(c, n)
    np.testing.assert_allclose(6 * n * d, c, rtol=1e-12)
    assert float(demo.compute_flops(*demo.optimal_allocation(c))) == pytest.approx(c, rel=1e-12)


def test_isoflop_curve_is_u_shaped_with_minimum_at_optimum():
    c = 1e23
    n_opt, _ = demo.optimal_allocation(c)
    n, l = demo.isoflop_curve(c, n_opt / 100, n_opt * 100, points=401)
    i = int(np.argmin(l))
    assert n[i] == pytest.approx(n_opt, rel=0.03)
    assert np.all(np.diff(l[: i + 1]) <= 1e-12) and np.all(np.diff(l[i:]) >= -1e-12)


def test_optimal_allocation_scales_as_published_exponents():
    """Multiplying compute by 10 multiplies N_opt by 10^(β/(α+β)) ≈ 10^0.452 and D_opt by 10^0.548."""
    n1, d1 = demo.optimal_allocation(1e21)
    n2, d2 = demo.optimal_allocation(1e22)
    assert np.log10(n2 / n1) == pytest.approx(0.28 / 0.62, abs=1e-12)
    assert np.log10(d2 / d1) == pytest.approx(0.34 / 0.62, abs=1e-12)


def test_chinchilla_beats_gopher_and_gpt3_under_the_fit():
    l_chin = float(demo.loss(70e9, 1.4e12))
    l_gopher = float(demo.loss(280e9, 300e9))
    l_gpt3 = float(demo.loss(175e9, 300e9))
    assert l_chin < l_gopher < l_gpt3
    # hand values: 1.69 + 406.4/70e9^0.34 + 410.7/1.4e12^0.28 ≈ 1.937; Gopher ≈ 1.993
    assert l_chin == pytest.approx(1.9366, abs=1e-3)
    assert l_gopher == pytest.approx(1.9933, abs=1e-3)
    # at Gopher's compute (6ND), the best allocation is better still than either
    c = 6 * 280e9 * 300e9
    assert float(demo.loss(*demo.optimal_allocation(c))) < l_gopher


def test_loss_decreases_in_both_and_never_below_e():
    assert demo.loss(1e10, 1e11) > demo.loss(1e11, 1e11) > demo.loss(1e11, 1e12) > demo.E
    assert float(demo.loss(1e30, 1e30)) == pytest.approx(demo.E, abs=1e-5)


def test_human_and_sci_formats():
    assert demo.human(70e9) == "700 亿"
    assert demo.human(1.4e12) == "1.4 万亿"
    assert demo.human(175e9) == "1,750 亿"
    assert demo.human(5e5) == "50 万"
    assert demo.sci(5.76e23) == "5.76×10²³"


def test_run_default_views_and_marks():
    views = demo.run()
    curve, frontier, table, summary = views
    assert curve["logx"] and frontier["logx"]
    labels = [m["label"] for m in curve["marks"]]
    assert labels[0].startswith("最优") and labels[1].startswith("你的选择")
    assert {"GPT-3", "Gopher", "Chinchilla"} <= set(labels)  # all near 10^23.76 FLOPs
    # the curve's lowest point is (close to) the marked optimum
    y = np.array(curve["series"][0]["y"])
    assert min(y) >= curve["marks"][0]["y"] - 1e-4
    # frontier falls monotonically with compute
    fy = np.array(frontier["series"][0]["y"])
    assert np.all(np.diff(fy) < 0)
    assert [r[0] for r in table["rows"]] == ["算力最优", "你的选择", "每参数 20 token", "GPT-3", "Gopher", "Chinchilla"]
    assert "比最优高" in summary["text"]


def test_models_only_marked_when_compute_is_near_or_hidden():
    far = [m["label"] for m in demo.run(log10_compute=19.0, log10_params=9.0)[0]["marks"]]
    assert not {"GPT-3", "Gopher", "Chinchilla"} & set(far)
    off = [m["label"] for m in demo.run(show_models=False)[0]["marks"]]
    assert len(off) == 3  # optimum, your choice, the 20-tokens-per-parameter rule


def test_choice_at_optimum_has_zero_gap():
    n_opt, _ = demo.optimal_allocation(10**22.0)
    text = demo.run(log10_compute=22.0, log10_params=float(np.log10(n_opt)))[3]["text"]
    assert "比最优高 0.000" in text and "附近" in text


def test_too_big_a_model_for_the_budget_is_refused():
    with pytest.raises(DemoError) as err:
        demo.run(log10_compute=18.0, log10_params=13.0)
    assert err.value.param == "log10_params"
    # the boundary: D/N = C/(6N²) must be ≥ 0.1
    ok_n = np.sqrt(10**20 / 0.6) * 0.99
    demo.run(log10_compute=20.0, log10_params=float(np.log10(ok_n)))
    with pytest.raises(DemoError):
        demo.run(log10_compute=20.0, log10_params=float(np.log10(ok_n / 0.99 * 1.02)))


def refit_loss(n, d):
    """Besiroglu et al. 2024 (arXiv 2404.10102) Table 1 refit, retyped from the paper."""
    return 1.8172 + 482.01 / n**0.3478 + 2085.43 / d**0.3658


def test_refit_optimum_by_grid_search_is_near_twenty_tokens_per_parameter():
    c = 5.76e23
    n = np.logspace(8, 13, 200_001)
    i = int(np.argmin(refit_loss(n, c / (6 * n))))
    n_opt, d_opt = demo.optimal_allocation(c, "besiroglu")
    assert n_opt == pytest.approx(n[i], rel=2e-4)
    # the refit lands near Chinchilla's own allocation (70B, 1.4T): about 18 tokens per parameter
    assert d_opt / n_opt == pytest.approx(18.4, abs=0.1)
    assert 15 < d_opt / n_opt < 25


def test_refit_exponents_are_close_to_one_half():
    n1, d1 = demo.optimal_allocation(1e21, "besiroglu")
    n2, d2 = demo.optimal_allocation(1e22, "besiroglu")
    assert np.log10(n2 / n1) == pytest.approx(0.3658 / (0.3478 + 0.3658), abs=1e-12)
    assert np.log10(d2 / d1) == pytest.approx(0.3478 / (0.3478 + 0.3658), abs=1e-12)


def test_twenty_tokens_rule_is_a_line_and_a_row():
    n, d = demo.rule_allocation(6e22)
    assert n == pytest.approx(np.sqrt(6e22 / 120)) and d == pytest.approx(20 * n)
    curve, frontier, table, _ = demo.run(fit="besiroglu")
    names = [s["name"] for s in frontier["series"]]
    assert names == ["最优损失", "每参数 20 token"]
    opt, rule = (np.array(s["y"]) for s in frontier["series"])
    assert np.all(rule >= opt - 1e-9)  # the rule can only match or lose to the optimum
    assert "每参数 20 token" in [m["label"] for m in curve["marks"]]
    row = next(r for r in table["rows"] if r[0] == "每参数 20 token")
    assert row[3] == 20.0


def test_fit_switch_changes_the_verdict_on_chinchilla():
    """Under the published constants the optimum is ~93 tokens/param; under the refit ~18."""
    hoff = demo.run(fit="hoffmann")[2]["rows"][0]
    refit = demo.run(fit="besiroglu")[2]["rows"][0]
    assert hoff[3] == pytest.approx(92.6, abs=0.1)
    assert refit[3] == pytest.approx(18.4, abs=0.1)

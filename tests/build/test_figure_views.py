"""The matplotlib drawers for demo views and the fallback figures built from them."""

from __future__ import annotations

import io
import re
import sys
import types

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from demos import _views as v  # noqa: E402
from scripts.figures import STYLE, build  # noqa: E402
from scripts.figures import views as fv  # noqa: E402

# The build machine may have no CJK font; the SVG keeps text as text anyway.
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing:UserWarning", "ignore:findfont:UserWarning")


def _drawn(ax) -> int:
    """How many things were drawn into ``ax`` (its title not counted)."""
    return sum(len(c) for c in (ax.texts, ax.lines, ax.patches, ax.collections, ax.images, ax.tables))


def _render(fig) -> str:
    """Render ``fig`` to SVG the way the build does (fails on draw-time errors)."""
    buf = io.StringIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _draw(view):
    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(fv.WIDTH, fv.view_height(view, fv.WIDTH)))
        fv.draw_view(view, ax)
    return fig, ax


def _scatter_frame(i):
    return v.scatter({"点": np.array([[0, i], [1, np.nan], [2, 2 * i]])}, xlim=(0, 3), ylim=(0, 5))


SAMPLES = {
    "text": v.text("第一段很长的中文说明，" * 12 + "\nsecond paragraph with $dollars$ in it", title="说明"),
    "text-empty": v.text(""),
    "tokens": v.tokens(
        "你好",
        [
            {"token": "世", "candidates": [("世", 0.6), ("啊", 0.3), ("呀", 0.1)]},
            {"token": "界", "candidates": []},
            {"token": " ", "candidates": [(" ", 0.9), ("\n", 0.1)]},
        ],
        title="接龙",
    ),
    "tokens-no-steps": v.tokens("只有开头", []),
    "tokens-many-steps": v.tokens("开", [{"token": "字", "candidates": [("字", 1.0)]}] * 30),
    "bars": v.bars(list("甲乙丙丁"), [3, None, np.nan, 1], title="柱", ylabel="次数", highlight=0),
    "bars-many": v.bars([f"标签{i}" for i in range(60)], np.arange(60.0)),
    "bars-empty": v.bars([], []),
    "line": v.line(
        [1, 2, 3, 4],
        {"损失": [1.0, None, 0.5, 0.25], "另一条": [2, 1, 0.5, 0.3]},
        title="曲线",
        xlabel="步",
        ylabel="值",
        marks=[(3, 0.5, "最优"), (np.nan, 1, "坏点")],
    ),
    "line-logy": v.line(np.arange(1, 50), {"": 1 / np.arange(1, 50)}, logy=True, logx=True),
    "scatter": v.scatter(
        {"A": np.random.default_rng(0).normal(size=(40, 2)), "B": [[0, 0], [1, 1]]},
        title="散点",
        xlim=(-3, 3),
        ylim=(-3, 3),
    ),
    "scatter-empty": v.scatter({"空": np.empty((0, 2))}),
    "line-empty": v.line([], {}),
    "heatmap": v.heatmap([[0.1, 0.9], [np.nan, 0.5]], ["行1", "行2"], ["列1", "列2"], title="热图"),
    "heatmap-1x1": v.heatmap([[0.7]], ["我"], ["你"]),
    "heatmap-big": v.heatmap(np.random.default_rng(1).random((40, 30)), range(40), range(30), vmin=0, vmax=1),
    "image": v.image(np.linspace(0, 1, 12 * 8).reshape(12, 8), title="图像"),
    "frames": v.frames([_scatter_frame(i) for i in range(3)], ["一", "二", "三"], title="动画"),
    "frames-image": v.frames([v.image(np.eye(5)), v.image(np.ones((5, 5)))], ["a", "b"]),
    "frames-empty": v.frames([], []),
    "table": v.table(["名", "值", "真"], [[f"行{i}", i / 7, i % 2 == 0] for i in range(20)], title="表"),
    "table-no-rows": v.table(["名", "值"], []),
}


def test_every_kind_has_a_drawer():
    assert set(fv.DRAWERS) == set(v.KINDS)
    assert {view["kind"] for view in SAMPLES.values()} == set(v.KINDS)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_sample_view_draws(name):
    fig, ax = _draw(SAMPLES[name])
    assert _drawn(ax) > 0
    svg = _render(fig)
    assert svg.startswith("<?xml") and "<text" in svg


def test_unknown_kind_is_an_error():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="sparkline"):
        fv.draw_view({"kind": "sparkline"}, ax)
    plt.close(fig)


def test_titles_are_shown_and_dollars_stay_literal():
    fig, ax = _draw(SAMPLES["text"])
    assert ax.get_title(loc="left") == "说明"
    svg = _render(fig)
    assert "$dollars$" in svg  # not turned into mathtext


def test_bars_highlight_and_missing_values():
    fig, ax = _draw(SAMPLES["bars"])
    bars = ax.patches
    assert len(bars) == 4
    assert bars[0].get_facecolor() != bars[3].get_facecolor()
    assert bars[1].get_height() == 0 and bars[2].get_height() == 0
    plt.close(fig)


def test_many_bars_thin_their_tick_labels():
    fig, ax = _draw(SAMPLES["bars-many"])
    assert 0 < len(ax.get_xticks()) <= 30
    plt.close(fig)


def test_line_scales_gaps_legend_and_marks():
    fig, ax = _draw(SAMPLES["line-logy"])
    assert ax.get_yscale() == "log" and ax.get_xscale() == "log"
    plt.close(fig)
    fig, ax = _draw(SAMPLES["line"])
    assert ax.get_yscale() == "linear"
    first = ax.lines[0].get_ydata()
    assert np.isnan(first[1]) and first[0] == 1.0
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["损失", "另一条"]
    assert [t.get_text() for t in ax.texts] == ["最优"]  # the mark with x=None is skipped
    plt.close(fig)


def test_scatter_with_limits_is_equal_aspect():
    fig, ax = _draw(SAMPLES["scatter"])
    assert ax.get_aspect() == 1.0
    assert ax.get_xlim() == (-3.0, 3.0)
    assert len(ax.collections) == 2
    plt.close(fig)


def test_small_heatmap_is_annotated_big_one_is_not():
    fig, ax = _draw(SAMPLES["heatmap"])
    assert sorted(t.get_text() for t in ax.texts) == ["0.10", "0.50", "0.90"]  # NaN cell blank
    assert [t.get_text() for t in ax.get_yticklabels()] == ["行1", "行2"]
    plt.close(fig)
    fig, ax = _draw(SAMPLES["heatmap-1x1"])
    assert [t.get_text() for t in ax.texts] == ["0.70"]
    plt.close(fig)
    fig, ax = _draw(SAMPLES["heatmap-big"])
    assert len(ax.texts) == 0 and len(ax.images) == 1
    plt.close(fig)


def test_tokens_show_text_and_candidates():
    fig, ax = _draw(SAMPLES["tokens"])
    texts = [t.get_text() for t in ax.texts]
    assert texts[0] == "【你好】世界"
    assert "—" in texts  # the step without candidates
    assert "␣" in texts and "↵" in texts  # whitespace tokens made visible
    assert len(ax.patches) == 5  # 3 + 0 + 2 candidate boxes
    outlined = [p for p in ax.patches if p.get_linewidth() > 0]
    assert len(outlined) == 2  # the sampled token of steps 1 and 3
    plt.close(fig)


def test_tokens_grid_is_capped():
    fig, ax = _draw(SAMPLES["tokens-many-steps"])
    assert len(ax.patches) == fv.TOKEN_STEPS
    assert any("共 30 步" in t.get_text() for t in ax.texts)
    plt.close(fig)


def test_frames_draw_the_last_frame():
    fig, ax = _draw(SAMPLES["frames"])
    assert "三" in ax.get_title(loc="left")
    offsets = ax.collections[0].get_offsets()
    assert np.nanmax(np.asarray(offsets)[:, 1]) == 4.0  # frame i=2: points up to y = 2 * 2
    plt.close(fig)


def test_table_shows_first_rows_and_says_so():
    fig, ax = _draw(SAMPLES["table"])
    (table,) = ax.tables
    rows = {r for r, _ in table.get_celld()}
    assert len(rows) == fv.TABLE_ROWS + 1  # header + first rows
    assert table[0, 0].get_text().get_text() == "名"
    assert table[1, 2].get_text().get_text() == "是"
    assert any("共 20 行" in t.get_text() for t in ax.texts)
    plt.close(fig)


@pytest.mark.parametrize(
    "text, columns",
    [
        ("一二三四五六七八九十" * 5, 20),
        ("Mixed 中文 and English words, 还有标点。以及更多。", 16),
        ("第一行\n\n第三行很长很长很长很长很长很长", 10),
    ],
)
def test_wrap_fits_columns_and_keeps_every_character(text, columns):
    lines = fv.wrap(text, columns)
    for line in lines:
        assert fv.text_width(line) <= columns + 2, line  # +2: one closing mark may hang
        assert not line or line[0] not in "，。、；：？！"
    assert "".join(lines).replace(" ", "") == text.replace("\n", "").replace(" ", "")
    assert len(lines) >= text.count("\n") + 1


def test_wrap_keeps_latin_words_whole():
    lines = fv.wrap("attention is all you need", 12)
    assert lines == ["attention is", "all you need"]
    assert fv.text_width("中a") == 3


def _fake_demo(monkeypatch, name, views, title="假的演示"):
    module = types.ModuleType(f"demos.{name}")
    module.TITLE = title
    module.run = lambda: views
    monkeypatch.setitem(sys.modules, f"demos.{name}", module)


def test_demo_figure_text_continuation():
    from demos import text_continuation

    views = text_continuation.run()
    with matplotlib.rc_context(STYLE):
        fig = fv.demo_figure("text_continuation")
    assert isinstance(fig, matplotlib.figure.Figure)
    drawn = [ax for ax in fig.axes if _drawn(ax)]
    assert len(drawn) == len(views) == len(fig.axes)
    assert fig.get_suptitle() == text_continuation.TITLE
    assert 7 <= fig.get_figwidth() <= 9
    assert "<text" in _render(fig)


@pytest.mark.parametrize("count", [1, 3, 4, 9])
def test_demo_figure_any_combination_of_kinds(monkeypatch, count):
    views = (
        [SAMPLES[k] for k in sorted(SAMPLES)][:count]
        if count < 9
        else [SAMPLES[k] for k in ("text", "tokens", "bars", "line", "scatter", "heatmap", "image", "frames", "table")]
    )
    _fake_demo(monkeypatch, "_fake_mix", views)
    with matplotlib.rc_context(STYLE):
        fig = fv.demo_figure("_fake_mix")
    heatmaps = sum(view["kind"] == "heatmap" for view in views)  # each adds a colorbar axes
    assert len(fig.axes) == count + heatmaps
    assert all(_drawn(ax) for ax in fig.axes)
    if count > 3:
        lefts = {round(ax.get_position().x0, 2) for ax in fig.axes[:2]}
        assert len(lefts) == 2  # two columns side by side
    _render(fig)


def test_demo_figure_without_views(monkeypatch):
    _fake_demo(monkeypatch, "_fake_empty", [], title="")
    with matplotlib.rc_context(STYLE):
        fig = fv.demo_figure("_fake_empty")
    assert len(fig.axes) == 1 and _drawn(fig.axes[0])
    _render(fig)


def test_build_writes_text_as_text_and_skips_unchanged(tmp_path):
    from demos import text_continuation

    name = "demo-text_continuation"
    messages = []
    outputs = build(out_dir=tmp_path, only={name}, log=messages.append)
    target = tmp_path / f"{name}.svg"
    assert outputs == [target] and target.exists()
    assert messages == [f"figure {name}.svg drawn"]
    svg = target.read_text(encoding="utf-8")
    prompt = text_continuation.PARAMS["prompt"].default
    assert re.search(rf"<text[^>]*>[^<]*{re.escape(prompt)}", svg), "prompt not kept as SVG text"
    assert text_continuation.TITLE in svg

    before = target.stat().st_mtime_ns
    messages.clear()
    assert build(out_dir=tmp_path, only={name}, log=messages.append) == [target]
    assert messages == []
    assert target.stat().st_mtime_ns == before


def test_chapter2_isoflop_figure_draws_the_20_token_rule_for_both_fits():
    """The rule line sits right of the optimum with Hoffmann's printed constants and on it after the refit."""
    from demos.scaling import rule_allocation
    from scripts.figures import ch02

    fig, (left, right) = plt.subplots(1, 2)
    try:
        hoffmann, besiroglu = ch02.isoflop_panel(left, "hoffmann"), ch02.isoflop_panel(right, "besiroglu")
        for ax in (left, right):
            rule = [line for line in ax.lines if line.get_label() == "每参数 20 token 的经验法则"]
            assert len(rule) == 1 and len(rule[0].get_xdata()) == len(ch02.BUDGETS)
        for c in ch02.BUDGETS:
            assert hoffmann[c][1] == pytest.approx(float(rule_allocation(c)[0]))
            assert hoffmann[c][0] < hoffmann[c][1] / 1.4  # 40–98 tokens per parameter: a smaller model
            assert besiroglu[c][0] == pytest.approx(besiroglu[c][1], rel=0.15)  # ~18–20 tokens per parameter
        gaps = [hoffmann[c][1] / hoffmann[c][0] for c in ch02.BUDGETS]
        assert gaps == sorted(gaps)  # unequal exponents: the printed fit drifts from the rule as compute grows
    finally:
        plt.close(fig)

"""Draw a demo's JSON views with matplotlib, for the static fallback figure.

Every demo page shows ``demo-<name>.svg`` before the reader's first run (and
whenever JavaScript is off).  That figure is the demo's ``run()`` with default
parameters, one subplot per view, each view drawn by the function registered
for its ``kind`` in :data:`DRAWERS`.  The view dicts are the ones built by
``demos/_views.py`` — that module is the schema; this one only reads it.

Choices kept deliberately simple:

* ``frames`` draws its *last* frame, with that frame's label in the title;
* ``tokens`` shows the prompt and generated text on top, and below it a grid
  of the first steps' top candidates with the sampled one outlined;
* ``table`` shows at most :data:`TABLE_ROWS` rows and says how many it hid.

Fonts are never set here: :data:`scripts.figures.STYLE` keeps SVG text as text,
so the reader's browser draws the Chinese with its own fonts.  Because the
build machine may lack a CJK font, text widths are estimated by character
class (a CJK character is one em, a Latin one half) instead of measured, and
long text is wrapped by that estimate so it fits in any browser.
"""

from __future__ import annotations

import importlib
import math
import unicodedata

import numpy as np

WIDTH = 8.0  # figure width, inches
TITLE_SIZE = 11  # points; axes titles
BODY_SIZE = 10.5  # points; wrapped text
SMALL_SIZE = 9  # points; cells, annotations
TABLE_ROWS = 12  # rows a table shows at most
TOKEN_STEPS = 10  # steps the tokens grid shows at most
TOKEN_CANDIDATES = 5  # candidates per step the tokens grid shows at most
ANNOTATE_MAX = 12  # heatmaps up to this many rows and columns get numbers in cells
BASE = "#4C72B0"  # ordinary bars
ACCENT = "#DD8452"  # the highlighted bar, the sampled token, marks
MUTED = "#666666"  # notes such as "showing 12 of 40 rows"

_CLOSING = set("，。、；：？！）》」』】,.;:?!)]}…")  # never start a wrapped line with these


# --------------------------------------------------------------------------- helpers


def _plain(s) -> str:
    """``s`` as literal text: matplotlib would otherwise read ``$…$`` as math."""
    return str(s).replace("$", r"\$")


def _floats(values) -> np.ndarray:
    """JSON numbers (``None`` meaning missing) as a float array with NaN gaps."""
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _matrix(rows) -> np.ndarray:
    """A list of rows of JSON numbers as a 2-D float array (``None`` → NaN)."""
    rows = [list(r) for r in rows]
    if not rows or not rows[0]:
        return np.full((max(len(rows), 1), 1), np.nan)
    return np.array([_floats(r) for r in rows], dtype=float)


def _char_width(ch: str) -> int:
    """Width of one character in half-em columns: 2 for CJK and full-width, else 1."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(s: str) -> int:
    """Width of ``s`` in half-em columns (see :func:`_char_width`)."""
    return sum(_char_width(c) for c in s)


def _columns(width_in: float, size: float) -> int:
    """How many half-em columns of ``size``-point text fit in ``width_in`` inches."""
    return max(8, int(width_in * 72 / size * 2 * 0.92))


def wrap(text: str, columns: int) -> list[str]:
    """Wrap ``text`` to ``columns`` half-em columns; CJK may break between any two characters.

    Latin words are kept whole (unless longer than a line), existing newlines are
    kept, and closing punctuation never starts a line.
    """
    lines = []
    for paragraph in str(text).split("\n"):
        line, width = "", 0
        for piece in _pieces(paragraph):
            w = text_width(piece)
            fits = width + text_width(piece.rstrip()) <= columns or not line or piece[0] in _CLOSING
            if not fits:
                lines.append(line.rstrip())
                line, width = piece.lstrip(), text_width(piece.lstrip())
            else:
                line, width = line + piece, width + w
            while width > columns + 2 and len(line) > 1:  # one word longer than a line
                cut = _cut(line, columns)
                lines.append(line[:cut])
                line = line[cut:]
                width = text_width(line)
        lines.append(line.rstrip())
    return lines


def _pieces(paragraph: str) -> list[str]:
    """Split into wrap units: each wide character alone, runs of narrow ones by word."""
    pieces, word = [], ""
    for ch in paragraph:
        if _char_width(ch) == 2:
            if word:
                pieces.append(word)
                word = ""
            pieces.append(ch)
        elif ch == " ":
            pieces.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        pieces.append(word)
    return pieces


def _cut(line: str, columns: int) -> int:
    """Index at which the first ``columns`` columns of ``line`` end (at least 1)."""
    width = 0
    for i, ch in enumerate(line):
        width += _char_width(ch)
        if width > columns:
            return max(i, 1)
    return len(line)


def _title(ax, view: dict, suffix: str = "") -> None:
    title = (view.get("title") or "") + suffix
    if title:
        ax.set_title(_plain(title), fontsize=TITLE_SIZE, fontweight="bold", loc="left", pad=8)


def _placeholder(ax, view: dict, message: str = "（无数据）") -> None:
    """An empty view: its title and a muted note instead of an empty frame."""
    ax.axis("off")
    _title(ax, view)
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=BODY_SIZE, color=MUTED)


def _thin_ticks(n: int, most: int = 24) -> np.ndarray:
    """Tick positions for ``n`` categories, every k-th one when there are more than ``most``."""
    return np.arange(0, n, max(1, math.ceil(n / most)))


def _show_token(tok: str) -> str:
    """A token as visible text: spaces and newlines get visible stand-ins."""
    return _plain(tok.replace(" ", "␣").replace("\n", "↵").replace("\t", "⇥")) if tok else "∅"


# --------------------------------------------------------------------------- drawers


def draw_text(view: dict, ax) -> None:
    """Wrapped plain text, top-left aligned, no axes frame."""
    if not view.get("text", "").strip():
        _placeholder(ax, view, "（无内容）")
        return
    ax.axis("off")
    _title(ax, view)
    lines = wrap(view.get("text", ""), _columns(_axes_width(ax), BODY_SIZE))
    ax.text(
        0,
        1,
        "\n".join(_plain(l) for l in lines),
        transform=ax.transAxes,
        va="top",
        ha="left",
        fontsize=BODY_SIZE,
        linespacing=1.6,
    )


def draw_tokens(view: dict, ax) -> None:
    """Prompt + generated text on top; below, a grid of the first steps' top candidates."""
    ax.axis("off")
    _title(ax, view)
    steps = view.get("steps", [])
    width = _axes_width(ax)
    lines = _token_lines(view, width)
    shown = steps[:TOKEN_STEPS]
    cell = _token_cell(width)
    depth = _token_depth(steps)
    inch = _inches_from_top_left(ax)
    text_in = _text_block_in(len(lines), BODY_SIZE)
    ax.text(
        0,
        0,
        "\n".join(_plain(l) for l in lines),
        transform=inch,
        va="top",
        ha="left",
        fontsize=BODY_SIZE,
        linespacing=1.6,
    )
    if not shown:
        return
    note = f"（共 {len(steps)} 步，只列出前 {len(shown)} 步）" if len(steps) > len(shown) else ""
    ax.text(
        0,
        -(text_in + 0.12),
        _plain("每一步概率最高的几个候选；框出的是抽中的" + note),
        transform=inch,
        fontsize=SMALL_SIZE,
        color=MUTED,
        va="center",
    )
    top = text_in + 0.3
    for col, step in enumerate(shown):
        _draw_token_column(ax, inch, col * cell, top, cell, step, depth)


def _token_lines(view: dict, width: float) -> list[str]:
    generated = "".join(s["token"] for s in view.get("steps", []))
    return wrap(f"【{view.get('prompt', '')}】{generated}", _columns(width, BODY_SIZE))


def _token_cell(width: float) -> float:
    return min(0.62, width / TOKEN_STEPS)


def _token_depth(steps: list) -> int:
    return min(TOKEN_CANDIDATES, max([len(s["candidates"]) for s in steps[:TOKEN_STEPS]] + [1]))


def _prob(p: float) -> str:
    return "<0.01" if 0 < p < 0.005 else f"{p:.2f}"


def _draw_token_column(ax, inch, x: float, top: float, cell: float, step: dict, depth: int) -> None:
    """One step's candidates, top to bottom, at ``x``/``top`` inches; y grows downwards."""
    import matplotlib.patches as patches
    from matplotlib import colormaps

    blues = colormaps["Blues"]
    cands = step["candidates"][:depth]
    if not cands:
        ax.text(
            x + cell / 2,
            -(top + cell / 2),
            "—",
            transform=inch,
            ha="center",
            va="center",
            fontsize=SMALL_SIZE,
            color=MUTED,
        )
    pad = cell * 0.06
    for row, cand in enumerate(cands):
        p = cand["p"] if cand["p"] is not None else 0.0
        chosen = cand["token"] == step["token"]
        y = top + row * cell
        ax.add_patch(
            patches.FancyBboxPatch(
                (x + pad, -(y + cell - pad)),
                cell - 2 * pad,
                cell - 2 * pad,
                transform=inch,
                clip_on=False,
                boxstyle=f"round,pad=0,rounding_size={cell * 0.1:.3f}",
                facecolor=blues(0.08 + 0.6 * p),
                edgecolor=ACCENT if chosen else "none",
                linewidth=2 if chosen else 0,
            )
        )
        ink = "white" if p > 0.7 else "black"
        ax.text(
            x + cell / 2,
            -(y + cell * 0.4),
            _show_token(cand["token"]),
            ha="center",
            va="center",
            transform=inch,
            fontsize=BODY_SIZE,
            fontweight="bold" if chosen else "normal",
            color=ink,
        )
        ax.text(
            x + cell / 2,
            -(y + cell * 0.76),
            _prob(p),
            transform=inch,
            ha="center",
            va="center",
            fontsize=7,
            color="white" if p > 0.7 else MUTED,
        )


def draw_bars(view: dict, ax) -> None:
    """Vertical bars; the ``highlight`` bar in the accent colour, values on top when few."""
    labels, values = view.get("labels", []), _floats(view.get("values", []))
    n = len(values)
    if n == 0:
        _placeholder(ax, view)
        return
    colors = [ACCENT if i == view.get("highlight") else BASE for i in range(n)]
    x = np.arange(n)
    ax.bar(x, np.nan_to_num(values), color=colors, width=0.75)
    ticks = _thin_ticks(n)
    ax.set_xticks(ticks, [_plain(labels[i]) if i < len(labels) else "" for i in ticks])
    if n and max(text_width(str(l)) for l in labels or [""]) * n > 90:
        ax.tick_params(axis="x", labelrotation=45)
        for t in ax.get_xticklabels():
            t.set_ha("right")
    if 0 < n <= 16:
        for xi, v in zip(x, values):
            if not np.isnan(v):
                ax.annotate(
                    f"{v:.3g}",
                    (xi, v),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    va="bottom" if v >= 0 else "top",
                    fontsize=SMALL_SIZE - 1,
                )
    ax.set_ylabel(_plain(view.get("ylabel", "")))
    ax.margins(x=0.02, y=0.12)
    _title(ax, view)


def draw_line(view: dict, ax) -> None:
    """Lines over a shared x (``None`` leaves a gap), log axes, legend and labelled marks."""
    x = _floats(view.get("x", []))
    series = view.get("series", [])
    if not series or not x.size:
        _placeholder(ax, view)
        return
    for s in series:
        y = _floats(s["y"])
        m = min(len(x), len(y))
        ax.plot(x[:m], y[:m], label=_plain(s["name"]), linewidth=1.8, marker="o" if m <= 12 else None, markersize=3.5)
    if view.get("logx"):
        ax.set_xscale("log", nonpositive="mask")
    if view.get("logy"):
        ax.set_yscale("log", nonpositive="mask")
    for mark in view.get("marks", []):
        if mark["x"] is None or mark["y"] is None:
            continue
        ax.plot([mark["x"]], [mark["y"]], "o", color=ACCENT, markersize=6, zorder=5)
        ax.annotate(
            _plain(mark["label"]),
            (mark["x"], mark["y"]),
            xytext=(6, 6),
            textcoords="offset points",
            fontsize=SMALL_SIZE,
            color=ACCENT,
        )
    if len(series) > 1 or (series and series[0]["name"]):
        ax.legend(fontsize=SMALL_SIZE, frameon=False)
    ax.set_xlabel(_plain(view.get("xlabel", "")))
    ax.set_ylabel(_plain(view.get("ylabel", "")))
    ax.grid(alpha=0.25)
    _title(ax, view)


def draw_scatter(view: dict, ax) -> None:
    """Point clouds, one colour per series; equal aspect when the limits are given."""
    series = view.get("series", [])
    if not any(s["points"] for s in series):
        _placeholder(ax, view)
        return
    for s in series:
        pts = _matrix(s["points"]).reshape(-1, 2) if s["points"] else np.empty((0, 2))
        ax.scatter(pts[:, 0], pts[:, 1], s=14, alpha=0.8, label=_plain(s["name"]), linewidths=0)
    if view.get("xlim"):
        ax.set_xlim(*_floats(view["xlim"]))
    if view.get("ylim"):
        ax.set_ylim(*_floats(view["ylim"]))
    if view.get("xlim") and view.get("ylim"):
        ax.set_aspect("equal", adjustable="box")
    if len(series) > 1:
        ax.legend(fontsize=SMALL_SIZE, frameon=False, markerscale=1.5)
    ax.grid(alpha=0.25)
    _title(ax, view)


def draw_heatmap(view: dict, ax) -> None:
    """A labelled matrix on the ``vmin``–``vmax`` scale; numbers in cells when small."""
    from matplotlib import colormaps

    m = _matrix(view.get("matrix", []))
    rows, cols = view.get("rows", []), view.get("cols", [])
    vmin, vmax = view.get("vmin"), view.get("vmax")
    cmap = colormaps["Blues"].with_extremes(bad="#eeeeee")
    im = ax.imshow(np.ma.masked_invalid(m), cmap=cmap, vmin=vmin, vmax=vmax, aspect="equal")
    ys, xs = _thin_ticks(m.shape[0]), _thin_ticks(m.shape[1])
    ax.set_yticks(ys, [_plain(rows[i]) if i < len(rows) else "" for i in ys])
    ax.set_xticks(xs, [_plain(cols[i]) if i < len(cols) else "" for i in xs])
    ax.tick_params(length=0, labelsize=SMALL_SIZE)
    ax.xaxis.tick_top()
    if max([text_width(c) for c in cols] + [0]) > 4:
        ax.tick_params(axis="x", labelrotation=45)
        for t in ax.get_xticklabels():
            t.set_ha("left")
    for spine in ax.spines.values():
        spine.set_visible(False)
    if m.shape[0] <= ANNOTATE_MAX and m.shape[1] <= ANNOTATE_MAX:
        _annotate_cells(ax, m, vmin, vmax)
    ax.figure.colorbar(im, ax=ax, shrink=0.8, pad=0.02)
    _title(ax, view)


def _annotate_cells(ax, m: np.ndarray, vmin, vmax) -> None:
    finite = m[np.isfinite(m)]
    fmt = "{:.2f}" if finite.size == 0 or np.abs(finite).max() < 10 else "{:.3g}"
    lo, hi = (vmin if vmin is not None else 0.0), (vmax if vmax is not None else 1.0)
    for (i, j), v in np.ndenumerate(m):
        if np.isnan(v):
            continue
        dark = (v - lo) / ((hi - lo) or 1.0) > 0.6
        ax.text(
            j, i, fmt.format(v), ha="center", va="center", fontsize=SMALL_SIZE - 1, color="white" if dark else "black"
        )


def draw_image(view: dict, ax) -> None:
    """A grayscale image in [0, 1], without axes."""
    ax.imshow(_matrix(view.get("pixels", [])), cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    _title(ax, view)


def draw_frames(view: dict, ax) -> None:
    """The last frame of an animation, its label in the title."""
    items, labels = view.get("frames", []), view.get("labels", [])
    if not items:
        draw_text({"text": "（没有帧）", "title": view.get("title", "")}, ax)
        return
    last = dict(items[-1], title="")
    draw_view(last, ax)
    label = labels[len(items) - 1] if len(labels) >= len(items) else ""
    suffix = f"（最后一帧：{label}）" if label else f"（最后一帧，共 {len(items)} 帧）"
    _title(ax, view, suffix)


def draw_table(view: dict, ax) -> None:
    """A table of the first :data:`TABLE_ROWS` rows, header in bold."""
    ax.axis("off")
    _title(ax, view)
    columns, rows = view.get("columns", []), view.get("rows", [])
    if not columns:
        ax.text(0, 1, "（空表）", transform=ax.transAxes, va="top", fontsize=BODY_SIZE)
        return
    shown = rows[:TABLE_ROWS] or [["—"] * len(columns)]
    cells = [[_cell(v) for v in (list(r) + [""] * len(columns))[: len(columns)]] for r in shown]
    n = len(cells) + 1
    height = min(1.0, n * _TABLE_ROW_IN / max(_axes_height(ax) - _NOTE_IN, 1e-6))
    table = ax.table(
        cellText=cells, colLabels=[_plain(c) for c in columns], cellLoc="center", bbox=[0, 1 - height, 1, height]
    )
    table.auto_set_font_size(False)
    table.set_fontsize(SMALL_SIZE)
    for (r, _), cell in table.get_celld().items():
        cell.set_edgecolor("#cccccc")
        if r == 0:
            cell.set_text_props(fontweight="bold")
            cell.set_facecolor("#f0f0f0")
    if len(rows) > TABLE_ROWS:
        ax.text(
            0,
            1 - height - 0.02,
            f"（共 {len(rows)} 行，仅显示前 {len(shown)} 行）",
            transform=ax.transAxes,
            va="top",
            fontsize=SMALL_SIZE,
            color=MUTED,
        )


def _cell(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.4g}"
    return _plain(v)


DRAWERS = {
    "text": draw_text,
    "tokens": draw_tokens,
    "bars": draw_bars,
    "line": draw_line,
    "scatter": draw_scatter,
    "heatmap": draw_heatmap,
    "image": draw_image,
    "frames": draw_frames,
    "table": draw_table,
}


def draw_view(view: dict, ax) -> None:
    """Draw one view of any kind onto the matplotlib Axes ``ax``."""
    kind = view.get("kind")
    if kind not in DRAWERS:
        raise ValueError(f"no drawer for view kind {kind!r}; known kinds: {', '.join(DRAWERS)}")
    DRAWERS[kind](view, ax)


# --------------------------------------------------------------------------- sizes

_TITLE_IN = 0.4  # an axes title and the space above it
_TABLE_ROW_IN = 0.28
_NOTE_IN = 0.3


def _axes_width(ax) -> float:
    """Usable width of ``ax`` in inches, from its grid slot (layout may not have run yet)."""
    spec = ax.get_subplotspec()
    if spec is None:
        return ax.get_position().width * ax.figure.get_figwidth()
    ncols = spec.get_gridspec().ncols
    span = len(spec.colspan)
    gutter = 0.2 if span < ncols else 0.0
    return (ax.figure.get_figwidth() - 0.3) * span / ncols - gutter


def _axes_height(ax) -> float:
    """Estimated drawing height of ``ax`` in inches, from its grid slot, minus its title."""
    spec = ax.get_subplotspec()
    if spec is None:
        return ax.get_position().height * ax.figure.get_figheight()
    ratios = spec.get_gridspec().get_height_ratios() or [1] * spec.get_gridspec().nrows
    share = sum(ratios[i] for i in spec.rowspan) / sum(ratios)
    return max(0.3, (ax.figure.get_figheight() - 0.4) * share - _TITLE_IN)


def _inches_from_top_left(ax):
    """A transform in inches from the axes' top-left corner (y up), exact after layout."""
    from matplotlib.transforms import ScaledTranslation

    return ax.figure.dpi_scale_trans + ScaledTranslation(0, 1, ax.transAxes)


def _text_block_in(lines: int, size: float) -> float:
    return lines * size * 1.6 / 72


def view_height(view: dict, width: float) -> float:
    """Inches of figure height ``view`` wants when it is ``width`` inches wide."""
    kind = view.get("kind")
    if kind == "text":
        lines = len(wrap(view.get("text", ""), _columns(width - 0.4, BODY_SIZE)))
        return _TITLE_IN + _text_block_in(lines, BODY_SIZE) + 0.2
    if kind == "tokens":
        steps = view.get("steps", [])
        text = _text_block_in(len(_token_lines(view, width)), BODY_SIZE)
        grid = 0.3 + _token_depth(steps) * _token_cell(width) if steps else 0.0
        return _TITLE_IN + text + grid + 0.15
    if kind == "table":
        rows = min(TABLE_ROWS, len(view.get("rows", []))) + 1
        return _TITLE_IN + rows * _TABLE_ROW_IN + _NOTE_IN
    if kind == "heatmap":
        nr, nc = max(1, len(view.get("matrix", []))), max(1, len(view.get("cols", [])))
        cell = min(0.45, width * 0.75 / nc, 5.5 / nr)
        return _TITLE_IN + nr * cell + 0.9
    if kind == "image":
        px = view.get("pixels", [])
        aspect = len(px) / max(1, len(px[0])) if px and px[0] else 1.0
        return _TITLE_IN + min(3.2, width * 0.7 * aspect) + 0.2
    if kind == "frames":
        items = view.get("frames", [])
        return view_height(items[-1], width) if items else 1.0
    if kind == "scatter":
        return 3.8 if width > 5 else 3.2
    return 3.0  # bars, line


# --------------------------------------------------------------------------- figure


def demo_figure(name: str):
    """Run ``demos.<name>`` with its defaults and draw all its views in one Figure."""
    import matplotlib.pyplot as plt

    module = importlib.import_module(f"demos.{name}")
    views = module.run() or [{"kind": "text", "title": "", "text": "（这个演示没有输出）"}]
    ncols = 1 if len(views) <= 3 else 2
    slots = _layout(len(views), ncols)
    heights = [0.0] * (slots[-1][0] + 1)
    for view, (row, _, span) in zip(views, slots):
        heights[row] = max(heights[row], view_height(view, WIDTH * span / ncols))
    title = getattr(module, "TITLE", "")
    fig = plt.figure(figsize=(WIDTH, sum(heights) + (0.5 if title else 0.1)), layout="constrained")
    grid = fig.add_gridspec(len(heights), ncols, height_ratios=heights)
    for view, (row, col, span) in zip(views, slots):
        draw_view(view, fig.add_subplot(grid[row, col : col + span]))
    if title:
        fig.suptitle(_plain(title), fontsize=13, fontweight="bold", x=0.0, ha="left")
    return fig


def _layout(n: int, ncols: int) -> list[tuple[int, int, int]]:
    """(grid row, first column, columns spanned) per view.

    One column: a vertical stack.  Two: pairs side by side, an odd last view full width.
    """
    if ncols == 1:
        return [(i, 0, 1) for i in range(n)]
    return [(i // 2, 0, 2) if (i == n - 1 and n % 2) else (i // 2, i % 2, 1) for i in range(n)]

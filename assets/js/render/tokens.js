// Renders a "tokens" view: the prompt, then each generated token as a chip
// (a button); the selected step's candidates are listed below as horizontal
// probability bars with the chosen token highlighted.  Tap/click or focus a
// chip to select it; ←/→/Home/End move between chips.
import { withAlt } from "./alt.js";
import { el, fmtPercent, isNum, visibleToken } from "./svg.js";

let uid = 0;

/** A token as the reader should see it: whitespace made visible, empty as ∅. */
export const visible = visibleToken;

/** One candidate row: token, bar, percentage. */
function candidateRow(cand, chosen) {
  const p = isNum(cand.p) ? Math.min(1, Math.max(0, cand.p)) : 0;
  const bar = el(
    "span",
    { class: "demo-tokens__bar" },
    el("span", { class: "demo-tokens__fill", style: { width: `${(p * 100).toFixed(2)}%` } }),
  );
  return el("li", { class: chosen ? "demo-tokens__cand demo-tokens__cand--chosen" : "demo-tokens__cand" }, [
    el("span", { class: "demo-tokens__cand-token" }, visible(cand.token)),
    bar,
    el("span", { class: "demo-tokens__p" }, fmtPercent(cand.p)),
    // Colour alone should not carry the meaning.  Always present so the grid columns line up.
    el("span", { class: "demo-tokens__mark" }, chosen ? "← 抽中" : ""),
  ]);
}

/** The candidate panel for step i. */
function detail(steps, i) {
  const step = steps[i];
  const candidates = Array.isArray(step.candidates) ? step.candidates : [];
  const rows = candidates.map((c) => candidateRow(c, String(c.token) === String(step.token)));
  const listed = candidates.some((c) => String(c.token) === String(step.token));
  return [
    el("p", { class: "demo-tokens__head" }, `第 ${i + 1} 步：抽中「${visible(step.token)}」，候选字及其概率`),
    rows.length ? el("ol", { class: "demo-tokens__cands" }, rows) : el("p", { class: "demo-empty" }, "（没有候选）"),
    listed || !rows.length
      ? null
      : el(
          "p",
          { class: "demo-tokens__note" },
          `抽中的「${visible(step.token)}」不在上面列出的前 ${rows.length} 名里。`,
        ),
  ];
}

/** The probability the chosen token had, or null when it is not among the candidates. */
function chosenP(step) {
  const candidates = Array.isArray(step.candidates) ? step.candidates : [];
  const hit = candidates.find((c) => c && String(c.token) === String(step.token));
  return hit && isNum(hit.p) ? hit.p : null;
}

/** A chip for step i; only the selected chip is in the tab order (arrow keys move between chips). */
function chip(step, i) {
  const text = visible(step.token);
  const p = chosenP(step);
  return el(
    "button",
    {
      type: "button",
      class: "demo-tokens__chip",
      "aria-pressed": "false",
      tabindex: "-1",
      title: `第 ${i + 1} 步`,
      // The name carries the chosen token's probability, so arrowing along the strip
      // reads the numbers without a live region (the candidate panel is not live).
      "aria-label": `第 ${i + 1} 步：${text}${p === null ? "" : `，概率 ${fmtPercent(p)}`}`,
    },
    text,
  );
}

export function render(view) {
  const steps = (Array.isArray(view.steps) ? view.steps : []).filter((s) => s && typeof s === "object");
  const prompt = el(
    "span",
    { class: "demo-tokens__prompt" },
    view.prompt === null || view.prompt === undefined ? "" : String(view.prompt),
  );
  const chips = steps.map(chip);
  const panel = el("div", { class: "demo-tokens__detail", id: `demo-tokens-detail-${++uid}` });
  for (const c of chips) c.setAttribute("aria-controls", panel.id);
  const line = el(
    "div",
    { class: "demo-tokens__line", role: "group", "aria-label": "开头与逐步生成的字（方向键切换，Home / End 到首尾）" },
    [prompt, ...chips],
  );
  const generated = steps.map((st) => (st.token === null || st.token === undefined ? "" : String(st.token))).join("");
  const said = `共 ${steps.length} 步，生成「${generated}」。`;
  const root = el("div", { class: "demo-tokens" }, [line, panel]);
  if (!steps.length) {
    panel.append(el("p", { class: "demo-empty" }, "（没有生成任何字）"));
    return root;
  }

  let current = -1;
  const select = (i, focus = false) => {
    i = Math.max(0, Math.min(steps.length - 1, i));
    if (i !== current) {
      if (current >= 0) {
        chips[current].setAttribute("aria-pressed", "false");
        chips[current].tabIndex = -1;
      }
      chips[i].setAttribute("aria-pressed", "true");
      chips[i].tabIndex = 0;
      panel.replaceChildren(...detail(steps, i).filter(Boolean));
      current = i;
    }
    if (focus) chips[i].focus();
  };
  const KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
  chips.forEach((c, i) => {
    c.addEventListener("click", () => select(i));
    c.addEventListener("focus", () => select(i));
    c.addEventListener("keydown", (e) => {
      if (e.key in KEYS) select(i + KEYS[e.key], true);
      else if (e.key === "Home") select(0, true);
      else if (e.key === "End") select(steps.length - 1, true);
      else return;
      e.preventDefault();
    });
  });
  select(0);
  return withAlt(root, { summary: said, hidden: true });
}

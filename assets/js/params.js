// A demo's parameters on the page: read the controls, check values against the
// declaration the build embedded (from the module's PARAMS), and turn values
// into a shareable URL and back.  Python validates every run again; this
// mirror exists so a bad shared link is rejected before anything downloads.
// Messages match demos/_params.py word for word (tests compare them).

const preview = (s) => {
  const t = String(s);
  return [...t].length <= 12 ? t : `${[...t].slice(0, 12).join("")}…`;
};
const g = (x) => String(Number(x.toPrecision(6))); // like Python's :g for our ranges

function number(_spec, raw, fail) {
  const text = String(raw).trim();
  if (text === "" || !Number.isFinite(Number(text))) fail(`应为数字，收到的是「${preview(raw)}」。`);
  return Number(text);
}

const parsers = {
  int(spec, raw, fail) {
    const n = number(spec, raw, fail);
    if (!Number.isInteger(n)) fail(`应为整数，收到的是 ${raw}。`);
    if (n < spec.min || n > spec.max) fail(`应在 ${spec.min} 到 ${spec.max} 之间，收到的是 ${n}。`);
    return n;
  },
  float(spec, raw, fail) {
    const n = number(spec, raw, fail);
    if (n < spec.min || n > spec.max) fail(`应在 ${g(spec.min)} 到 ${g(spec.max)} 之间，收到的是 ${g(n)}。`);
    return n;
  },
  text(spec, raw, fail) {
    const t = String(raw).trim();
    if (!t && !spec.allowEmpty) fail("不能为空。");
    const n = [...t].length;
    if (n > spec.maxLength) fail(`最多 ${spec.maxLength} 个字符，收到了 ${n} 个。`);
    return t;
  },
  choice(spec, raw, fail) {
    if (!spec.choices.some((c) => c.value === raw))
      fail(`只能是以下之一：${spec.choices.map((c) => c.label).join("、")}。`);
    return raw;
  },
  bool(_spec, raw, fail) {
    const t = String(raw).trim().toLowerCase();
    if (!["true", "1", "false", "0"].includes(t)) fail("应为「是」或「否」。");
    return t === "true" || t === "1";
  },
};

export class ParamError extends Error {
  constructor(message, param) {
    super(message);
    this.param = param;
  }
}

/** Check one raw (string) value; returns the typed value or throws ParamError. */
export function parseParam(name, spec, raw) {
  const fail = (what) => {
    throw new ParamError(`参数「${spec.label || name}」${what}`, name);
  };
  return parsers[spec.kind](spec, raw, fail);
}

/** Raw string values of every control in `form`, keyed by parameter name. */
export function readControls(form, specs) {
  const values = {};
  for (const name of Object.keys(specs)) {
    const control = form.elements.namedItem(name);
    values[name] = control.type === "checkbox" ? String(control.checked) : control.value;
  }
  return values;
}

/** Put typed or raw values into the controls (sliders follow their number box). */
export function writeControls(form, values) {
  for (const [name, value] of Object.entries(values)) {
    const control = form.elements.namedItem(name);
    if (!control) continue;
    if (control.type === "checkbox") control.checked = value === true || value === "true" || value === "1";
    else control.value = String(value);
    const slider = form.querySelector(`[data-slider-for="${CSS.escape(name)}"]`);
    if (slider) slider.value = control.value;
  }
}

/** `#demo-x?prompt=…` → {id, query} or null. */
export function parseHash(hash) {
  const m = /^#([^?]+)\?(.*)$/.exec(hash || "");
  if (!m) return null;
  return { id: decodeURIComponent(m[1]), query: new URLSearchParams(m[2]) };
}

/** The values in a shared link, checked; throws ParamError on the first bad one. */
export function valuesFromQuery(query, specs) {
  const out = {};
  for (const [name, raw] of query) {
    if (!(name in specs)) throw new ParamError(`链接里有未知参数「${name}」。`, name);
    out[name] = parseParam(name, specs[name], raw);
  }
  return out;
}

/** A link to this page that opens block `id` with `values`. */
export function shareURL(id, values) {
  const url = new URL(window.location.href);
  url.hash = `${id}?${new URLSearchParams(values).toString()}`;
  return url.href;
}

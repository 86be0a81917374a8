// A demo's parameters on the page: read the controls, check values against the
// declaration the build embedded (from the module's PARAMS), and turn values
// into a shareable URL and back.  Python validates every run again; this
// mirror exists so a bad shared link is rejected before anything downloads.
// Messages match demos/_params.py word for word (tests compare them).
// Links are hostile input: keys are looked up with Object.hasOwn (never the
// prototype chain), percent-decoding never throws, and which characters count
// as blank and what a number looks like come from the declaration itself
// (`spec.space`, `spec.number`), so the page and Python always agree.

const preview = (s) => {
  const t = String(s);
  return [...t].length <= 12 ? t : `${[...t].slice(0, 12).join("")}…`;
};
const g = (x) => String(Number(x.toPrecision(6))); // like Python's :g for our ranges

const patterns = new Map(); // regex source → RegExp, built once per page
const cached = (source, flags = "u") => {
  const key = `${flags}/${source}`;
  if (!patterns.has(key)) patterns.set(key, new RegExp(source, flags));
  return patterns.get(key);
};
/** Strip the declaration's blank characters (demos/_params.py SPACE) from both ends. */
export function trim(spec, raw) {
  // A scan, not /^x+|x+$/: that regex is quadratic on long runs of inner blanks.
  const blank = cached(`^${spec.space || "\\s"}$`);
  const text = String(raw);
  let start = 0;
  let end = text.length;
  while (start < end && blank.test(text[start])) start++;
  while (end > start && blank.test(text[end - 1])) end--;
  return text.slice(start, end);
}

function number(spec, raw, fail) {
  const text = trim(spec, raw);
  if (!cached(`^(?:${spec.number || "[+-]?[0-9.eE]+"})$`).test(text)) fail(`应为数字，收到的是「${preview(raw)}」。`);
  const n = Number(text);
  if (!Number.isFinite(n)) fail("应为有限的数字。");
  return n;
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
    const t = trim(spec, raw);
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
  bool(spec, raw, fail) {
    const t = trim(spec, raw).toLowerCase();
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

/** Throw ParamError for a number box whose text the browser could not parse (it then reports ""). */
export function checkBadInput(form, specs) {
  for (const name of Object.keys(specs)) {
    const control = form.elements.namedItem(name);
    if (control?.validity?.badInput) throw new ParamError(`参数「${specs[name].label || name}」不是有效的数字。`, name);
  }
}

/** Raw string values of every control in `form`, keyed by parameter name. */
export function readControls(form, specs) {
  const values = {};
  for (const name of Object.keys(specs)) {
    const control = form.elements.namedItem(name);
    if (!control) continue;
    values[name] = control.type === "checkbox" ? String(control.checked) : control.value;
  }
  return values;
}

/** Put typed or raw values into the controls (sliders follow their number box). */
export function writeControls(form, values) {
  for (const name of Object.keys(values)) {
    const value = values[name];
    const control = form.elements.namedItem(name);
    if (!control) continue;
    if (control.type === "checkbox") control.checked = value === true || value === "true" || value === "1";
    else control.value = String(value);
    const slider = form.querySelector(`[data-slider-for="${CSS.escape(name)}"]`);
    if (slider) slider.value = control.value;
  }
}

/** decodeURIComponent that returns null instead of throwing on malformed escapes. */
function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** `#demo-x?prompt=…` → {id, query} or null (also for an id that does not decode). */
export function parseHash(hash) {
  const m = /^#([^?]+)\?(.*)$/s.exec(hash || "");
  if (!m) return null;
  const id = decode(m[1]);
  if (id === null) return null;
  // A leading "&" keeps URLSearchParams from eating a "?" that belongs to the first key.
  return { id, query: new URLSearchParams(`&${m[2]}`) };
}

/** The values in a shared link, checked; throws ParamError on the first bad one. */
export function valuesFromQuery(query, specs) {
  const out = Object.create(null);
  for (const [name, raw] of query) {
    if (!Object.hasOwn(specs, name)) throw new ParamError(`链接里有未知参数「${preview(name)}」。`, null);
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

/**
 * What a location hash means for block `id`: null (not a link to it), {values} (checked,
 * ready for writeControls) or {error, param} (the message to show).  Never throws for any
 * hash: this is the function tests/js/test_link_fuzz.py drives with generated links.
 */
export function linkFor(hash, id, specs) {
  const link = parseHash(hash);
  if (!link || link.id !== id) return null;
  try {
    return { values: valuesFromQuery(link.query, specs) };
  } catch (err) {
    if (err instanceof ParamError) return { error: err.message, param: err.param };
    throw err;
  }
}

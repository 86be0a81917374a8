// 报告错误: the link (overrides/partials/actions.html) already opens a new issue
// with the page's title and address.  When the reader presses it, fill in what
// only the page knows: the section they were reading and the text they had
// selected.  One delegated listener, so instant navigation needs no re-wiring.

const MAX_QUOTE = 300; // characters of selected text carried into the issue

// The heading the reader is in: Material's tracking keeps it in the hash; at
// the top of a page (no hash yet) take the last heading above the viewport's top third.
function section() {
  if (location.hash.length > 1) return location.hash;
  let id = "";
  for (const h of document.querySelectorAll("article h2[id], article h3[id]")) {
    if (h.getBoundingClientRect().top > window.innerHeight / 3) break;
    id = h.id;
  }
  return id ? `#${encodeURIComponent(id)}` : "";
}

function quote() {
  const text = String(window.getSelection?.() ?? "")
    .replace(/\s+/g, " ")
    .trim();
  return [...text].length > MAX_QUOTE ? `${[...text].slice(0, MAX_QUOTE).join("")}…` : text;
}

/** The issue body: 位置 / 原文 / 应为 / 依据, with what the page knows filled in. */
export function erratumBody(where, selected) {
  return `位置：${where}\n\n原文：${selected ? `\n> ${selected}` : ""}\n\n应为：\n\n依据（论文、课程视频的时间点等）：\n`;
}

function prefill(link) {
  const url = new URL(link.href);
  const where = `${location.origin}${location.pathname}${section()}`;
  url.searchParams.set("body", erratumBody(where, quote()));
  link.href = url.href;
}

// pointerdown comes before the click clears the selection; focus covers the keyboard.
for (const type of ["pointerdown", "focusin"]) {
  document.addEventListener(type, (event) => {
    const link = event.target instanceof Element && event.target.closest("a[data-erratum]");
    if (link) prefill(link);
  });
}

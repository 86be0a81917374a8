/**
 * The language switch between the 简体中文 and 繁體中文 editions (scripts/editions/).
 *
 * - A click on a language in the header opens the same page in the other edition and the
 *   same section: headings have edition-specific anchors (#动手试试 / #動手試試), so the
 *   section is found by its position among the page's headings in the twin page. Other
 *   anchors (#demo-NAME?params…) are the same in both editions and are kept as they are.
 * - A reader whose browser prefers zh-TW / zh-HK / zh-Hant sees, on the Simplified edition,
 *   a discreet note with a link to the twin page, until it is closed. Never a redirect.
 */

const DISMISSED = "course-edition-note-dismissed";
const HANT_LANG = /^zh-(tw|hk|mo|hant)/i;

/** The header's language links: [{lang, root: URL}], the current edition's root last-matched. */
function editions() {
  return [...document.querySelectorAll("a.md-select__link[hreflang]")].map((a) => ({
    lang: a.getAttribute("hreflang"),
    root: new URL(a.href, location.href),
  }));
}

/** The edition whose root is the longest prefix of this page's URL. */
function current(list) {
  return list
    .filter((e) => location.href.startsWith(e.root.href))
    .sort((a, b) => b.root.href.length - a.root.href.length)[0];
}

/** The twin page's URL in edition `to` (no hash). */
function twin(list, to) {
  const here = current(list);
  const rest = here ? location.pathname.slice(here.root.pathname.length) : "";
  return new URL(rest, to.root);
}

function headings(doc) {
  return [...doc.querySelectorAll("article h1[id], article h2[id], article h3[id], article h4[id]")];
}

/** The shared demo link (#demo-NAME?params) this page carries, or "". Material's tracking may
 * already have replaced it in the address with the section on screen; the address the page
 * arrived with is kept by theme-startup.js (and updated by main.js for a later link). */
function sharedLink() {
  if (location.hash.includes("?")) return location.hash;
  const arrival = window.__courseArrival;
  return arrival?.path === location.pathname && arrival.hash.includes("?") ? arrival.hash : "";
}

/** The hash to use on the twin page: a shared demo link as it is, a heading's twin by
 * position, anything else unchanged. */
async function twinHash(url) {
  const link = sharedLink();
  if (link) return link;
  const hash = decodeURIComponent(location.hash.slice(1));
  if (!hash) return "";
  const mine = headings(document).findIndex((h) => h.id === hash);
  if (mine < 0) return location.hash;
  try {
    const reply = await fetch(url, { credentials: "same-origin" });
    if (!reply.ok) return "";
    const doc = new DOMParser().parseFromString(await reply.text(), "text/html");
    const theirs = headings(doc)[mine];
    return theirs ? `#${encodeURIComponent(theirs.id)}` : "";
  } catch {
    return "";
  }
}

function onClick(event) {
  const link = event.target instanceof Element && event.target.closest("a.md-select__link[hreflang]");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const list = editions();
  const to = list.find((e) => e.lang === link.getAttribute("hreflang"));
  if (!to) return;
  // before Material's own handler, which keeps the path but not a translated anchor
  event.preventDefault();
  event.stopPropagation();
  const url = twin(list, to);
  twinHash(url).then((hash) => location.assign(url.href + hash));
}

function suggest() {
  const list = editions();
  const hant = list.find((e) => e.lang === "zh-Hant");
  const here = current(list);
  if (!hant || !here || here === hant || document.querySelector(".course-edition-note")) return;
  if (!HANT_LANG.test(navigator.languages?.[0] || navigator.language || "")) return;
  try {
    if (localStorage.getItem(DISMISSED)) return;
  } catch {
    return; // storage blocked: say nothing rather than nag on every page
  }
  const note = document.createElement("aside");
  note.className = "course-edition-note";
  note.lang = "zh-Hant";
  const link = document.createElement("a");
  link.href = twin(list, hant).href + (sharedLink() || location.hash);
  link.textContent = "閱讀繁體中文版";
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "×";
  close.setAttribute("aria-label", "關閉");
  close.addEventListener("click", () => {
    try {
      localStorage.setItem(DISMISSED, "1");
    } catch {}
    note.remove();
  });
  note.append("本站也有使用台灣用語的繁體中文版：", link, close);
  document.querySelector(".md-content")?.prepend(note);
}

document.addEventListener("click", onClick, true);
// Material's document$ re-announces every page of instant navigation
if (window.document$?.subscribe) window.document$.subscribe(suggest);
else suggest();

// Typesets pymdownx.arithmatex output with KaTeX served from this site.
// KaTeX (≈270 KB) is fetched only on pages that have math.
const here = new URL(".", import.meta.url);
const katexBase = new URL("../vendor/katex/", here);
let loading = null;

function loadKatex() {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("katex.min.css", katexBase).href;
      document.head.append(css);
      const script = document.createElement("script");
      script.src = new URL("katex.min.js", katexBase).href;
      script.onload = () => resolve(window.katex);
      script.onerror = () => { loading = null; reject(new Error("KaTeX failed to load")); };
      document.head.append(script);
    });
  }
  return loading;
}

export async function typesetMath(root = document) {
  const nodes = root.querySelectorAll(".arithmatex:not([data-typeset])");
  if (!nodes.length) return;
  const katex = await loadKatex();
  for (const node of nodes) {
    const text = node.textContent.trim();
    const display = node.tagName === "DIV";
    // arithmatex (generic) wraps TeX in \( \) or \[ \]; KaTeX wants it bare.
    const tex = text.replace(/^\\[([]|\\[)\]]$/g, "");
    node.dataset.typeset = "true";
    katex.render(tex, node, { displayMode: display, throwOnError: false });
  }
}

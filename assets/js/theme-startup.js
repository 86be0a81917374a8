// Material's start-up without restyling the whole page (a theme override, README 「主题覆盖」).
//
// Inlined in <head> (overrides/main.html), before any element of <body> is styled. When
// Material's bundle starts, at the end of <body>, two of its first steps make the browser
// restyle every element of the page (on a long chapter, most of the bundle's start-up time,
// measured with Chromium's invalidation tracking; README 「Benchmark」):
//
// - it swaps the class no-js for js on <html>, and its focus-visible polyfill adds the class
//   js-focus-visible there. Done here first, both find nothing to do;
// - its palette toggle sets data-md-color-switching on <body> each time it applies a palette,
//   to turn transitions off while the colours change, and removes it a frame later. Its rule
//   `[data-md-color-switching] *` restyles every element both times, and it applies the
//   palette once at start-up too, when no colour changes. So the attribute is set only for a
//   switch the reader makes: after a change in the palette form.
//
// It also keeps the address the reader arrived with (window.__courseArrival): Material's hash
// tracking may rewrite the hash to the section on screen before our modules start
// (overrides/partials/modules.html), and a shared demo link (#demo-NAME?values) must survive
// that; main.js reads it from here.
//
// A classic script with no imports: it runs before the bundle.
(() => {
  window.__courseArrival = { path: location.pathname, hash: location.hash };

  const root = document.documentElement;
  root.classList.replace("no-js", "js");
  root.classList.add("js-focus-visible");
  root.setAttribute("data-js-focus-visible", "");

  let switching = false;
  document.addEventListener(
    "change",
    (event) => {
      if (event.target instanceof Element && event.target.closest("[data-md-component=palette]")) switching = true;
    },
    true,
  );
  const setAttribute = HTMLBodyElement.prototype.setAttribute;
  HTMLBodyElement.prototype.setAttribute = function (name, value) {
    if (name === "data-md-color-switching" && !switching) return;
    return setAttribute.call(this, name, value);
  };
})();

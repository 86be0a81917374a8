// Search index on demand (a theme override, README 「主题覆盖」).
//
// Material's bundle requests search/search_index.json (with XMLHttpRequest) as soon as it
// starts, on every page: for this site that is most of what a read-only page downloads.
// This script runs before the bundle and holds that one request back until the reader
// opens search — focus in the search form (a click, the 「/」「s」「f」 shortcuts, a tap
// on the magnifier all focus its field) — or arrives with a ?q= (search) or ?h=
// (highlight) link.  Then the request is sent unchanged and Material carries on as
// usual: its worker indexes the same file and the query typed meanwhile is answered.
// Nothing else of Material is touched.  A classic script, inlined in <head>
// (overrides/main.html, scripts/minify_assets.py), so it runs before bundle.*.min.js;
// it must stay free of imports.
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  const held = [];
  let open = false;

  function openSearch() {
    if (open) return;
    open = true;
    document.documentElement.dataset.searchIndex = "requested";
    for (const send of held.splice(0)) send();
  }

  const realOpen = XMLHttpRequest.prototype.open;
  const realSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.searchIndexRequest = INDEX.test(new URL(url, document.baseURI).pathname);
    return realOpen.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (!this.searchIndexRequest || open) return realSend.apply(this, args);
    held.push(() => realSend.apply(this, args));
  };

  const params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) openSearch();
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.closest("form[name=search]")) openSearch();
  });
})();

// Search on demand (a theme override, README 「主题覆盖」).
//
// Material's bundle requests search/search_index.json (with XMLHttpRequest) and starts its
// search worker (assets/javascripts/workers/search.*.min.js, 12 KB gzip) as soon as it
// starts, on every page: for this site the index is most of what a read-only page
// downloads.  This script runs before the bundle and holds both back until the reader
// opens search — focus in the search form (a click, the 「/」「s」「f」 shortcuts, a tap
// on the magnifier all focus its field) — or arrives with a ?q= (search) or ?h=
// (highlight) link.  Then the request is sent unchanged, the worker starts with the
// messages Material sent it meanwhile, and Material carries on as usual: its worker
// indexes the same file and the query typed meanwhile is answered.  Nothing else of
// Material is touched.  A classic script, inlined in <head> (overrides/main.html,
// scripts/minify_assets.py), so it runs before bundle.*.min.js; it must stay free of imports.
//
// The stand-in also mends one thing in the queries it passes on (see lastWordMended).
(() => {
  const INDEX = /\/search\/search_index\.json$/;
  const WORKER = /\/assets\/javascripts\/workers\/search\.[0-9a-f]+\.min\.js$/;
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

  // Material's worker cuts each run of Chinese in a query into the index's words, but its
  // loop never lets a word end at the run's last character, so the last word shrinks to its
  // first character and a wildcard: 奖励模型 searched 奖励* 模* and listed the speech chapter
  // first, 扩散模型 likewise.  A Han character that no word of the index holds (龥, U+9FA5),
  // put after each run of two or more, lets the last word end where the reader's ends; the
  // loop then drops it.  A one-character run is left as it was (it is searched as a prefix).
  const QUERY = 2; // Material's SearchMessageType.QUERY
  const RUN = /\p{Script=Han}{2,}/gu;
  const END = "\u9fa5";
  function lastWordMended(message) {
    if (message?.type !== QUERY || typeof message.data !== "string") return message;
    return { ...message, data: message.data.replace(RUN, (run) => run + END) };
  }

  // Material's search worker, started when search opens.  Material only posts to it and
  // listens for "message" (rxjs fromEvent), so an EventTarget that queues posts and
  // re-dispatches the real worker's messages stands in for it until then (and passes
  // them on after).
  const RealWorker = window.Worker;
  class HeldWorker extends EventTarget {
    #posts = [];
    #real = null;
    #ended = false;
    constructor(url, options) {
      super();
      if (open) this.#start(url, options);
      else held.push(() => this.#start(url, options));
    }
    #start(url, options) {
      if (this.#ended) return;
      this.#real = new RealWorker(url, options);
      for (const type of ["message", "messageerror"]) {
        this.#real.addEventListener(type, ({ data }) => this.dispatchEvent(new MessageEvent(type, { data })));
      }
      this.#real.addEventListener("error", () => this.dispatchEvent(new Event("error")));
      for (const args of this.#posts.splice(0)) this.#real.postMessage(...args);
    }
    postMessage(message, ...rest) {
      const args = [lastWordMended(message), ...rest];
      if (this.#real) this.#real.postMessage(...args);
      else this.#posts.push(args);
    }
    terminate() {
      this.#ended = true;
      this.#real?.terminate();
    }
  }
  // `new Worker(…)` still works, and instanceof Worker for every real one.
  function Worker(url, options) {
    if (WORKER.test(new URL(url, document.baseURI).pathname)) return new HeldWorker(url, options);
    return new RealWorker(url, options);
  }
  Worker.prototype = RealWorker.prototype;
  window.Worker = Worker;

  const params = new URLSearchParams(location.search);
  if (params.has("q") || params.has("h")) openSearch();
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.closest("form[name=search]")) openSearch();
  });
})();

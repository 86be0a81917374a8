// The site's service worker: the course keeps working offline after one visit.
//
// A template: scripts/offline_manifest.py writes it to the site root as sw.js with this
// build's VERSION and MANIFEST (every file with its content hash), so a new deploy is a
// new worker. Its scope is the site's own base path (register.js); it answers only
// same-origin GET requests under that scope: a Pyodide CDN and other paths are untouched.
//
// - install: precache the pages, styles, scripts, figures and fonts of the editions in
//   use (the open pages' edition, and those the previous version had) into this
//   version's cache. No clients.claim(): the first visit stays entirely on the network.
// - pages and assets: cache first, from this version's cache only, so a page and its
//   assets always come from one build; a new build reaches the reader as a new worker
//   that waits until the page applies it (register.js: 「有新版本，刷新后生效」).
// - Pyodide files: only when the page asks (after a successful run, or 「离线可用」),
//   each checked against the sha256 in the manifest before it is stored; stored by
//   content hash, so an unchanged file carries over to the next version. Served cache
//   first: the worker's loadPackage still checks every wheel against the lock.
// - activate: delete the caches of other versions and runtime files this build does not list.

const VERSION = "dev";
const MANIFEST = { editions: { "": [] }, lazy: [], runtime: {} };

const SCOPE = self.registration.scope; // ends with "/"
const PREFIX = `course:${new URL(SCOPE).pathname}:`; // two sites on one origin keep their own caches
const PAGES = `${PREFIX}pages:${VERSION}`;
const RUNTIME = `${PREFIX}runtime`;

const ROOTS = Object.keys(MANIFEST.editions).sort((a, b) => b.length - a.length); // longest first
const PRECACHED = new Set(Object.values(MANIFEST.editions).flat());
const LAZY = new Set(MANIFEST.lazy);

/** The edition ("" or "zh-Hant/") a URL under the scope belongs to. */
function editionOf(url) {
  const rel = url.startsWith(SCOPE) ? url.slice(SCOPE.length) : "";
  return ROOTS.find((root) => rel.startsWith(root)) ?? "";
}

/** The entry that says `root`'s edition was precached whole (a page seen once is not enough). */
const markerOf = (root) => `${SCOPE}${root}?precached`;

/** The cache key of a runtime file: its URL plus its sha256, so an unchanged file keeps its entry. */
const runtimeKey = (rel) => `${SCOPE}${rel}?sha256=${MANIFEST.runtime[rel].sha256}`;

async function editionsInUse() {
  const found = new Set();
  for (const client of await self.clients.matchAll({ includeUncontrolled: true, type: "window" })) {
    if (client.url.startsWith(SCOPE)) found.add(editionOf(client.url));
  }
  for (const name of await caches.keys()) {
    if (!name.startsWith(`${PREFIX}pages:`) || name === PAGES) continue;
    const old = await caches.open(name);
    for (const root of ROOTS) if (await old.match(markerOf(root))) found.add(root);
  }
  if (!found.size) found.add("");
  return found;
}

/**
 * Whether `response` may be stored for `rel`: a success, from this origin, with the type its
 * name promises.  A host that serves a script as text/plain, or an error page with 200,
 * while the cache fills would otherwise keep that page broken until the next build (the
 * cache is served first), even after the host is fixed.  Scripts and styles must carry
 * their type (browsers refuse them otherwise), pages must be HTML, and nothing else may be.
 */
function storable(rel, response) {
  if (!response.ok || response.redirected || response.type !== "basic") return false;
  const type = (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
  if (/\.m?js$/.test(rel)) return /^(text|application)\/(x-)?javascript$/.test(type);
  if (rel.endsWith(".css")) return type === "text/css";
  if (rel === "" || rel.endsWith("/") || rel.endsWith(".html")) return type === "text/html";
  return type !== "text/html";
}

/** Put every file of `root`'s edition into this version's cache (revalidating the HTTP cache). */
async function precacheEdition(root) {
  const cache = await caches.open(PAGES);
  const files = MANIFEST.editions[root] || [];
  // All or nothing, like cache.addAll, but a file served with the wrong type fails it too.
  const responses = await Promise.all(
    files.map(async (rel) => {
      const response = await fetch(new Request(SCOPE + rel, { cache: "no-cache" }));
      if (!storable(rel, response))
        throw new Error(`${rel}: HTTP ${response.status}, ${response.headers.get("content-type")}`);
      return [rel, response];
    }),
  );
  for (const [rel, response] of responses) await cache.put(SCOPE + rel, response);
  await cache.put(markerOf(root), new Response(""));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      for (const root of await editionsInUse()) await precacheEdition(root);
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(`${PREFIX}pages:`) && name !== PAGES) await caches.delete(name);
      }
      const runtime = await caches.open(RUNTIME);
      const keep = new Set(Object.keys(MANIFEST.runtime).map(runtimeKey));
      for (const request of await runtime.keys()) if (!keep.has(request.url)) await runtime.delete(request);
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return; // the CDN, other paths: not ours
  const url = new URL(request.url);
  const rel = url.pathname.slice(new URL(SCOPE).pathname.length);
  if (rel in MANIFEST.runtime) event.respondWith(fromRuntime(request, rel));
  else if (PRECACHED.has(rel) || LAZY.has(rel) || request.mode === "navigate")
    event.respondWith(fromPages(request, rel));
});

async function fromPages(request, rel) {
  const cache = await caches.open(PAGES);
  const hit = await cache.match(SCOPE + rel);
  if (hit) return hit;
  try {
    const response = await fetch(request);
    // A page of an edition not precached yet, the search index, the editor: kept once seen.
    if ((PRECACHED.has(rel) || LAZY.has(rel)) && storable(rel, response)) {
      await cache.put(SCOPE + rel, response.clone());
    }
    return response;
  } catch (err) {
    const notFound = request.mode === "navigate" && (await cache.match(`${SCOPE}${editionOf(request.url)}404.html`));
    if (notFound) return notFound;
    throw err;
  }
}

async function fromRuntime(request, rel) {
  const hit = await (await caches.open(RUNTIME)).match(runtimeKey(rel));
  return hit || fetch(request);
}

async function hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function runtimeStatus() {
  const cache = await caches.open(RUNTIME);
  const entries = Object.entries(MANIFEST.runtime);
  let cached = 0;
  for (const [rel] of entries) if (await cache.match(runtimeKey(rel))) cached++;
  const total = entries.reduce((sum, [, entry]) => sum + entry.size, 0);
  return { type: "offline-status", version: VERSION, cached, files: entries.length, total };
}

// One download at a time, shared by every page that asks.
let downloading = null;

/** Fetch, check and store every runtime file not stored yet, reporting progress to `client`. */
async function cacheRuntime(client) {
  const tell = (message) => client?.postMessage({ version: VERSION, ...message });
  if (!downloading) {
    downloading = (async () => {
      const cache = await caches.open(RUNTIME);
      const entries = Object.entries(MANIFEST.runtime);
      const total = entries.reduce((sum, [, entry]) => sum + entry.size, 0);
      let loaded = 0;
      for (const [rel, entry] of entries) {
        if (!(await cache.match(runtimeKey(rel)))) {
          const response = await fetch(SCOPE + rel, { cache: "no-cache" });
          if (!response.ok) throw new Error(`${rel}: HTTP ${response.status}`);
          const body = await response.arrayBuffer();
          if ((await hex(body)) !== entry.sha256) throw new Error(`${rel}: sha256 不符`);
          const headers = { "content-type": response.headers.get("content-type") || "application/octet-stream" };
          await cache.put(runtimeKey(rel), new Response(body, { headers }));
        }
        loaded += entry.size;
        tell({ type: "offline-progress", loaded, total });
      }
      return total;
    })().finally(() => {
      downloading = null;
    });
  }
  try {
    tell({ type: "offline-done", ok: true, total: await downloading });
  } catch (err) {
    tell({ type: "offline-done", ok: false, error: String(err?.message || err) });
  }
}

self.addEventListener("message", (event) => {
  const type = event.data?.type;
  if (type === "skip-waiting") self.skipWaiting();
  else if (type === "cache-runtime") event.waitUntil(cacheRuntime(event.source));
  else if (type === "status") event.waitUntil(runtimeStatus().then((status) => event.source?.postMessage(status)));
  else if (type === "precache-edition") {
    // A reader who opens the other edition: its pages too, unless already there.
    const root = editionOf(event.source?.url || "");
    event.waitUntil(
      caches
        .open(PAGES)
        .then((cache) => cache.match(markerOf(root)))
        .then((hit) => hit || precacheEdition(root))
        .catch(() => {}),
    );
  }
});

// Service worker for Sổ liên lạc điện tử: keeps the app shell (CSS, JS, icons, offline page) available offline.
// The server replaces the version string below with a hash of pwa/, so every asset change gets a fresh cache.
const VERSION = "__VERSION__";
const CACHE = `contactbook-shell-${VERSION}`;
const SHELL = [
  "/offline",
  "/pwa/css/app.css",
  "/pwa/js/app.js",
  "/manifest.webmanifest",
  "/pwa/icons/icon-192.png",
  "/pwa/icons/icon.svg",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // cache: "reload" skips the HTTP cache, so a new version never precaches stale copies.
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("contactbook-") && key !== CACHE).map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // API data is personal and must be live: leave it to the network, untouched.
  if (url.pathname.startsWith("/api/")) return;

  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(request));
  } else if (url.pathname.startsWith("/pwa/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(cacheFirst(request));
  }
  // Anything else goes to the network as usual.
});

// Pages hold children's personal data, so they are never stored; offline we only serve the precached shell.
async function networkFirstPage(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cache = await caches.open(CACHE);
    return (await cache.match(request)) || (await cache.match("/offline")) || Response.error();
  }
}

// Static assets: the cache is per version, so a cached copy is always the right one.
// The query string (e.g. ?v=...) is ignored for the same reason.
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    await cache.put(request, response.clone());
  }
  return response;
}

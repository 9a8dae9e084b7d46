// Service worker for Sổ liên lạc điện tử: the app shell offline, the user's pages as last seen,
// the outbox sent by Background Sync, and Web Push.
// The server replaces __VERSION__ with a hash of pwa/ and __ASSETS__ with the map from a file's
// path under pwa/ to the URL it is served at, so every change of a file installs a new worker.
const VERSION = "__VERSION__";
const ASSETS = __ASSETS__;
const SHELL = `contactbook-shell-${VERSION}`;
// Signed-in pages as last loaded; each carries its user's id in this header.
const PAGES = "contactbook-pages";
const USER_HEADER = "X-Contactbook-User";

const asset = (path) => ASSETS[path] || `/pwa/${path}`;
importScripts(asset("js/queue.js"));
const queue = self.contactbookQueue;

const PRECACHE = [
  "/offline",
  "/manifest.webmanifest",
  ...Object.entries(ASSETS).filter(([path]) => path !== "sw.js").map(([path]) => asset(path)),
];

// A new version waits until every tab of the old one is closed (or the user asks for it), so a
// page never runs half old, half new; its notice says so (offline.js).
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL)
      // cache: "reload" skips the HTTP cache, so a new version never precaches stale copies.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "activate") self.skipWaiting();
});

// Kept pages were written for the old shell's files: they go with it.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => {
        const old = keys.filter((key) => key.startsWith("contactbook-shell-") && key !== SHELL);
        return Promise.all([...old, ...(old.length ? [PAGES] : [])].map((key) => caches.delete(key)));
      })
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // API data is live; the one copy an entry page needs offline is kept by the page (api.js).
  if (url.pathname.startsWith("/api/")) return;

  if (request.mode === "navigate") {
    event.respondWith(networkFirstPage(event));
  } else if (url.pathname.startsWith("/pwa/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(cacheFirst(request));
  }
  // Anything else goes to the network as usual.
});

// A page from the network, keeping a copy when it is a signed-in user's page (the server marks
// those); offline, that copy, but only for the user signed in on this phone now.
async function networkFirstPage(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (response.status === 200 && response.type === "basic" && response.headers.has(USER_HEADER)) {
      const copy = response.clone();
      event.waitUntil(caches.open(PAGES).then((cache) => cache.put(request, copy)));
    }
    return response;
  } catch (error) {
    const kept = await caches.open(PAGES).then((cache) => cache.match(request, { ignoreVary: true }));
    const user = await queue.meta("user").catch(() => undefined);
    if (kept && user && kept.headers.get(USER_HEADER) === user) return kept;
    return (await caches.match("/offline", { cacheName: SHELL })) || Response.error();
  }
}

// Static assets: the cache is per version, so a cached copy is always the right one.
// The query string (e.g. ?v=...) is ignored for the same reason.
async function cacheFirst(request) {
  const cache = await caches.open(SHELL);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    await cache.put(request, response.clone());
  }
  return response;
}

// Background Sync: the browser wakes the worker when the connection returns, even with no tab
// open; what cannot go yet makes the browser try again later.
self.addEventListener("sync", (event) => {
  if (event.tag === "outbox") event.waitUntil(sendOutbox());
});

async function sendOutbox() {
  const [user, token] = await Promise.all([queue.meta("user"), queue.meta("csrf")]);
  if (!user) return;
  await queue.flush(user, token);
  const waiting = (await queue.entries(user)).some((entry) => entry.state === "waiting");
  if (waiting) throw new Error("Some writes are still waiting for the connection.");
}

// Web Push: show what the server sent, once. A delivery whose result was lost may arrive again
// with the same notification id; the ids already shown are kept in IndexedDB.
const SEEN_DB = "contactbook-push";

function seenStore(mode) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(SEEN_DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore("seen");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => resolve(open.result.transaction("seen", mode).objectStore("seen"));
  });
}

function request(operation) {
  return new Promise((resolve, reject) => {
    operation.onsuccess = () => resolve(operation.result);
    operation.onerror = () => reject(operation.error);
  });
}

const KEEP_SEEN_MS = 14 * 24 * 3600 * 1000; // a repeat comes within the worker's retries

async function firstTime(id) {
  const store = await seenStore("readwrite");
  if ((await request(store.get(id))) !== undefined) return false;
  await request(store.put(Date.now(), id));
  const cursor = store.openCursor();
  cursor.onsuccess = () => {
    const entry = cursor.result;
    if (!entry) return;
    if (entry.value < Date.now() - KEEP_SEEN_MS) entry.delete();
    entry.continue();
  };
  return true;
}

self.addEventListener("push", (event) => {
  const message = event.data ? event.data.json() : null;
  if (!message) return;
  event.waitUntil(
    firstTime(message.id).then((isNew) =>
      isNew
        ? self.registration.showNotification(message.title, {
            body: message.body,
            tag: message.tag,
            renotify: true,
            icon: "/pwa/icons/icon-192.png",
            badge: "/pwa/icons/icon-192.png",
            data: { url: message.url, id: message.id },
          })
        : undefined
    )
  );
});

// A tap opens the page the notification is about, in an open window when there is one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url || "/", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url === target) || windows[0];
      if (!open) return self.clients.openWindow(target);
      // A window that cannot be brought to the front still goes to the page.
      return Promise.all([open.focus().catch(() => open), open.navigate(target)]);
    })
  );
});

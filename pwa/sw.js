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
      if (open) return open.focus().then((client) => client.navigate(target));
      return self.clients.openWindow(target);
    })
  );
});

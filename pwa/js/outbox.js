// The offline queue of writes as a page sees it: what the signed-in user saved on this phone and
// has not been sent yet, and sending it. The store and sender are queue.js, shared with the
// service worker. Fires window event "outbox:change" after any change, from any tab.
import "./queue.js";

const queue = self.contactbookQueue;
const FIRST_RETRY_MS = 2000;
const LAST_RETRY_MS = 60000;

queue.listeners.add(() => window.dispatchEvent(new Event("outbox:change")));

// The signed-in user's id as the page states it; "" on a page for nobody signed in.
export function currentUser() {
  return document.getElementById("sync-status")?.dataset.user ?? "";
}

function token() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

// A write as the outbox keeps it: a FormData body becomes its list of fields (files included).
export function entryFor(method, url, body, key) {
  const isForm = body instanceof FormData;
  return {
    key,
    user: currentUser(),
    method,
    url,
    format: isForm ? "form" : "json",
    body: isForm ? [...body.entries()] : body,
    page: location.pathname + location.search,
    title: document.querySelector("main h1")?.textContent.trim() || document.title,
  };
}

export function attempt(entry) {
  return queue.attempt(entry.url, queue.request(entry, token()));
}

export const mustWait = queue.mustWait;

// Everything of this user's not sent yet, oldest first.
export async function pending() {
  const user = currentUser();
  return user ? queue.entries(user) : [];
}

// The queued or refused entries for one API url, oldest first (entry pages show the newest).
export async function pendingFor(url) {
  return (await pending())
    .filter((entry) => entry.url === url)
    .map(({ key, method, body, state, message, errors }) => ({ key, method, url, body, state, message, errors }));
}

export async function hasWaiting(url) {
  return (await pending()).some((entry) => entry.url === url && entry.state === "waiting");
}

// Where the browser has Background Sync, it sends the queue even after the tab is closed.
function askForBackgroundSync() {
  navigator.serviceWorker?.getRegistration()
    .then((registration) => registration?.sync?.register("outbox"))
    .catch(() => {});
}

export async function enqueue(entry) {
  await queue.add(entry);
  askForBackgroundSync();
}

// A successful save of the same thing replaces an earlier refused one.
export function settled(method, url) {
  return queue.supersede(currentUser(), method, url);
}

export function discard(key) {
  return queue.remove(key);
}

let retryIn = FIRST_RETRY_MS;
let retryTimer = null;

// Send what waits; while something still waits and the phone is online, try again later, less
// and less often. Resolves to a Map from key to the answer of each entry sent or refused.
export async function flush() {
  const user = currentUser();
  clearTimeout(retryTimer);
  if (!user || !navigator.onLine) return new Map();
  const answers = await queue.flush(user, token());
  const waiting = (await queue.entries(user)).some((entry) => entry.state === "waiting");
  if (waiting) {
    retryTimer = setTimeout(flush, retryIn);
    retryIn = Math.min(retryIn * 2, LAST_RETRY_MS);
  } else {
    retryIn = FIRST_RETRY_MS;
  }
  return answers;
}

// Remember who is signed in and their token for the service worker; a different person's
// kept pages go.
export async function rememberUser(pagesCache) {
  const user = currentUser();
  if (!user) return;
  const before = await queue.meta("user");
  if (before !== user) await globalThis.caches?.delete(pagesCache);
  await queue.setMeta("user", user);
  await queue.setMeta("csrf", token());
}

// Sign-out: nothing of this user stays on the phone.
export function forget() {
  return queue.clear();
}

// Writes to the JSON API: CSRF token from the page, and an Idempotency-Key so a retry never doubles.
// A write that cannot reach the server now waits in the outbox (outbox.js) and is sent later
// with the same key.
import * as outbox from "./outbox.js";

// Kept copies of the API data an entry page needs offline, with the pages (sw.js clears both).
export const PAGES_CACHE = "contactbook-pages";
const USER_HEADER = "X-Contactbook-User";

// A fresh Idempotency-Key, made when the user saves.
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const QUEUED = { ok: false, status: 0, data: {}, queued: true };

function answered({ status, data }) {
  return { ok: status >= 200 && status < 300, status, data, queued: false };
}

// Resolves to {ok, status, data, queued}; never rejects. Offline, after a network failure or a
// server fault, the write is queued ({queued: true}) unless {queue: false}; then status is 0
// when the server never answered. A write behind others waiting for the same url queues too,
// so the server gets them in the order they were saved.
export async function send(method, url, body, key = newKey(), { queue = true } = {}) {
  try {
    return await sendOrQueue(outbox.entryFor(method, url, body, key), queue);
  } catch (error) {
    return { ok: false, status: 0, data: {}, queued: false }; // no IndexedDB here (a private window)
  }
}

async function sendOrQueue(entry, queue) {
  const { key, method, url } = entry;
  if (queue && (!navigator.onLine || (await outbox.hasWaiting(url).catch(() => false)))) {
    await outbox.enqueue(entry);
    const answer = (await outbox.flush()).get(key);
    return answer ? answered(answer) : QUEUED;
  }
  const answer = await outbox.attempt(entry);
  if (queue && outbox.mustWait(answer.status)) {
    await outbox.enqueue(entry);
    outbox.flush();
    return QUEUED;
  }
  if (answer.status < 300) await outbox.settled(method, url).catch(() => {});
  return answered(answer);
}

// The words a page shows for a write kept on this phone until the connection returns.
export function queuedWords() {
  return document.getElementById("sync-status")?.dataset.queued ?? "";
}

// A GET of API data; offline, the copy kept from the last time this user loaded it.
export async function load(url) {
  const response = await fetch(url, { credentials: "same-origin" }).catch(() => null);
  const kept = globalThis.caches ? await caches.open(PAGES_CACHE) : null;
  if (response?.ok && response.headers.has(USER_HEADER)) await kept?.put(url, response.clone());
  const copy = response ? null : await kept?.match(url);
  const usable = copy?.headers.get(USER_HEADER) === outbox.currentUser() ? copy : null;
  const answer = response || usable;
  if (!answer) return { ok: false, status: 0, data: {} };
  return { ok: answer.ok, status: answer.status, data: await answer.json().catch(() => ({})) };
}

// Every error body is {"code", "message", "errors": {"entries.3.score": ["..."]}}: one line per
// message, the field shown as `label(path)` gives it (a pupil's name, a form label).
export function errorLines(errors, label = (path) => path) {
  return Object.entries(errors || {}).flatMap(([path, messages]) =>
    messages.map((message) => `${label(path)}: ${message}`)
  );
}

// "entries.3.score" -> 3: the index of the row an error is about, or -1.
export function rowIndex(path, list) {
  const [name, index] = path.split(".");
  return name === list && /^\d+$/.test(index ?? "") ? Number(index) : -1;
}

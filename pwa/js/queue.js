// The outbox's store and sender, shared by the pages (through outbox.js) and the service worker
// (importScripts), so a write queued on a page can be sent by either. A classic script on
// purpose: it defines self.contactbookQueue and nothing else.
//
// An entry is one write as the user saved it: {key (its Idempotency-Key), seq (order), user,
// method, url, format ("json" or "form"), body, page, title, saved, state ("waiting" or
// "refused"), status, message, errors}. Entries are sent oldest first, one at a time, each with
// its own key, so a write that reached the server before its answer was lost is replayed by the
// server, never done twice.
(() => {
  const DB_NAME = "contactbook-outbox";
  const LOCK = "contactbook-outbox";
  const CHANNEL = "contactbook-outbox";
  const TIMEOUT_MS = 15000;
  // Answers that say "not now" rather than "no": the entry waits and is sent again later.
  const RETRY = new Set([408, 425, 429]);

  function done(operation) {
    return new Promise((resolve, reject) => {
      operation.onsuccess = () => resolve(operation.result);
      operation.onerror = () => reject(operation.error);
    });
  }

  let opened = null;
  function database() {
    opened ||= new Promise((resolve, reject) => {
      const open = indexedDB.open(DB_NAME, 1);
      open.onupgradeneeded = () => {
        const entries = open.result.createObjectStore("entries", { keyPath: "seq", autoIncrement: true });
        entries.createIndex("key", "key", { unique: true });
        open.result.createObjectStore("meta");
      };
      open.onsuccess = () => {
        // Sign-out may delete the database: let it, and open afresh next time.
        open.result.onversionchange = () => { open.result.close(); opened = null; };
        resolve(open.result);
      };
      open.onerror = () => { opened = null; reject(open.error); };
    });
    return opened;
  }

  async function store(name, mode = "readonly") {
    return (await database()).transaction(name, mode).objectStore(name);
  }

  const channel = "BroadcastChannel" in self ? new BroadcastChannel(CHANNEL) : null;
  const listeners = new Set();
  // Every change is told to this context's listeners and to every other tab and the worker.
  function changed() {
    channel?.postMessage("change");
    for (const listener of listeners) listener();
  }
  channel?.addEventListener("message", () => { for (const listener of listeners) listener(); });

  async function entries(user) {
    const all = await done((await store("entries")).getAll());
    return user === undefined ? all : all.filter((entry) => entry.user === user);
  }

  // A second tap on Save sends the same key again: that write is already waiting.
  async function add(entry) {
    const entries = await store("entries", "readwrite");
    if ((await done(entries.index("key").getKey(entry.key))) !== undefined) return;
    await done(entries.add({ ...entry, state: "waiting", saved: Date.now() }));
    changed();
  }

  async function seqOf(key) {
    return done((await store("entries")).index("key").getKey(key));
  }

  async function remove(key) {
    const seq = await seqOf(key);
    if (seq !== undefined) await done((await store("entries", "readwrite")).delete(seq));
    changed();
  }

  async function update(entry) {
    await done((await store("entries", "readwrite")).put(entry));
    changed();
  }

  // A later save of the same thing (a PUT to the same URL) replaces a refused one.
  async function supersede(user, method, url) {
    if (method !== "PUT") return;
    const older = (await entries(user)).filter(
      (entry) => entry.state === "refused" && entry.method === "PUT" && entry.url === url
    );
    for (const entry of older) await remove(entry.key);
  }

  async function meta(name) {
    return done((await store("meta")).get(name));
  }

  async function setMeta(name, value) {
    await done((await store("meta", "readwrite")).put(value, name));
  }

  function request(entry, token) {
    const headers = { "X-CSRFToken": token, "Idempotency-Key": entry.key };
    let body;
    if (entry.format === "form") {
      body = new FormData();
      for (const [name, value] of entry.body) {
        if (value instanceof File) body.append(name, value, value.name);
        else body.append(name, value);
      }
    } else {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(entry.body);
    }
    return { method: entry.method, credentials: "same-origin", headers, body };
  }

  // One attempt: the answer as {status, data}, status 0 when the network failed or was too slow.
  async function attempt(url, init) {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(url, { ...init, signal: timeout.signal });
      return { status: response.status, data: await response.json().catch(() => ({})) };
    } catch (error) {
      return { status: 0, data: {} };
    } finally {
      clearTimeout(timer);
    }
  }

  function mustWait(status) {
    return status === 0 || status === 401 || status >= 500 || RETRY.has(status);
  }

  // Send the user's waiting entries in order; stop at the first that cannot go now. Returns a
  // Map from key to the answer of each entry sent or refused on this round.
  async function sendAll(user, token) {
    const answers = new Map();
    for (const entry of await entries(user)) {
      if (entry.state !== "waiting") continue;
      const answer = await attempt(entry.url, request(entry, token));
      if (mustWait(answer.status)) break;
      answers.set(entry.key, answer);
      if (answer.status < 300) {
        await remove(entry.key);
        await supersede(user, entry.method, entry.url);
      } else {
        const { message = "", errors = {} } = answer.data;
        await update({ ...entry, state: "refused", status: answer.status, message, errors });
      }
    }
    return answers;
  }

  // One sender at a time across tabs and the worker, so entries keep their order.
  function flush(user, token) {
    const locks = self.navigator.locks;
    return locks ? locks.request(LOCK, () => sendAll(user, token)) : sendAll(user, token);
  }

  async function clear() {
    await done((await store("entries", "readwrite")).clear());
    await done((await store("meta", "readwrite")).clear());
    changed();
  }

  self.contactbookQueue = {
    add, attempt, clear, entries, flush, listeners, meta, mustWait, remove, request, setMeta, supersede,
  };
})();

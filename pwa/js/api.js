// Writes to the JSON API: CSRF token from the page, and an Idempotency-Key so a retry never doubles.

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function send(method, url, body, key = newKey()) {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      "X-CSRFToken": token,
      "Idempotency-Key": key,
    },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, data };
}

export async function load(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  return { ok: response.ok, status: response.status, data: await response.json().catch(() => ({})) };
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

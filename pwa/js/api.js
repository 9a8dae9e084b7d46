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

// Flatten {"field": ["message"], "nested": {"0": {...}}} into readable lines.
export function errorLines(errors, prefix = "") {
  return Object.entries(errors || {}).flatMap(([field, value]) =>
    Array.isArray(value)
      ? value.map((message) => `${prefix}${field}: ${message}`)
      : errorLines(value, `${prefix}${field}.`)
  );
}

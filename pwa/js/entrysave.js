// Saving an entry form (roll call, grades, traits): the Save button shows that a save is under
// way, the answer is told in words, and a save still waiting on this phone is shown on load.
// The form carries its words: data-saving, data-saved, data-queued, data-refused, data-offline.
import { send } from "./api.js";
import { pendingFor } from "./outbox.js";

// Sends the form's body to its data-url; Save is disabled and says "Saving…" until the answer.
export async function save(form, body) {
  const button = form.querySelector("button[type=submit]");
  const label = button.textContent;
  button.disabled = true;
  button.textContent = form.dataset.saving;
  try {
    return await send("PUT", form.dataset.url, body).catch(() => ({
      ok: false,
      data: { message: form.dataset.offline },
    }));
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

// Says how a save went: saved, kept on this phone until it syncs, or refused with the reasons.
export function tell(form, { ok, queued, data }, rowName) {
  const status = form.querySelector(".status");
  status.textContent = ok ? form.dataset.saved : queued ? form.dataset.queued : refusal(data, rowName);
  status.classList.toggle("field-error", !ok && !queued);
  if (queued) followQueue(form);
}

// A save kept on this phone: once the queue has sent it, the form says so, or why it was refused.
function followQueue(form) {
  const status = form.querySelector(".status");
  const update = async () => {
    if (status.textContent !== form.dataset.queued) {
      window.removeEventListener("outbox:change", update);
      return;
    }
    const entry = (await pendingFor(form.dataset.url).catch(() => [])).at(-1);
    if (entry?.state === "waiting") return;
    window.removeEventListener("outbox:change", update);
    status.textContent = entry
      ? [form.dataset.refused, refusal({ message: entry.message, errors: entry.errors }, () => "")].join(" ")
      : form.dataset.saved;
    status.classList.toggle("field-error", Boolean(entry));
  };
  window.addEventListener("outbox:change", update);
}

// The server's reasons in words: one per field, a row's named by its pupil ("Lê Văn Đạt: ..."),
// the others by the message alone ("There are no lessons on this day of the week.").
export function refusal(data, rowName) {
  const lines = Object.entries(data?.errors || {}).flatMap(([path, messages]) => {
    const name = rowName(path);
    return messages.map((message) => (name ? `${name}: ${message}` : message));
  });
  return lines.length ? lines.join(" ") : data?.message ?? "";
}

// The newest write to the form's url still on this phone whose body `matches` what the form shows:
// the page shows it over what the server sent, and says whether it waits or was refused.
export async function showPending(form, matches) {
  const entries = await pendingFor(form.dataset.url).catch(() => []);
  const entry = entries.filter((candidate) => matches(candidate.body)).at(-1);
  if (!entry) return null;
  const status = form.querySelector(".status");
  const refused = entry.state === "refused";
  status.textContent = refused
    ? [form.dataset.refused, refusal({ message: entry.message, errors: entry.errors }, () => "")].join(" ")
    : form.dataset.queued;
  status.classList.toggle("field-error", refused);
  if (!refused) followQueue(form);
  return entry.body;
}

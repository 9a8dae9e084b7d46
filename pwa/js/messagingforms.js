// Announcements and leave requests: forms that may carry a file, decisions, read receipts.
// Forms marked data-form-api are sent as multipart form data (files included) or, with
// data-json, as JSON; the clicked button's name and value go along. On success the page goes
// to data-next ("{id}" replaced by the saved record's id) or reloads. A JSON form (a decision, a
// read receipt) saved offline waits on the phone and is sent when the connection returns; a
// form with files needs the connection.
import { errorLines, newKey, queuedWords, send } from "./api.js";

function post(url, form, submitter, asJson) {
  const data = new FormData(form);
  if (submitter?.name) data.append(submitter.name, submitter.value);
  for (const [name, value] of [...data.entries()]) {
    if (value instanceof File && !value.name) data.delete(name);
    else if (typeof value === "string" && value.trim() === "") data.delete(name);
  }
  const body = asJson ? Object.fromEntries(data.entries()) : data;
  return send("POST", url, body, form.dataset.key, { queue: asJson });
}

function labelOf(form, path) {
  const element = form.elements.namedItem(path.split(".")[0]);
  const label = element?.labels?.[0] ?? element?.[0]?.closest("fieldset")?.querySelector("legend");
  return label?.textContent.trim() || path;
}

for (const form of document.querySelectorAll("form[data-form-api]")) {
  const status = form.querySelector(".status");
  form.dataset.key = newKey();
  form.addEventListener("input", () => { form.dataset.key = newKey(); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = form.dataset.saving;
    status.classList.remove("field-error");
    const { ok, data, queued } = await post(form.dataset.formApi, form, event.submitter, "json" in form.dataset);
    if (queued) {
      status.textContent = queuedWords();
      return;
    }
    if (!ok) {
      status.classList.add("field-error");
      const message = data.message || form.dataset.offline;
      status.textContent = [message, ...errorLines(data.errors, (path) => labelOf(form, path))].join(" ");
      return;
    }
    status.textContent = form.dataset.saved;
    if (form.dataset.next) location.assign(form.dataset.next.replace("{id}", data.id));
    else location.reload();
  });
}

// A family opening an announcement marks it read; the first time is kept.
const reader = document.querySelector("[data-mark-read]");
if (reader) {
  fetch(reader.dataset.markRead, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content },
  }).catch(() => {});
}

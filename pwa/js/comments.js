// The author's own recent comments on the pupil page: correct them (PATCH) or withdraw them
// (DELETE, after asking). The page is reloaded to show what the server now holds.
import { errorLines, send } from "./api.js";

function correction(form) {
  const subject = form.elements.subject_id.value;
  return {
    kind: form.elements.kind.value,
    text: form.elements.text.value.trim(),
    subject_id: subject ? Number(subject) : null,
  };
}

function labelOf(form, path) {
  const element = form.elements.namedItem(path);
  return element?.labels?.[0]?.firstChild?.textContent.trim() || path;
}

for (const form of document.querySelectorAll("form[data-comment]")) {
  const status = form.querySelector(".status");
  const button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    const method = form.dataset.method;
    status.classList.remove("field-error");
    status.textContent = form.dataset.saving;
    button.disabled = true;
    const { ok, queued, data } = await send(
      method,
      form.dataset.comment,
      method === "PATCH" ? correction(form) : {}
    );
    if (ok) {
      location.reload();
      return;
    }
    if (queued) {
      status.textContent = form.dataset.queued;
      return;
    }
    button.disabled = false;
    status.classList.add("field-error");
    const lines = errorLines(data?.errors, (path) => labelOf(form, path));
    status.textContent = [data?.message, ...lines].filter(Boolean).join(" ");
  });
}

// Forms marked data-api send their fields as JSON to the API, then show the saved result.
// A form marked data-queue too (health notes, comments) is kept on the phone when offline and
// sent when the connection returns; the others say nothing was saved.
import { errorLines, newKey, queuedWords, send } from "./api.js";

function value(element) {
  if (element.type === "checkbox") return element.checked;
  const text = element.value.trim();
  if ("decimal" in element.dataset) return text.replace(",", ".");
  if ("integer" in element.dataset) return Number(text);
  return text;
}

// A name like "events.classbook.grade_recorded" fills body.events["classbook.grade_recorded"].
function put(body, name, data) {
  const [group, ...rest] = name.split(".");
  if (!rest.length) body[name] = data;
  else (body[group] ||= {})[rest.join(".")] = data;
}

function fields(form) {
  const body = {};
  for (const element of form.elements) {
    if (!element.name || (element.type === "radio" && !element.checked)) continue;
    if (element.type !== "checkbox" && element.value.trim() === "") continue;
    put(body, element.name, value(element));
  }
  return body;
}

// An error's path names a field of the form ("measured_value", "events.x"): show its label.
function labelOf(form, path) {
  const element = form.elements.namedItem(path);
  return element?.labels?.[0]?.textContent.trim() || path;
}

for (const form of document.querySelectorAll("form[data-api]")) {
  const status = form.querySelector(".status");
  // The key is made when Save is pressed and kept until the form changes: a second tap on Save
  // is the same write.
  let key = newKey();
  form.addEventListener("input", () => { key = newKey(); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = form.dataset.saving;
    const queue = "queue" in form.dataset;
    const { ok, data, queued } = await send(form.dataset.method || "POST", form.dataset.api, fields(form), key, { queue });
    status.classList.toggle("field-error", !ok && !queued);
    if (queued) {
      status.textContent = queuedWords();
      form.reset();
      key = newKey();
      return;
    }
    if (!ok) {
      const message = data.message || form.dataset.offline;
      status.textContent = [message, ...errorLines(data.errors, (path) => labelOf(form, path))].join(" ");
      return;
    }
    status.textContent = form.dataset.saved;
    location.reload();
  });
}

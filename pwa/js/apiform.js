// Forms marked data-api send their fields as JSON to the API, then show the saved result.
import { errorLines, send } from "./api.js";

function fields(form) {
  const body = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === "checkbox") body[element.name] = element.checked;
    else if (element.value.trim() === "") continue;
    else if ("decimal" in element.dataset) body[element.name] = element.value.trim().replace(",", ".");
    else if ("integer" in element.dataset) body[element.name] = Number(element.value);
    else body[element.name] = element.value.trim();
  }
  return body;
}

for (const form of document.querySelectorAll("form[data-api]")) {
  const status = form.querySelector(".status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = form.dataset.saving;
    const { ok, data } = await send(form.dataset.method || "POST", form.dataset.api, fields(form))
      .catch(() => ({ ok: false, data: { message: form.dataset.offline } }));
    status.classList.toggle("field-error", !ok);
    if (!ok) {
      status.textContent = [data.message, ...errorLines(data.errors)].join(" ");
      return;
    }
    status.textContent = form.dataset.saved;
    location.reload();
  });
}

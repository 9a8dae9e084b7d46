// Roster import: send the file with upload progress, then show the dry run; confirm it once.
import { send } from "./api.js";

function showError(status, data) {
  status.classList.add("field-error");
  status.textContent = [data.message, ...Object.values(data.errors || {}).flat()].join(" ");
}

function upload(form) {
  const status = form.querySelector(".status");
  const bar = form.querySelector("progress");
  const button = form.querySelector("button");
  const file = form.elements.file.files[0];
  if (!file) return;
  status.classList.remove("field-error");
  if (file.size > Number(form.dataset.maxBytes)) {
    showError(status, { message: form.dataset.tooLarge });
    return;
  }
  const body = new FormData();
  body.append("file", file);
  const request = new XMLHttpRequest();
  request.open("POST", form.dataset.api);
  request.setRequestHeader("X-CSRFToken", document.querySelector('meta[name="csrf-token"]').content);
  request.responseType = "json";
  request.upload.addEventListener("progress", (event) => {
    if (!event.lengthComputable) return;
    bar.value = Math.round((event.loaded / event.total) * 100);
  });
  // Once the last byte is sent the server reads and checks every row; say so honestly.
  request.upload.addEventListener("load", () => {
    bar.removeAttribute("value");
    status.textContent = form.dataset.checking;
  });
  request.addEventListener("load", () => {
    button.disabled = false;
    bar.hidden = true;
    const data = request.response || {};
    if (request.status === 201) location.assign(data.page);
    else showError(status, data);
  });
  request.addEventListener("error", () => {
    button.disabled = false;
    bar.hidden = true;
    showError(status, { message: form.dataset.offline });
  });
  button.disabled = true;
  bar.hidden = false;
  bar.value = 0;
  status.textContent = form.dataset.sending;
  request.send(body);
}

async function confirmImport(form) {
  const status = form.querySelector(".status");
  const button = form.querySelector("button");
  button.disabled = true;
  status.classList.remove("field-error");
  status.textContent = form.dataset.importing;
  const { ok, data } = await send("POST", form.dataset.api, {}).catch(() => ({
    ok: false,
    data: { message: form.dataset.offline },
  }));
  if (ok) {
    location.reload();
    return;
  }
  button.disabled = false;
  showError(status, data);
}

const uploadForm = document.getElementById("roster-upload");
uploadForm?.addEventListener("submit", (event) => {
  event.preventDefault();
  upload(uploadForm);
});
const confirmForm = document.getElementById("roster-confirm");
confirmForm?.addEventListener("submit", (event) => {
  event.preventDefault();
  confirmImport(confirmForm);
});

// Roll call: gathers every pupil's mark and saves the whole class in one request.
import { errorLines, rowIndex, send } from "./api.js";

const form = document.getElementById("roll-call");
const status = form.querySelector(".status");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const marks = Array.from(form.querySelectorAll("li[data-student]"), (row) => ({
    student_id: Number(row.dataset.student),
    status: row.querySelector("input[type=radio]:checked").value,
    note: row.querySelector("input.note").value.trim(),
  }));
  status.textContent = form.dataset.saving;
  const { ok, data } = await send("PUT", form.dataset.url, {
    day: form.dataset.day,
    session: form.dataset.session,
    marks,
  }).catch(() => ({ ok: false, data: { message: form.dataset.offline } }));
  const rows = form.querySelectorAll("li[data-student]");
  const pupilOf = (path) => rows[rowIndex(path, "marks")]?.querySelector(".pupil").textContent ?? path;
  status.textContent = ok ? form.dataset.saved : [data.message, ...errorLines(data.errors, pupilOf)].join(" ");
  status.classList.toggle("field-error", !ok);
});

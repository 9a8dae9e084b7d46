// Roll call: gathers every pupil's mark and saves the whole class in one request.
import { errorLines, queuedWords, rowIndex, send } from "./api.js";
import { pendingFor } from "./outbox.js";

const form = document.getElementById("roll-call");
const status = form.querySelector(".status");

// The newest save of this sheet kept on this phone, waiting or refused.
async function newestKept() {
  const mine = (await pendingFor(form.dataset.url)).filter(
    (entry) => entry.body.day === form.dataset.day && entry.body.session === form.dataset.session
  );
  return mine.at(-1);
}

function showState(kept) {
  status.textContent = kept?.state === "refused" ? kept.message : queuedWords();
  status.classList.toggle("field-error", kept?.state === "refused");
}

// On opening, the sheet shows what was saved on the phone and not sent yet.
async function showKept() {
  const kept = await newestKept();
  if (!kept) return;
  for (const mark of kept.body.marks) {
    const row = form.querySelector(`li[data-student="${mark.student_id}"]`);
    if (!row) continue;
    row.querySelector(`input[type=radio][value="${mark.status}"]`).checked = true;
    row.querySelector("input.note").value = mark.note;
  }
  showState(kept);
}

// Once what waited is sent, the sheet says it is saved.
window.addEventListener("outbox:change", async () => {
  if (status.textContent !== queuedWords()) return;
  const kept = await newestKept();
  if (kept) showState(kept);
  else status.textContent = form.dataset.saved;
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const marks = Array.from(form.querySelectorAll("li[data-student]"), (row) => ({
    student_id: Number(row.dataset.student),
    status: row.querySelector("input[type=radio]:checked").value,
    note: row.querySelector("input.note").value.trim(),
  }));
  status.textContent = form.dataset.saving;
  const { ok, data, queued } = await send("PUT", form.dataset.url, {
    day: form.dataset.day,
    session: form.dataset.session,
    marks,
  });
  const rows = form.querySelectorAll("li[data-student]");
  const pupilOf = (path) => rows[rowIndex(path, "marks")]?.querySelector(".pupil").textContent ?? path;
  const problem = [data.message || form.dataset.offline, ...errorLines(data.errors, pupilOf)].join(" ");
  status.textContent = ok ? form.dataset.saved : queued ? queuedWords() : problem;
  status.classList.toggle("field-error", !ok && !queued);
});

showKept();

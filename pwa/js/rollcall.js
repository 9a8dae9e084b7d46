// Roll call: one row per pupil; the counts above follow each tap; saves the whole class at once.
import { rowIndex } from "./api.js";
import { save, showPending, tell } from "./entrysave.js";
import { watchUnsaved } from "./unsaved.js";

const form = document.getElementById("roll-call");
const rows = Array.from(form.querySelectorAll("li[data-student]"));
const unsaved = watchUnsaved(form);
const ABSENT = new Set(["excused", "unexcused"]);

function marks() {
  return rows.map((row) => ({
    student_id: Number(row.dataset.student),
    status: row.querySelector("input[type=radio]:checked").value,
    note: row.querySelector("input.note").value.trim(),
  }));
}

function count() {
  const counts = { present: 0, absent: 0, late: 0 };
  for (const { status } of marks()) counts[ABSENT.has(status) ? "absent" : status] += 1;
  for (const [key, value] of Object.entries(counts)) {
    document.querySelector(`[data-count="${key}"]`).textContent = value;
  }
}

function showNote(row, open) {
  const note = row.querySelector("input.note");
  note.hidden = !open;
  row.querySelector(".note-toggle").setAttribute("aria-expanded", String(open));
  return note;
}

// What the server sent, overlaid with a save of this day still waiting on the phone.
function overlay(body) {
  const byPupil = new Map(body.marks.map((mark) => [String(mark.student_id), mark]));
  for (const row of rows) {
    const mark = byPupil.get(row.dataset.student);
    const radio = mark && row.querySelector(`input[type=radio][value="${mark.status}"]`);
    if (radio) radio.checked = true;
    if (mark) showNote(row, Boolean(mark.note)).value = mark.note ?? "";
  }
  count();
}

form.addEventListener("change", count);

form.addEventListener("click", (event) => {
  const toggle = event.target.closest(".note-toggle");
  if (!toggle) return;
  const row = toggle.closest("li");
  const note = showNote(row, toggle.getAttribute("aria-expanded") !== "true");
  if (!note.hidden) note.focus();
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = await save(form, { day: form.dataset.day, session: form.dataset.session, marks: marks() });
  const pupilOf = (path) => rows[rowIndex(path, "marks")]?.querySelector(".pupil").firstChild.textContent.trim();
  tell(form, result, pupilOf);
  if (result.ok || result.queued) unsaved.saved();
});

showPending(form, (body) => body.day === form.dataset.day && body.session === form.dataset.session)
  .then((body) => body && !unsaved.isDirty() && overlay(body));

// Grade entry: one assessment column for the whole class, checked as you type, Enter moves on.
// Modes: "score" (a number), "comment" (a rating), "primary" (a level and maybe a test score),
// "trait" (a primary quality or competence rating). A reader who may not save (data-read-only)
// sees each grade as the server writes it, with nothing to change.
import { load, rowIndex } from "./api.js";
import { save, showPending, tell } from "./entrysave.js";
import { watchUnsaved } from "./unsaved.js";

const form = document.getElementById("grade-entry");
const list = form.querySelector("ol");
const columnPicker = document.getElementById("column");
const status = form.querySelector(".status");
const ratingOptions = document.getElementById("rating-options");
const mode = form.dataset.mode;
const readOnly = "readOnly" in form.dataset;
const unsaved = watchUnsaved(form);
const SCORE = mode === "primary" ? /^(10|\d)$/ : /^(10([.,]0)?|\d([.,]\d)?)$/;

// The page gives the fixed part (term, subject) and each picker option the rest (kind, slot...).
function column() {
  return { ...JSON.parse(form.dataset.base), ...JSON.parse(columnPicker.value) };
}

function check(input) {
  const valid = input.value.trim() === "" || SCORE.test(input.value.trim());
  input.setAttribute("aria-invalid", String(!valid));
  input.title = valid ? "" : form.dataset.invalid;
  return valid;
}

function row(entry) {
  const item = document.createElement("li");
  item.dataset.student = entry.student_id;
  const name = document.createElement("span");
  name.className = "pupil";
  name.textContent = entry.student_name;
  item.append(name);
  if (readOnly) {
    const shown = document.createElement("span");
    shown.className = "grade";
    shown.textContent = [entry.score_text, entry.rating_text].filter(Boolean).join(" · ") || "–";
    item.append(shown);
    return item;
  }
  if (mode === "score" || mode === "primary") {
    const input = document.createElement("input");
    Object.assign(input, { type: "text", inputMode: "decimal", enterKeyHint: "next", className: "score" });
    input.value = entry.score_text;
    input.setAttribute("aria-label", entry.student_name);
    input.addEventListener("input", () => check(input));
    item.append(input);
  }
  if (mode !== "score") {
    const select = document.createElement("select");
    select.className = "rating";
    select.append(ratingOptions.content.cloneNode(true));
    select.value = entry.rating || "";
    select.setAttribute("aria-label", entry.student_name);
    item.append(select);
  }
  return item;
}

// Shows a column: the page's own for the one it opened on, else the server's; a save of that
// column still waiting on this phone is laid over it.
async function show(sheet) {
  let entries = sheet?.entries;
  if (!entries) {
    const params = new URLSearchParams(column());
    const { ok, data } = await load(`${form.dataset.url}?${params}`).catch(() => ({
      ok: false,
      data: { message: form.dataset.offline },
    }));
    status.textContent = ok ? "" : data.message;
    entries = ok ? data.entries : [];
  }
  list.replaceChildren(...entries.map(row));
  unsaved.saved();
  if (readOnly) return;
  const wanted = column();
  const pending = await showPending(form, (body) =>
    Object.entries(wanted).every(([key, value]) => body[key] === value)
  );
  if (pending) overlay(pending.entries);
}

function overlay(entries) {
  const byPupil = new Map(entries.map((entry) => [String(entry.student_id), entry]));
  for (const item of list.children) {
    const entry = byPupil.get(item.dataset.student);
    if (!entry) continue;
    const score = item.querySelector("input.score");
    const rating = item.querySelector("select.rating");
    if (score) score.value = entry.score ?? "";
    if (rating) rating.value = entry.rating ?? "";
  }
}

list.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !event.target.matches("input.score")) return;
  event.preventDefault();
  const inputs = Array.from(list.querySelectorAll("input.score"));
  const next = inputs[inputs.indexOf(event.target) + 1];
  if (next) next.focus();
  else form.querySelector("button[type=submit]").focus();
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const inputs = Array.from(list.querySelectorAll("input.score"));
  if (!inputs.every(check)) {
    status.textContent = form.dataset.invalid;
    status.classList.add("field-error");
    return;
  }
  const entries = Array.from(list.children, (item) => ({
    student_id: Number(item.dataset.student),
    score: item.querySelector("input.score")?.value.trim() || null,
    rating: item.querySelector("select.rating")?.value || null,
  }));
  const result = await save(form, { ...column(), entries });
  tell(form, result, pupilOf);
  if (result.ok || result.queued) unsaved.saved();
  else flagRows(result.data.errors);
});

// An error about "entries.3..." is about the fourth pupil in the list: name them, mark the row.
function pupilOf(path) {
  return list.children[rowIndex(path, "entries")]?.querySelector(".pupil").textContent;
}

function flagRows(errors) {
  for (const path of Object.keys(errors || {})) {
    const item = list.children[rowIndex(path, "entries")];
    item?.querySelector("input.score, select.rating")?.setAttribute("aria-invalid", "true");
  }
}

// Switching column replaces the rows: ask first when something typed is not saved.
let shownColumn = columnPicker.value;
columnPicker.addEventListener("change", () => {
  if (!unsaved.mayDiscard()) {
    columnPicker.value = shownColumn;
    return;
  }
  shownColumn = columnPicker.value;
  status.textContent = "";
  status.classList.remove("field-error");
  show();
});
show(JSON.parse(form.dataset.sheet));

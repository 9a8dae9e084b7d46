// Grade entry: one assessment column for the whole class, checked as you type, Enter moves on.
// Modes: "score" (a number), "comment" (a rating), "primary" (a level and maybe a test score),
// "trait" (a primary quality or competence rating). A reader who may not save (data-read-only)
// sees each grade as the server writes it, with nothing to change.
import { errorLines, load, queuedWords, rowIndex, send } from "./api.js";

const form = document.getElementById("grade-entry");
const list = form.querySelector("ol");
const columnPicker = document.getElementById("column");
const status = form.querySelector(".status");
const ratingOptions = document.getElementById("rating-options");
const mode = form.dataset.mode;
const readOnly = "readOnly" in form.dataset;
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

async function show() {
  const params = new URLSearchParams(column());
  const { ok, data } = await load(`${form.dataset.url}?${params}`);
  list.replaceChildren(...(ok ? data.entries.map(row) : []));
  status.textContent = ok ? "" : data.message;
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
    return;
  }
  const entries = Array.from(list.children, (item) => ({
    student_id: Number(item.dataset.student),
    score: item.querySelector("input.score")?.value.trim() || null,
    rating: item.querySelector("select.rating")?.value || null,
  }));
  const { ok, data, queued } = await send("PUT", form.dataset.url, { ...column(), entries });
  const problem = [data.message || form.dataset.offline, ...errorLines(data.errors, pupilOf)].join(" ");
  status.textContent = ok ? form.dataset.saved : queued ? queuedWords() : problem;
  status.classList.toggle("field-error", !ok && !queued);
  if (!ok) flagRows(data.errors);
});

// An error about "entries.3..." is about the fourth pupil in the list: name them, mark the row.
function pupilOf(path) {
  return list.children[rowIndex(path, "entries")]?.querySelector(".pupil").textContent ?? path;
}

function flagRows(errors) {
  for (const path of Object.keys(errors || {})) {
    const item = list.children[rowIndex(path, "entries")];
    item?.querySelector("input.score, select.rating")?.setAttribute("aria-invalid", "true");
  }
}

columnPicker.addEventListener("change", show);
show();
